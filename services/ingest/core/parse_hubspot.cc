// HubSpot: Webhooks API batches (deal.* and generic object.* events, one
// property per event, values as strings) and CRM v3 object reads.

#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/money.h"
#include "services/ingest/core/parser_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {
namespace {

constexpr std::string_view kDealType = "0-3";
constexpr std::string_view kCallType = "0-48";

// Applies one deal property (webhook propertyValue or CRM read property) to
// `c`. Returns false if coachstream does not use the property. An empty value
// clears the field. Bad values record invalid_value on `obj`/`key`.
bool ApplyDealProperty(std::string_view name, std::optional<std::string_view> value,
                       const json::Obj& obj, std::string_view key, DealChange* c) {
  bool clear = !value || value->empty();
  std::string_view v = value.value_or("");
  auto bad = [&](std::string_view what) { obj.Fail(Reason::kInvalidValue, key, what); };
  if (name == "dealname") {
    c->name = clear ? Patch<std::string>::Null() : Patch<std::string>::Of(std::string(v));
  } else if (name == "dealstage") {
    c->stage_label = clear ? Patch<std::string>::Null() : Patch<std::string>::Of(std::string(v));
  } else if (name == "hubspot_owner_id") {
    c->owner_user_id = clear ? Patch<std::string>::Null() : Patch<std::string>::Of(std::string(v));
  } else if (name == "deal_currency_code") {
    c->currency = clear ? Patch<std::string>::Null() : Patch<std::string>::Of(std::string(v));
  } else if (name == "amount") {
    std::optional<int64_t> minor = DecimalToMinor(v, CurrencyExponent(""));
    if (clear) c->amount_minor = Patch<int64_t>::Null();
    else if (minor) c->amount_minor = Patch<int64_t>::Of(*minor);
    else bad("amount is not a decimal number");
  } else if (name == "closedate") {
    std::optional<absl::CivilDay> day = ParseDate(v);
    if (!day) {
      if (std::optional<absl::Time> t = ParseEpochMillisString(v)) {
        day = absl::ToCivilDay(*t, absl::UTCTimeZone());
      }
    }
    if (clear) c->close_date = Patch<absl::CivilDay>::Null();
    else if (day) c->close_date = Patch<absl::CivilDay>::Of(*day);
    else bad("closedate is not a date or epoch millis");
  } else if (name == "createdate") {
    std::optional<absl::Time> t = ParseRfc3339(v);
    if (!t) t = ParseEpochMillisString(v);
    if (clear) c->created_at = Patch<absl::Time>::Null();
    else if (t) c->created_at = Patch<absl::Time>::Of(*t);
    else bad("createdate is not a time");
  } else if (name == "hs_is_closed" || name == "hs_is_closed_won") {
    Patch<bool>& field = name == "hs_is_closed" ? c->is_closed : c->is_won;
    if (clear) field = Patch<bool>::Null();
    else if (v == "true" || v == "false") field = Patch<bool>::Of(v == "true");
    else bad("expected \"true\" or \"false\"");
  } else {
    return false;
  }
  return true;
}

// One webhook event about a deal.
void WebhookDeal(const json::Obj& e, std::string_view kind, const std::string& ref,
                 ParseContext& ctx) {
  DealChange c;
  c.system = System::kHubspot;
  c.deal_id = e.ReqId("objectId");
  int64_t portal = e.ReqInt("portalId");
  int64_t event_id = e.ReqInt("eventId");
  c.version = e.ReqInt("occurredAt");
  c.occurred_at = FromEpochMillis(c.version).value_or(absl::InfinitePast());
  if (e.errors()->ok() && c.occurred_at == absl::InfinitePast()) {
    e.Fail(Reason::kInvalidValue, "occurredAt", "not a valid epoch millis");
  }
  c.event_id = "hs:" + std::to_string(portal) + ":" + std::to_string(event_id) + ":" + c.deal_id +
               ":" + std::to_string(c.version);
  c.source_ref = "deal/" + c.deal_id;
  if (kind == "creation") {
    c.change = Change::kCreated;
    c.created_at = Patch<absl::Time>::Of(c.occurred_at);
  } else if (kind == "deletion") {
    c.change = Change::kDeleted;
  } else if (kind == "restore") {
    c.change = Change::kUndeleted;
  } else {
    c.change = Change::kUpdated;
    std::string_view prop = e.ReqStr("propertyName");
    if (!ApplyDealProperty(prop, e.Str("propertyValue"), e, "propertyValue", &c)) {
      if (e.errors()->ok()) {
        ctx.out->push_back(Ignored{ref, Reason::kNoRelevantFields,
                                   "deal property \"" + std::string(prop) + "\" is not used"});
      }
      return;
    }
  }
  if (e.errors()->ok()) ctx.out->push_back(std::move(c));
}

void WebhookEvent(const json::Obj& e, const std::string& ref, ParseContext& ctx) {
  std::string_view type = e.ReqStr("subscriptionType");
  size_t dot = type.find('.');
  std::string_view object = type.substr(0, dot);
  std::string_view kind = dot == std::string_view::npos ? "" : type.substr(dot + 1);
  if (object == "object") {
    std::string_view type_id = e.ReqStr("objectTypeId");
    if (type_id == kCallType) {
      ctx.out->push_back(Ignored{ref, Reason::kHydrationRequired,
                                 "call webhooks carry ids only: send com.hubspot.crm.call"});
      return;
    }
    if (type_id == kDealType) object = "deal";
  }
  if (!e.errors()->ok()) return;
  bool known_kind = kind == "creation" || kind == "propertyChange" || kind == "deletion" ||
                    kind == "restore";
  if (object != "deal" || !known_kind) {
    e.Fail(Reason::kUnsupportedType, "subscriptionType",
           "\"" + std::string(type.substr(0, 64)) + "\" is not supported");
    return;
  }
  WebhookDeal(e, kind, ref, ctx);
}

int64_t VersionOf(const json::Obj& record, const json::Obj& props) {
  std::optional<absl::Time> t = TimeField(record, "updatedAt");
  if (!t) t = TimeField(props, "hs_lastmodifieddate");
  return t ? ToMillis(*t) : 0;
}

}  // namespace

absl::Status ParseHubspotWebhookBatch(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  simdjson::dom::array arr;
  if (root.get_array().get(arr) != simdjson::SUCCESS) {
    // A single event object is accepted as a batch of one.
    CS_ASSIGN_OR_RETURN(json::Obj one, RootObject(root, &errors));
    WebhookEvent(one, "webhook[0]", ctx);
    return errors.status();
  }
  ForEachItem(json::Arr(arr, "", &errors), "webhook", ctx,
              [&](const json::Obj& e) { WebhookEvent(e, "webhook" + e.path(), ctx); });
  return absl::OkStatus();
}

absl::Status ParseHubspotCrmDeal(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj d, RootObject(root, &errors));
  std::optional<json::Obj> props = d.ReqObject("properties");
  DealChange c;
  c.system = System::kHubspot;
  c.deal_id = d.ReqId("id");
  CS_RETURN_IF_ERROR(errors.status());
  c.change = d.Bool("archived").value_or(false) ? Change::kDeleted : Change::kUpdated;
  c.version = VersionOf(d, *props);
  c.occurred_at = FromEpochMillis(c.version).value_or(absl::InfinitePast());
  c.event_id = "hs:deal:" + c.deal_id + ":" + std::to_string(c.version);
  c.source_ref = "deal/" + c.deal_id;
  for (auto [key, value] : props->raw()) {
    if (value.is_null()) {
      ApplyDealProperty(key, std::nullopt, *props, key, &c);
      continue;
    }
    std::string_view s;
    if (value.get_string().get(s) != simdjson::SUCCESS) {
      props->Fail(Reason::kWrongType, key, "HubSpot property values must be strings");
      break;
    }
    ApplyDealProperty(key, s, *props, key, &c);
  }
  CS_RETURN_IF_ERROR(errors.status());
  ctx.out->push_back(std::move(c));
  return absl::OkStatus();
}

namespace {

struct Disposition {
  std::string_view guid;
  std::string_view label;
  bool connected;
};

// HubSpot's default call outcomes; portals may add their own (unknown GUIDs
// fall back to InferConnected on status and duration).
constexpr Disposition kDispositions[] = {
    {"f240bbac-87c9-4f6e-bf70-924b57d47db7", "Connected", true},
    {"9d9162e7-6cf3-4944-bf63-4dff82258764", "Busy", false},
    {"73a0d17f-1163-4015-bdd5-ec830791da20", "No answer", false},
    {"b2cf5968-551e-4856-9783-52b3da59a7d0", "Left voicemail", false},
    {"a4c4c377-d246-4b32-a13b-75a56a4cd0ff", "Left live message", false},
    {"17b47fee-58de-441e-a44c-c6300d46f273", "Wrong number", false},
};

bool CallInProgress(std::string_view status) {
  for (std::string_view s : {"IN_PROGRESS", "RINGING", "QUEUED", "CONNECTING", "CALLING_CRM_USER"}) {
    if (status == s) return true;
  }
  return false;
}

}  // namespace

absl::Status ParseHubspotCrmCall(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj d, RootObject(root, &errors));
  std::optional<json::Obj> props = d.ReqObject("properties");
  CallObs c;
  c.system = System::kHubspot;
  c.call_id = d.ReqId("id");
  CS_RETURN_IF_ERROR(errors.status());
  c.source_ref = "call/" + c.call_id;
  std::string_view status = props->Str("hs_call_status").value_or("");
  if (d.Bool("archived").value_or(false) || CallInProgress(status)) {
    ctx.out->push_back(Ignored{c.source_ref, Reason::kUnsupportedChange,
                               "call is archived or not finished (" + std::string(status) + ")"});
    return errors.status();
  }
  c.version = VersionOf(d, *props);
  c.event_id = "hs:call:" + c.call_id + ":" + std::to_string(c.version);
  c.rep = UserRef{System::kHubspot, std::string(props->ReqStr("hubspot_owner_id")), ""};
  c.occurred_at = ReqTimeField(*props, "hs_timestamp");
  std::string_view duration = props->Str("hs_call_duration").value_or("0");
  std::optional<int64_t> ms = DecimalToMinor(duration, 0);
  if (!ms || *ms < 0) props->Fail(Reason::kInvalidValue, "hs_call_duration", "not a duration in ms");
  c.duration_ms = ms.value_or(0);
  std::string_view dir = props->Str("hs_call_direction").value_or("");
  c.direction = dir == "OUTBOUND"  ? Direction::kOutbound
                : dir == "INBOUND" ? Direction::kInbound
                                   : Direction::kUnspecified;
  std::string_view guid = props->Str("hs_call_disposition").value_or("");
  c.outcome = std::string(guid);
  c.connected = InferConnected(status == "COMPLETED" ? "" : status, c.duration_ms);
  for (const Disposition& disp : kDispositions) {
    if (disp.guid == guid) {
      c.outcome = std::string(disp.label);
      c.connected = disp.connected;
    }
  }
  if (std::optional<json::Obj> assoc = d.Object("associations")) {
    if (std::optional<json::Obj> deals = assoc->Object("deals")) {
      if (std::optional<json::Arr> results = deals->Array("results"); results && results->size()) {
        results->ForEachObject([&](const json::Obj& r, size_t i) {
          if (i == 0) c.deal_id = r.ReqId("id");
        });
      }
    }
  }
  CS_RETURN_IF_ERROR(errors.status());
  ctx.out->push_back(std::move(c));
  return absl::OkStatus();
}

}  // namespace cs::ingest::internal
