// Salesforce: Change Data Capture (CometD JSON or the decoded Pub/Sub API
// form) for Opportunity, OpportunityLineItem and Task; REST sObject reads of
// Task (logged calls) and Event (meetings).

#include <cmath>
#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/money.h"
#include "services/ingest/core/parser_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {
namespace {

struct CdcHeader {
  std::string entity;
  std::vector<std::string> record_ids;
  std::string change_type;
  std::string transaction_key;
  int64_t sequence = 0;
  int64_t commit_ms = 0;
  int64_t commit_number = 0;
  bool pubsub = false;  // decoded Pub/Sub form: null means unchanged
};

// The CDC payload object: CometD {"data":{"payload":{...}}}, a bare
// {"payload":{...}}, or the payload itself (Pub/Sub decoded form).
std::optional<json::Obj> FindPayload(const json::Obj& root) {
  if (std::optional<json::Obj> data = root.Object("data")) {
    if (std::optional<json::Obj> p = data->Object("payload")) return p;
  }
  if (std::optional<json::Obj> p = root.Object("payload")) return p;
  if (root.Has("ChangeEventHeader") != json::Presence::kAbsent) return root;
  root.Fail(Reason::kMissingField, "data.payload", "no CDC payload with a ChangeEventHeader");
  return std::nullopt;
}

CdcHeader ReadHeader(const json::Obj& payload) {
  CdcHeader h;
  std::optional<json::Obj> ceh = payload.ReqObject("ChangeEventHeader");
  if (!ceh) return h;
  h.entity = std::string(ceh->ReqStr("entityName"));
  h.change_type = std::string(ceh->ReqStr("changeType"));
  h.transaction_key = std::string(ceh->ReqStr("transactionKey"));
  h.sequence = ceh->ReqInt("sequenceNumber");
  h.commit_ms = ceh->ReqInt("commitTimestamp");
  h.commit_number = ceh->Int("commitNumber").value_or(h.commit_ms);
  if (std::optional<json::Arr> ids = ceh->ReqArray("recordIds")) {
    for (std::string_view id : ids->Strings()) h.record_ids.emplace_back(id);
    if (h.record_ids.empty() && h.change_type != "GAP_OVERFLOW" && ceh->errors()->ok()) {
      ceh->Fail(Reason::kMissingField, "recordIds", "must name at least one record");
    }
  }
  h.pubsub = ceh->Has("nulledFields") != json::Presence::kAbsent;
  if (std::optional<json::Arr> changed = ceh->Array("changedFields")) {
    for (std::string_view f : changed->Strings()) {
      if (f.substr(0, 2) == "0x") h.pubsub = true;
    }
  }
  if (ceh->errors()->ok() && !FromEpochMillis(h.commit_ms)) {
    ceh->Fail(Reason::kInvalidValue, "commitTimestamp", "not a valid epoch millis");
  }
  return h;
}

std::optional<Change> ChangeOf(std::string_view type) {
  if (type == "CREATE") return Change::kCreated;
  if (type == "UPDATE") return Change::kUpdated;
  if (type == "DELETE") return Change::kDeleted;
  if (type == "UNDELETE") return Change::kUndeleted;
  if (type.substr(0, 4) == "GAP_") return Change::kGap;
  return std::nullopt;
}

// Entity, change type and the common fields of every record in the event.
absl::StatusOr<std::pair<CdcHeader, json::Obj>> ReadCdc(simdjson::dom::element root,
                                                        std::string_view entity,
                                                        json::Errors* errors) {
  CS_ASSIGN_OR_RETURN(json::Obj obj, RootObject(root, errors));
  std::optional<json::Obj> payload = FindPayload(obj);
  CS_RETURN_IF_ERROR(errors->status());
  CdcHeader h = ReadHeader(*payload);
  CS_RETURN_IF_ERROR(errors->status());
  if (h.entity != entity) {
    return IngestError(Reason::kUnsupportedType, "ChangeEventHeader.entityName \"" +
                                                     h.entity.substr(0, 64) +
                                                     "\" does not match ce_type (" +
                                                     std::string(entity) + ")");
  }
  if (!ChangeOf(h.change_type)) {
    return IngestError(Reason::kUnsupportedType, "ChangeEventHeader.changeType \"" +
                                                     h.change_type.substr(0, 32) +
                                                     "\" is not supported");
  }
  return std::make_pair(std::move(h), *payload);
}

DealChange BaseChange(const CdcHeader& h, const std::string& record_id) {
  DealChange c;
  c.system = System::kSalesforce;
  c.change = *ChangeOf(h.change_type);
  c.version = h.commit_number;
  c.occurred_at = *FromEpochMillis(h.commit_ms);
  c.event_id = "sf:" + h.transaction_key + ":" + std::to_string(h.sequence) + ":" + record_id;
  return c;
}

Patch<int64_t> AmountPatch(const json::Obj& p, bool pubsub, const Patch<std::string>& currency) {
  switch (p.Has("Amount")) {
    case json::Presence::kAbsent: return {};
    case json::Presence::kNull: return pubsub ? Patch<int64_t>() : Patch<int64_t>::Null();
    case json::Presence::kPresent: break;
  }
  std::optional<double> amount = p.Num("Amount");
  if (!amount) return {};
  std::optional<int64_t> minor = DoubleToMinor(
      *amount, CurrencyExponent(currency.has_value() ? currency.value() : std::string_view()));
  if (!minor) {
    p.Fail(Reason::kInvalidValue, "Amount", "out of range");
    return {};
  }
  return Patch<int64_t>::Of(*minor);
}

void ReadOpportunityFields(const json::Obj& p, bool pubsub, DealChange* c) {
  c->name = StrPatch(p, "Name", pubsub);
  c->owner_user_id = StrPatch(p, "OwnerId", pubsub);
  c->stage_label = StrPatch(p, "StageName", pubsub);
  c->currency = StrPatch(p, "CurrencyIsoCode", pubsub);
  c->amount_minor = AmountPatch(p, pubsub, c->currency);
  c->close_date = DatePatch(p, "CloseDate", pubsub);
  c->created_at = TimePatch(p, "CreatedDate", pubsub);
  c->is_closed = BoolPatch(p, "IsClosed", pubsub);
  c->is_won = BoolPatch(p, "IsWon", pubsub);
}

}  // namespace

absl::Status ParseSalesforceOpportunityCdc(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(auto cdc, ReadCdc(root, "Opportunity", &errors));
  auto& [h, payload] = cdc;
  if (h.record_ids.empty()) h.record_ids.emplace_back();  // GAP_OVERFLOW: entity-wide gap
  for (const std::string& id : h.record_ids) {
    DealChange c = BaseChange(h, id);
    c.deal_id = id;
    c.source_ref = "opportunity/" + id;
    if (c.change != Change::kGap && c.change != Change::kDeleted) {
      ReadOpportunityFields(payload, h.pubsub, &c);
    }
    CS_RETURN_IF_ERROR(errors.status());
    ctx.out->push_back(std::move(c));
  }
  return absl::OkStatus();
}

absl::Status ParseSalesforceLineItemCdc(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(auto cdc, ReadCdc(root, "OpportunityLineItem", &errors));
  auto& [h, payload] = cdc;
  if (h.record_ids.empty()) h.record_ids.emplace_back();
  std::optional<std::string_view> opportunity = payload.Str("OpportunityId");
  for (const std::string& id : h.record_ids) {
    DealChange c = BaseChange(h, id);
    c.line_item_id = id;
    c.deal_id = std::string(opportunity.value_or(""));
    c.source_ref = "opportunity_line_item/" + id;
    if (c.change == Change::kDeleted) {
      c.discount_bps = Patch<int32_t>::Null();
    } else if (payload.Has("Discount") == json::Presence::kNull && !h.pubsub) {
      c.discount_bps = Patch<int32_t>::Null();
    } else if (std::optional<double> pct = payload.Num("Discount")) {
      if (!std::isfinite(*pct) || *pct < 0 || *pct > 100) {
        payload.Fail(Reason::kInvalidValue, "Discount", "percent must be within 0..100");
      } else {
        c.discount_bps = Patch<int32_t>::Of(static_cast<int32_t>(std::lround(*pct * 100)));
      }
    }
    CS_RETURN_IF_ERROR(errors.status());
    ctx.out->push_back(std::move(c));
  }
  return absl::OkStatus();
}

namespace {

// A Task (REST record or CDC CREATE body) as a call; Ignored if not a call.
// The version (and so the event id) is LastModifiedDate when present, so the
// REST read and the CDC CREATE of the same call collapse into one event.
Observation TaskToCall(const json::Obj& t, const std::string& id,
                       std::optional<absl::Time> fallback_time) {
  std::optional<absl::Time> modified = TimeField(t, "LastModifiedDate");
  int64_t version = ToMillis(modified ? *modified : fallback_time.value_or(absl::InfinitePast()));
  std::string_view subtype = t.Str("TaskSubtype").value_or("");
  std::optional<int64_t> duration_s = t.Int("CallDurationInSeconds");
  std::optional<std::string_view> call_type = t.Str("CallType");
  if (subtype != "Call" && !duration_s && !call_type) {
    return Ignored{"task/" + id, Reason::kNotACall, "Task " + id + " is not a call"};
  }
  CallObs c;
  c.system = System::kSalesforce;
  c.call_id = id;
  c.source_ref = "task/" + id;
  c.version = version;
  c.event_id = "sf:task:" + id + ":" + std::to_string(version);
  c.rep.system = System::kSalesforce;
  c.rep.user_id = std::string(t.ReqStr("OwnerId"));
  if (duration_s && *duration_s < 0) t.Fail(Reason::kInvalidValue, "CallDurationInSeconds", "negative");
  c.duration_ms = duration_s.value_or(0) * 1000;
  std::string_view ct = call_type.value_or("");
  c.direction = ct == "Outbound" ? Direction::kOutbound
                : ct == "Inbound" ? Direction::kInbound
                                  : Direction::kUnspecified;
  c.outcome = std::string(t.Str("CallDisposition").value_or(""));
  c.connected = InferConnected(c.outcome, c.duration_ms);
  c.meeting_booked = MeansMeetingBooked(c.outcome);
  std::string_view what = t.Str("WhatId").value_or("");
  if (what.substr(0, 3) == "006") c.deal_id = std::string(what);
  std::optional<absl::Time> when = TimeField(t, "CompletedDateTime");
  if (!when) when = TimeField(t, "CreatedDate");
  if (!when) when = fallback_time;
  if (!when) t.Fail(Reason::kMissingField, "CompletedDateTime", "no call time");
  c.occurred_at = when.value_or(absl::InfinitePast());
  return c;
}

}  // namespace

absl::Status ParseSalesforceTaskCdc(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(auto cdc, ReadCdc(root, "Task", &errors));
  auto& [h, payload] = cdc;
  for (const std::string& id : h.record_ids) {
    if (*ChangeOf(h.change_type) != Change::kCreated) {
      // Logged calls are created complete by dialers; later edits are not
      // re-ingested (the sObject read carries the full record if needed).
      ctx.out->push_back(Ignored{"task/" + id, Reason::kUnsupportedChange,
                                 "TaskChangeEvent " + h.change_type + " is not ingested"});
      continue;
    }
    Observation obs = TaskToCall(payload, id, FromEpochMillis(h.commit_ms));
    CS_RETURN_IF_ERROR(errors.status());
    ctx.out->push_back(std::move(obs));
  }
  return absl::OkStatus();
}

absl::Status ParseSalesforceTask(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj t, RootObject(root, &errors));
  std::string id(t.ReqStr("Id"));
  CS_RETURN_IF_ERROR(errors.status());
  if (t.Bool("IsDeleted").value_or(false)) {
    ctx.out->push_back(Ignored{"task/" + id, Reason::kUnsupportedChange, "Task is deleted"});
    return absl::OkStatus();
  }
  Observation obs = TaskToCall(t, id, std::nullopt);
  CS_RETURN_IF_ERROR(errors.status());
  ctx.out->push_back(std::move(obs));
  return absl::OkStatus();
}

absl::Status ParseSalesforceEvent(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj e, RootObject(root, &errors));
  MeetingObs m;
  m.system = System::kSalesforce;
  m.meeting_id = std::string(e.ReqStr("Id"));
  m.source_ref = "event/" + m.meeting_id;
  m.owner = UserRef{System::kSalesforce, std::string(e.ReqStr("OwnerId")), ""};
  m.all_day = e.Bool("IsAllDayEvent").value_or(false);
  m.start_at = TimeField(e, "StartDateTime");
  m.end_at = TimeField(e, "EndDateTime");
  if (!m.start_at) m.start_at = ReqTimeField(e, "ActivityDateTime");
  if (!m.end_at && m.start_at) {
    m.end_at = *m.start_at + absl::Minutes(e.Int("DurationInMinutes").value_or(0));
  }
  m.created_at = TimeField(e, "CreatedDate");
  std::optional<absl::Time> modified = TimeField(e, "LastModifiedDate");
  m.version = modified ? ToMillis(*modified) : 0;
  std::string_view who = e.Str("WhoId").value_or("");
  if (who.substr(0, 3) == "003" || who.substr(0, 3) == "00Q") m.external_hint = 1;
  std::string_view what = e.Str("WhatId").value_or("");
  if (what.substr(0, 3) == "006") m.deal_id = std::string(what);
  if (e.Bool("IsDeleted").value_or(false)) m.state = MeetingState::kCancelled;
  CS_RETURN_IF_ERROR(errors.status());
  m.event_id = "sf:event:" + m.meeting_id + ":" + std::to_string(m.version);
  ctx.out->push_back(std::move(m));
  return absl::OkStatus();
}

}  // namespace cs::ingest::internal
