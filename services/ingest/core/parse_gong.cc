// Gong: /v2/calls/extensive records (one record or a whole response page),
// /v2/calls basic records, and automation-rule webhooks {callData, isTest}.
// Metadata only: transcripts, briefs, key points, snippets, comments and
// media URLs are never read.

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/base/status.h"
#include "services/ingest/core/parser_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {
namespace {

Direction DirectionOf(std::string_view d) {
  if (d == "Outbound") return Direction::kOutbound;
  if (d == "Inbound") return Direction::kInbound;
  if (d == "Conference") return Direction::kConference;
  return Direction::kUnspecified;
}

// Call metadata: `meta` is metaData (extensive) or the record itself (basic).
void ReadMeta(const json::Obj& meta, CallObs* c) {
  c->system = System::kGong;
  c->call_id = meta.ReqId("id");
  c->source_ref = "call/" + c->call_id;
  c->rep = UserRef{System::kGong, meta.ReqId("primaryUserId"), ""};
  std::optional<absl::Time> started = TimeField(meta, "started");
  if (!started) started = TimeField(meta, "scheduled");
  if (!started && meta.errors()->ok()) meta.Fail(Reason::kMissingField, "started", "no call time");
  c->occurred_at = started.value_or(absl::InfinitePast());
  std::optional<double> duration_s = meta.Num("duration");
  if (duration_s && (!std::isfinite(*duration_s) || *duration_s < 0 || *duration_s > 1e7)) {
    meta.Fail(Reason::kInvalidValue, "duration", "must be seconds within 0..1e7");
  }
  c->duration_ms = std::llround(duration_s.value_or(0) * 1000);
  c->direction = DirectionOf(meta.Str("direction").value_or(""));
  c->outcome = std::string(meta.Str("sdrDisposition").value_or(""));
}

// The first CRM opportunity/deal in a context array.
void ReadDeal(const json::Arr& context, CallObs* c) {
  context.ForEachObject([&](const json::Obj& sys, size_t) {
    std::optional<json::Arr> objects = sys.Array("objects");
    if (!objects) return;
    objects->ForEachObject([&](const json::Obj& o, size_t) {
      std::string_view type = o.Str("objectType").value_or("");
      if (c->deal_id.empty() && (type == "Opportunity" || type == "Deal")) {
        c->deal_id = o.Id("objectId").value_or("");
      }
    });
  });
}

void ReadContent(const json::Obj& content, CallObs* c) {
  if (std::optional<json::Obj> outcome = content.Object("callOutcome")) {
    std::string_view id = outcome->Str("id").value_or("");
    std::string_view name = outcome->Str("name").value_or(id);
    std::string_view category = outcome->Str("category").value_or("");
    c->outcome = std::string(name);
    c->meeting_booked = MeansMeetingBooked(id) || MeansMeetingBooked(name);
    if (!category.empty()) c->connected = EqualsCi(category, "Answered");
  }
  if (std::optional<json::Obj> poi = content.Object("pointsOfInterest")) {
    std::optional<json::Arr> items = poi->Array("actionItems");
    c->has_next_step = items && items->size() > 0;
  }
}

void ReadStats(const json::Arr& stats, CallObs* c) {
  stats.ForEachObject([&](const json::Obj& s, size_t) {
    std::string_view name = s.Str("name").value_or("");
    std::optional<double> v = s.Num("value");
    if (!v || !std::isfinite(*v)) return;
    if (name == "Talk Ratio") {
      if (*v < 0 || *v > 1) s.Fail(Reason::kInvalidValue, "value", "Talk Ratio must be 0..1");
      c->talk_ratio = *v;
    } else if (name == "Longest Monologue" && std::fabs(*v) < 1e7) {
      c->longest_monologue_s = static_cast<int32_t>(std::lround(*v));
    } else if (name == "Question Rate") {
      c->question_rate_per_hour = *v;
    } else if (name == "Interactivity") {
      c->interactivity = *v;
    } else if (name == "Patience" && std::fabs(*v) < 1e6) {
      c->patience_ms = static_cast<int32_t>(std::lround(*v * 1000));
    }
  });
}

// Content fingerprint: a re-analysed call gets a new event id; a redelivery
// keeps the old one.
std::string CallFingerprint(const CallObs& c) {
  std::string data = absl::StrCat(c.duration_ms, "|", static_cast<int>(c.direction), "|",
                                  c.outcome, "|", c.deal_id, "|", c.external_participants, "|",
                                  c.connected, "|", c.talk_ratio.value_or(-1), "|",
                                  c.longest_monologue_s.value_or(-1), "|",
                                  c.question_rate_per_hour.value_or(-1), "|",
                                  c.interactivity.value_or(-1), "|", c.patience_ms.value_or(-1),
                                  "|", c.has_next_step.value_or(false), "|", c.rep.email);
  return Hex(Fingerprint(data));
}

// Gong has no modification time: extensive records (version 2) supersede
// basic ones (version 1), never the other way round.
constexpr int64_t kBasicVersion = 1;
constexpr int64_t kExtensiveVersion = 2;

void Finish(CallObs* c, bool had_outcome_category) {
  if (!had_outcome_category) {
    c->connected = c->direction == Direction::kConference ? c->duration_ms > 0
                                                          : InferConnected(c->outcome, c->duration_ms);
  }
  if (!c->meeting_booked) c->meeting_booked = MeansMeetingBooked(c->outcome);
  c->event_id = "gong:" + c->call_id + ":" + CallFingerprint(*c);
}

// One /v2/calls/extensive record.
void ExtensiveCall(const json::Obj& call, ParseContext& ctx) {
  CallObs c;
  std::optional<json::Obj> meta = call.ReqObject("metaData");
  if (!meta) return;
  ReadMeta(*meta, &c);
  if (std::optional<json::Arr> context = call.Array("context")) ReadDeal(*context, &c);
  if (std::optional<json::Arr> parties = call.Array("parties")) {
    parties->ForEachObject([&](const json::Obj& p, size_t) {
      if (p.Str("affiliation").value_or("") == "External") ++c.external_participants;
      if (p.Id("userId").value_or("") == c.rep.user_id) {
        c.rep.email = Lower(p.Str("emailAddress").value_or(""));
      }
    });
  }
  bool had_category = false;
  if (std::optional<json::Obj> content = call.Object("content")) {
    if (std::optional<json::Obj> o = content->Object("callOutcome")) {
      had_category = !o->Str("category").value_or("").empty();
    }
    ReadContent(*content, &c);
  }
  if (std::optional<json::Obj> interaction = call.Object("interaction")) {
    if (std::optional<json::Arr> stats = interaction->Array("interactionStats")) ReadStats(*stats, &c);
  }
  if (!call.errors()->ok()) return;
  c.version = kExtensiveVersion;
  Finish(&c, had_category);
  ctx.out->push_back(std::move(c));
}

void BasicCall(const json::Obj& call, ParseContext& ctx) {
  CallObs c;
  ReadMeta(call, &c);
  if (!call.errors()->ok()) return;
  c.version = kBasicVersion;
  Finish(&c, false);
  ctx.out->push_back(std::move(c));
}

// A page {"calls": [...]} or a single record; `one` parses one record.
template <typename F>
absl::Status PageOrRecord(simdjson::dom::element root, ParseContext& ctx, std::string_view marker,
                          F one) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj obj, RootObject(root, &errors));
  if (obj.Has(marker) != json::Presence::kAbsent || obj.Has("calls") == json::Presence::kAbsent) {
    one(obj);
    return errors.status();
  }
  std::optional<json::Arr> calls = obj.ReqArray("calls");
  CS_RETURN_IF_ERROR(errors.status());
  ForEachItem(*calls, "calls", ctx, one);
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseGongExtensive(simdjson::dom::element root, ParseContext& ctx) {
  return PageOrRecord(root, ctx, "metaData",
                      [&](const json::Obj& call) { ExtensiveCall(call, ctx); });
}

absl::Status ParseGongBasic(simdjson::dom::element root, ParseContext& ctx) {
  return PageOrRecord(root, ctx, "primaryUserId",
                      [&](const json::Obj& call) { BasicCall(call, ctx); });
}

absl::Status ParseGongWebhook(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj hook, RootObject(root, &errors));
  std::optional<json::Obj> call = hook.ReqObject("callData");
  bool is_test = hook.Bool("isTest").value_or(false);
  CS_RETURN_IF_ERROR(errors.status());
  if (is_test) {
    std::string id = "unknown";
    if (std::optional<json::Obj> meta = call->Object("metaData")) id = meta->Id("id").value_or(id);
    ctx.out->push_back(Ignored{"call/" + id, Reason::kTestPayload, "Gong webhook isTest=true"});
    return absl::OkStatus();
  }
  ExtensiveCall(*call, ctx);
  return errors.status();
}

}  // namespace cs::ingest::internal
