// Sales-engagement dialers: Salesloft call webhooks (call_created /
// call_updated, the Call resource) and Outreach JSON:API call webhooks.
// The value is the webhook body; a {"headers", "body"} wrapper is accepted.

#include <cmath>
#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/parser_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {
namespace {

// The webhook body: the value itself, or value.body when the integration
// platform forwarded the whole HTTP delivery.
absl::StatusOr<json::Obj> Body(simdjson::dom::element root, json::Errors* errors) {
  CS_ASSIGN_OR_RETURN(json::Obj obj, RootObject(root, errors));
  if (obj.Has("headers") == json::Presence::kPresent) {
    if (std::optional<json::Obj> body = obj.Object("body")) return *body;
  }
  CS_RETURN_IF_ERROR(errors->status());
  return obj;
}

// The id of a JSON:API relationship {"data": {"type", "id"}}; empty if none.
std::string RelationshipId(const json::Obj& relationships, std::string_view name) {
  std::optional<json::Obj> rel = relationships.Object(name);
  if (!rel) return {};
  std::optional<json::Obj> data = rel->Object("data");
  return data ? data->Id("id").value_or("") : std::string();
}

}  // namespace

absl::Status ParseSalesloftCall(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj b, Body(root, &errors));
  CallObs c;
  c.system = System::kSalesloft;
  c.call_id = b.ReqId("id");
  c.source_ref = "call/" + c.call_id;
  std::optional<json::Obj> user = b.ReqObject("user");
  if (user) c.rep = UserRef{System::kSalesloft, user->ReqId("id"), ""};
  std::optional<double> duration_s = b.Num("duration");
  if (duration_s && (!std::isfinite(*duration_s) || *duration_s < 0 || *duration_s > 1e7)) {
    b.Fail(Reason::kInvalidValue, "duration", "must be seconds within 0..1e7");
  }
  c.duration_ms = std::llround(duration_s.value_or(0) * 1000);
  std::string_view direction = b.Str("direction").value_or("outbound");
  c.direction = EqualsCi(direction, "inbound") ? Direction::kInbound : Direction::kOutbound;
  c.outcome = std::string(b.Str("disposition").value_or(""));
  c.connected = InferConnected(c.outcome, c.duration_ms);
  c.meeting_booked = MeansMeetingBooked(c.outcome);
  c.occurred_at = ReqTimeField(b, "created_at");
  std::optional<absl::Time> updated = TimeField(b, "updated_at");
  c.version = ToMillis(updated.value_or(c.occurred_at));
  CS_RETURN_IF_ERROR(errors.status());
  c.event_id = "salesloft:call:" + c.call_id + ":" + std::to_string(c.version);
  ctx.out->push_back(std::move(c));
  return absl::OkStatus();
}

absl::Status ParseOutreachCall(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj b, Body(root, &errors));
  std::optional<json::Obj> data = b.ReqObject("data");
  std::string_view event_name;
  if (std::optional<json::Obj> meta = b.Object("meta")) {
    event_name = meta->Str("eventName").value_or("");
  }
  CS_RETURN_IF_ERROR(errors.status());
  std::string_view type = data->ReqStr("type");
  CS_RETURN_IF_ERROR(errors.status());
  if (type != "call") {
    return IngestError(Reason::kUnsupportedType,
                       "data.type \"" + std::string(type.substr(0, 32)) + "\" is not \"call\"");
  }
  CallObs c;
  c.system = System::kOutreach;
  c.call_id = data->ReqId("id");
  c.source_ref = "call/" + c.call_id;
  std::optional<json::Obj> attrs = data->ReqObject("attributes");
  std::optional<json::Obj> rels = data->ReqObject("relationships");
  CS_RETURN_IF_ERROR(errors.status());
  std::string_view state = attrs->Str("state").value_or("completed");
  if (event_name.ends_with(".destroyed") || event_name.ends_with(".deleted") ||
      !EqualsCi(state, "completed")) {
    ctx.out->push_back(Ignored{c.source_ref, Reason::kUnsupportedChange,
                               "call is deleted or not completed (" + std::string(state) + ")"});
    return absl::OkStatus();
  }
  c.rep = UserRef{System::kOutreach, RelationshipId(*rels, "user"), ""};
  if (c.rep.user_id.empty()) rels->Fail(Reason::kMissingField, "user.data.id", "no call owner");
  c.deal_id = RelationshipId(*rels, "opportunity");
  std::optional<absl::Time> answered = TimeField(*attrs, "answeredAt");
  std::optional<absl::Time> completed = TimeField(*attrs, "completedAt");
  std::optional<absl::Time> dialed = TimeField(*attrs, "dialedAt");
  if (std::optional<int64_t> d = attrs->Int("duration")) {
    c.duration_ms = *d * 1000;
  } else if (answered && completed && *completed >= *answered) {
    c.duration_ms = absl::ToInt64Milliseconds(*completed - *answered);
  }
  if (c.duration_ms < 0) attrs->Fail(Reason::kInvalidValue, "duration", "negative");
  std::string_view direction = attrs->Str("direction").value_or("");
  c.direction = EqualsCi(direction, "inbound")    ? Direction::kInbound
                : EqualsCi(direction, "outbound") ? Direction::kOutbound
                                                  : Direction::kUnspecified;
  c.outcome = std::string(attrs->Str("outcome").value_or(""));
  c.connected = answered.has_value() || InferConnected(c.outcome, c.duration_ms);
  c.meeting_booked = MeansMeetingBooked(c.outcome);
  c.occurred_at = dialed ? *dialed : ReqTimeField(*attrs, "createdAt");
  std::optional<absl::Time> updated = TimeField(*attrs, "updatedAt");
  c.version = ToMillis(updated.value_or(c.occurred_at));
  CS_RETURN_IF_ERROR(errors.status());
  c.event_id = "outreach:call:" + c.call_id + ":" + std::to_string(c.version);
  ctx.out->push_back(std::move(c));
  return absl::OkStatus();
}

}  // namespace cs::ingest::internal
