#pragma once

// Internal to the parser library: the vendor parser signature and helpers
// shared by the per-vendor files. Not part of the public API.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/ingest/core/envelope.h"
#include "services/ingest/core/json_reader.h"
#include "services/ingest/core/observation.h"

namespace cs::ingest::internal {

struct ParseContext {
  const Envelope* envelope = nullptr;
  std::vector<Observation>* out = nullptr;
};

// A vendor parser appends observations for `root` (the CloudEvents data).
// A returned error rejects the whole record; per-item errors in a batch are
// appended as Rejected instead.
using VendorParser = absl::Status (*)(simdjson::dom::element root, ParseContext& ctx);

absl::Status ParseSalesforceOpportunityCdc(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseSalesforceLineItemCdc(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseSalesforceTaskCdc(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseSalesforceTask(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseSalesforceEvent(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseHubspotWebhookBatch(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseHubspotCrmDeal(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseHubspotCrmCall(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseGongExtensive(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseGongBasic(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseGongWebhook(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseSalesloftCall(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseOutreachCall(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseGoogleCalendar(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseGraphCalendar(simdjson::dom::element root, ParseContext& ctx);
absl::Status ParseHrPerson(simdjson::dom::element root, ParseContext& ctx);

// The root as an object, or a wrong_type error naming `what`.
absl::StatusOr<json::Obj> RootObject(simdjson::dom::element root, json::Errors* errors);

// Runs `item` for one element of a batch; an error becomes a Rejected entry
// (with `ref`) instead of failing the record.
template <typename F>
void ParseItem(ParseContext& ctx, std::string ref, F&& item) {
  json::Errors errors;
  size_t before = ctx.out->size();
  item(errors);
  if (!errors.ok()) {
    ctx.out->resize(before);
    ctx.out->push_back(Rejected{std::move(ref), errors.status()});
  }
}

// Runs `one(item_obj)` for each element of a page/batch; a non-object element
// or an error inside `one` becomes a Rejected entry "<prefix>[i]".
template <typename F>
void ForEachItem(const json::Arr& items, std::string_view prefix, ParseContext& ctx, F&& one) {
  size_t i = 0;
  for (simdjson::dom::element el : items.raw()) {
    std::string ref = std::string(prefix) + "[" + std::to_string(i) + "]";
    ParseItem(ctx, ref, [&](json::Errors& item_errors) {
      simdjson::dom::object o;
      if (el.get_object().get(o) != simdjson::SUCCESS) {
        item_errors.Add(Reason::kWrongType, items.ItemPath(i) + ": expected object, got " +
                                                std::string(json::TypeName(el)));
        return;
      }
      one(json::Obj(o, items.ItemPath(i), &item_errors));
    });
    ++i;
  }
}

std::string Lower(std::string_view s);
bool ContainsCi(std::string_view haystack, std::string_view needle);
bool EqualsCi(std::string_view a, std::string_view b);

// Whether a disposition/outcome label means a live conversation; with no
// usable label, a call of 30 s or more counts as connected.
bool InferConnected(std::string_view label, int64_t duration_ms);
bool MeansMeetingBooked(std::string_view label);

// Stable 64-bit FNV-1a, for content fingerprints in event ids (never
// absl::Hash: it is seeded per process).
uint64_t Fingerprint(std::string_view data);
std::string Hex(uint64_t v);

// Time fields: an RFC 3339 string or epoch milliseconds (number or digit
// string). Bad values record invalid_value naming the field.
std::optional<absl::Time> TimeField(const json::Obj& obj, std::string_view key);
absl::Time ReqTimeField(const json::Obj& obj, std::string_view key);
// Date fields: "YYYY-MM-DD", an ISO date-time (date part) or epoch ms at
// 00:00 UTC (Salesforce Pub/Sub, HubSpot webhooks).
std::optional<absl::CivilDay> DateField(const json::Obj& obj, std::string_view key);

// Partial-update readers: absent -> absent; null -> Null (or absent when
// `null_is_unchanged`, Salesforce Pub/Sub); value -> Of(value).
Patch<std::string> StrPatch(const json::Obj& obj, std::string_view key, bool null_is_unchanged);
Patch<bool> BoolPatch(const json::Obj& obj, std::string_view key, bool null_is_unchanged);
Patch<absl::CivilDay> DatePatch(const json::Obj& obj, std::string_view key, bool null_is_unchanged);
Patch<absl::Time> TimePatch(const json::Obj& obj, std::string_view key, bool null_is_unchanged);

}  // namespace cs::ingest::internal
