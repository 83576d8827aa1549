// Sales-engagement dialers: the Salesloft call webhook body (the Call
// resource, fixtures/vendor/salesloft_call_webhook.json) and the Outreach
// JSON:API call.created webhook (fixtures/vendor/outreach_call_webhook.json).

#include "absl/strings/str_format.h"
#include "tools/simulate/encoders.h"
#include "tools/simulate/ids.h"

namespace cs::simulate {
namespace {

std::string Phone(int64_t call_id) {
  const uint64_t h = Mix64(static_cast<uint64_t>(call_id));
  return absl::StrFormat("+1%03d555%04d", 201 + h % 700, (h >> 20) % 10000);
}

std::string_view SalesloftLabel(Disposition d) {
  switch (d) {
    case Disposition::kNoAnswer: return "No Answer";
    case Disposition::kVoicemail: return "Left Voicemail";
    case Disposition::kBusy: return "Busy";
    case Disposition::kWrongNumber: return "Wrong Number";
    case Disposition::kConnected: return "Connected";
    case Disposition::kMeetingBooked: return "Meeting Booked";
  }
  return "No Answer";
}

std::string_view OutreachOutcome(Disposition d) {
  switch (d) {
    case Disposition::kNoAnswer: return "No Answer";
    case Disposition::kVoicemail: return "Left Voicemail";
    case Disposition::kBusy: return "Busy";
    case Disposition::kWrongNumber: return "Wrong Number";
    case Disposition::kConnected: return "Answered";
    case Disposition::kMeetingBooked: return "Meeting Scheduled";
  }
  return "No Answer";
}

bool Live(Disposition d) { return d == Disposition::kConnected || d == Disposition::kMeetingBooked; }

Json Ref(std::string_view kind, int64_t id) {
  return {{"_href", absl::StrFormat("https://api.salesloft.com/v2/%s/%d", kind, id)}, {"id", id}};
}

SimRecord Salesloft(const EncodeContext& ctx, const Dial& d, const Person& rep) {
  const absl::TimeZone tz = ZoneOf(rep.time_zone);
  const absl::Time logged = d.dialed_at + absl::Seconds(d.ring_s + d.talk_s);
  const absl::Time updated = logged + absl::Milliseconds(300 + d.call_id % 500);
  const int64_t user = std::stoll(rep.ids.salesloft);
  Json v = {{"id", d.call_id},
            {"to", Phone(d.call_id)},
            {"duration", d.ring_s + d.talk_s},
            {"sentiment", d.disposition == Disposition::kMeetingBooked ? Json("Interested") : Json(nullptr)},
            {"disposition", SalesloftLabel(d.disposition)},
            {"created_at", Rfc3339Local(logged, tz, 6)},
            {"updated_at", Rfc3339Local(updated, tz, 6)},
            {"recording", nullptr},
            {"user", Ref("users", user)},
            {"action", nullptr},
            {"called_person", Ref("people", 30000000 + d.call_id % 9000000)},
            {"crm_activity", nullptr},
            {"note", nullptr},
            {"cadence", Ref("cadences", 1200 + d.call_id % 40)},
            {"step", Ref("steps", 88000 + d.call_id % 400)}};
  const std::string team = std::to_string(ctx.org.vendor.salesloft_team_id);
  const std::string id = std::to_string(d.call_id);
  CeAttributes ce;
  ce.id = "salesloft:" + team + ":call:" + id + ":" + std::to_string(Millis(updated));
  ce.source = "/connectors/salesloft/teams/" + team;
  ce.type = "com.salesloft.webhook.call";
  ce.time = Rfc3339Ms(updated);
  ce.subject = "call/" + id;
  ce.tenant_id = ctx.org.options.tenant;
  return MakeRecord(kTopicCalls, id, "salesloft", std::move(ce), v);
}

Json Rel(std::string_view type, int64_t id) { return {{"data", {{"type", type}, {"id", id}}}}; }

SimRecord Outreach(const EncodeContext& ctx, const Dial& d, const Person& rep) {
  const absl::Time answered = d.dialed_at + absl::Seconds(d.ring_s);
  const absl::Time completed = answered + absl::Seconds(d.talk_s);
  Json attrs = {{"createdAt", Rfc3339Ms(d.dialed_at - absl::Seconds(1))},
                {"updatedAt", Rfc3339Ms(completed)},
                {"dialedAt", Rfc3339Ms(d.dialed_at)}};
  if (Live(d.disposition)) attrs["answeredAt"] = Rfc3339Ms(answered);
  attrs["completedAt"] = Rfc3339Ms(completed);
  attrs["direction"] = "outbound";
  attrs["from"] = Phone(std::stoll(rep.ids.outreach));
  attrs["to"] = Phone(d.call_id);
  attrs["outcome"] = OutreachOutcome(d.disposition);
  attrs["state"] = "completed";
  attrs["userCallType"] = "bridge";
  attrs["uid"] = Uuid(ctx.org.vendor.id_salt ^ 0x51, static_cast<uint64_t>(d.call_id));
  Json rels = {{"prospect", Rel("prospect", 90000 + d.call_id % 50000)},
               {"user", Rel("user", std::stoll(rep.ids.outreach))},
               {"callDisposition", Rel("callDisposition", 1 + static_cast<int>(d.disposition))},
               {"sequence", {{"data", nullptr}}}};
  Json v = {{"data", {{"type", "call"}, {"id", d.call_id}, {"attributes", attrs}, {"relationships", rels}}},
            {"meta", {{"deliveredAt", Rfc3339Ms(completed + absl::Seconds(1))}, {"eventName", "call.created"}}}};
  const std::string& org = ctx.org.vendor.outreach_org;
  const std::string id = std::to_string(d.call_id);
  CeAttributes ce;
  ce.id = "outreach:" + org + ":call:" + id + ":" + std::to_string(Millis(completed));
  ce.source = "/connectors/outreach/orgs/" + org;
  ce.type = "io.outreach.webhook.call";
  ce.time = Rfc3339Ms(completed);
  ce.subject = "call/" + id;
  ce.tenant_id = ctx.org.options.tenant;
  return MakeRecord(kTopicCalls, id, "outreach", std::move(ce), v);
}

}  // namespace

SimRecord EncodeDial(const EncodeContext& ctx, int index) {
  const Dial& d = ctx.world.dials[index];
  const Person& rep = ctx.org.people[d.rep];
  return rep.dialer == DialerSystem::kSalesloft ? Salesloft(ctx, d, rep) : Outreach(ctx, d, rep);
}

}  // namespace cs::simulate
