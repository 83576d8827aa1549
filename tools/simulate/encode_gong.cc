// Gong /v2/calls/extensive: one call record with metaData, CRM context,
// parties and interaction statistics. Privacy by design: no transcript,
// brief, key points, trackers, comments or media URLs, and action items carry
// timing only. Shape follows fixtures/vendor/gong_calls_extensive.json.

#include <algorithm>
#include <cmath>

#include "tools/simulate/encoders.h"
#include "tools/simulate/ids.h"

namespace cs::simulate {
namespace {

double Round(double v, int digits) {
  const double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

std::string SpeakerId(const EncodeContext& ctx, uint64_t n) {
  return DecimalId(ctx.org.vendor.id_salt ^ 0x41, n, 19);
}

Json Context(const EncodeContext& ctx, const Meeting& m) {
  if (m.deal < 0) return Json::array();
  const Deal& d = ctx.world.deals[m.deal];
  const bool sf = d.crm == CrmSystem::kSalesforce;
  Json deal = {{"objectType", sf ? "Opportunity" : "Deal"},
               {"objectId", d.id},
               {"timing", "TimeOfCall"},
               {"fields", Json::array()}};
  Json objects = Json::array({deal});
  if (sf) {
    objects.push_back({{"objectType", "Account"},
                       {"objectId", ctx.world.accounts[d.account].sf_account_id},
                       {"timing", "TimeOfCall"},
                       {"fields", Json::array({{{"name", "Name"}, {"value", ctx.world.accounts[d.account].name}}})}});
  }
  return Json::array({{{"system", sf ? "Salesforce" : "HubSpot"}, {"objects", objects}}});
}

Json Parties(const EncodeContext& ctx, const Conversation& c, const Meeting& m, uint64_t base) {
  const Person& rep = ctx.org.people[c.rep];
  Json parties = Json::array();
  parties.push_back({{"id", DecimalId(ctx.org.vendor.id_salt ^ 0x42, base, 16)},
                     {"emailAddress", rep.email},
                     {"name", rep.display_name()},
                     {"title", rep.role == Role::kSdr ? "Sales Development Rep" : "Account Executive"},
                     {"userId", rep.ids.gong},
                     {"speakerId", SpeakerId(ctx, base)},
                     {"context", Json::array()},
                     {"affiliation", "Internal"},
                     {"phoneNumber", nullptr},
                     {"methods", Json::array({"Invitee", "Attendee"})}});
  const Account& a = ctx.world.accounts[m.account];
  for (size_t i = 0; i < m.contacts.size(); ++i) {
    const Contact& ct = a.contacts[m.contacts[i]];
    parties.push_back({{"id", DecimalId(ctx.org.vendor.id_salt ^ 0x42, base + 1 + i, 16)},
                       {"emailAddress", ct.email},
                       {"name", ct.first_name + " " + ct.last_name},
                       {"title", ct.title},
                       {"userId", nullptr},
                       {"speakerId", SpeakerId(ctx, base + 1 + i)},
                       {"context", Json::array()},
                       {"affiliation", "External"},
                       {"phoneNumber", nullptr},
                       {"methods", Json::array({"Invitee", "Attendee"})}});
  }
  return parties;
}

Json Interaction(const Conversation& c, const std::string& rep_speaker) {
  const double rep_talk = c.duration_s * c.talk_ratio;
  auto stat = [](const char* name, double value) { return Json{{"name", name}, {"value", value}}; };
  const double questions = c.question_rate_per_hour * c.duration_s / 3600.0;
  return {{"speakers", Json::array({{{"id", rep_speaker}, {"talkTime", Round(rep_talk, 1)}}})},
          {"interactionStats",
           Json::array({stat("Talk Ratio", Round(c.talk_ratio, 2)),
                        stat("Longest Monologue", c.longest_monologue_s),
                        stat("Longest Customer Story", c.longest_customer_story_s),
                        stat("Interactivity", Round(c.interactivity, 1)),
                        stat("Patience", Round(c.patience_s, 2)),
                        stat("Question Rate", Round(c.question_rate_per_hour, 1))})},
          {"questions", {{"companyCount", static_cast<int>(std::lround(questions))},
                         {"nonCompanyCount", static_cast<int>(std::lround(questions * 0.6))}}}};
}

}  // namespace

SimRecord EncodeGongCall(const EncodeContext& ctx, int index) {
  const Conversation& c = ctx.world.conversations[index];
  const Meeting& m = ctx.world.meetings[c.meeting];
  const Person& rep = ctx.org.people[c.rep];
  const absl::TimeZone tz = ZoneOf(rep.time_zone);
  const std::string& ws = ctx.org.vendor.gong_workspace_id;
  const bool teams = m.system == CalendarSystem::kMicrosoft;
  const uint64_t base = static_cast<uint64_t>(index) * 8;
  Json meta = {{"id", c.call_id},
               {"url", "https://app.gong.io/call?id=" + c.call_id},
               {"title", m.title},
               {"scheduled", Rfc3339Local(m.start, tz, 0)},
               {"started", Rfc3339Local(c.started, tz, 3)},
               {"duration", c.duration_s},
               {"primaryUserId", rep.ids.gong},
               {"direction", "Conference"},
               {"system", teams ? "Microsoft Teams" : "Zoom"},
               {"scope", "External"},
               {"media", "Video"},
               {"language", "eng"},
               {"workspaceId", ws},
               {"sdrDisposition", nullptr},
               {"clientUniqueId", nullptr},
               {"customData", nullptr},
               {"purpose", nullptr},
               {"isPrivate", false},
               {"calendarEventId", m.id}};
  Json items = Json::array();
  for (int i = 0; i < c.action_items; ++i) {
    const int at = std::max(0, c.duration_s - 60 * (c.action_items - i) - 30);
    items.push_back({{"snippetStartTime", at}, {"snippetEndTime", at + 20}, {"speakerID", SpeakerId(ctx, base)}});
  }
  Json v = {{"metaData", meta},
            {"context", Context(ctx, m)},
            {"parties", Parties(ctx, c, m, base)},
            {"content", {{"pointsOfInterest", {{"actionItems", items}}}}},
            {"interaction", Interaction(c, SpeakerId(ctx, base))}};
  CeAttributes ce;
  ce.id = "gong:" + ws + ":" + c.call_id;
  ce.source = "/connectors/gong/workspaces/" + ws;
  ce.type = "io.gong.calls.extensive";
  ce.time = Rfc3339Ms(c.analysed_at);
  ce.subject = "call/" + c.call_id;
  ce.tenant_id = ctx.org.options.tenant;
  return MakeRecord(kTopicCalls, c.call_id, "gong", std::move(ce), v);
}

}  // namespace cs::simulate
