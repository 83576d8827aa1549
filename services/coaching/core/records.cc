#include "services/coaching/core/records.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/coaching/core/absl_compat.h"

namespace cs::coaching {
namespace {

using Json = nlohmann::json;
constexpr int kVersion = 1;

absl::Status Corrupt(std::string_view key, std::string_view why) {
  return absl::DataLossError(absl::StrCat("coaching state at key \"", Av(key), "\": ", Av(why)));
}

// Parses `bytes` as a version-1 object; exceptions become DATA_LOSS.
absl::StatusOr<Json> ParseObject(std::string_view bytes, std::string_view key) {
  Json doc = Json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Corrupt(key, "not a JSON object");
  auto v = doc.find("v");
  if (v == doc.end() || !v->is_number_integer() || v->get<int>() != kVersion) {
    return Corrupt(key, "unsupported version");
  }
  return doc;
}

std::string StringField(const Json& doc, const char* name) {
  auto it = doc.find(name);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string EncodeFocusRecord(const FocusRecord& r) {
  Json doc = {{"v", kVersion},
              {"competency_id", r.competency_id},
              {"source", r.source},
              {"target_driver", r.target_driver},
              {"target_value", r.target_value},
              {"accepted_at_us", absl::ToUnixMicros(r.accepted_at)}};
  if (r.objective_met_at) doc["objective_met_at_us"] = absl::ToUnixMicros(*r.objective_met_at);
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

absl::StatusOr<FocusRecord> DecodeFocusRecord(std::string_view bytes, std::string_view key) {
  absl::StatusOr<Json> doc = ParseObject(bytes, key);
  if (!doc.ok()) return doc.status();
  FocusRecord r;
  r.competency_id = StringField(*doc, "competency_id");
  if (r.competency_id.empty()) return Corrupt(key, "no competency_id");
  r.source = StringField(*doc, "source");
  r.target_driver = StringField(*doc, "target_driver");
  auto value = doc->find("target_value");
  if (value != doc->end() && value->is_number()) r.target_value = value->get<double>();
  auto at = doc->find("accepted_at_us");
  if (at != doc->end() && at->is_number_integer()) r.accepted_at = absl::FromUnixMicros(at->get<int64_t>());
  auto met = doc->find("objective_met_at_us");
  if (met != doc->end() && met->is_number_integer()) {
    r.objective_met_at = absl::FromUnixMicros(met->get<int64_t>());
  }
  return r;
}

std::string EncodeMemo(const RecommendationMemo& memo) {
  Json doc = {{"v", kVersion}, {"competency_id", memo.competency_id}, {"at_us", absl::ToUnixMicros(memo.at)}};
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

absl::StatusOr<RecommendationMemo> DecodeMemo(std::string_view bytes, std::string_view key) {
  absl::StatusOr<Json> doc = ParseObject(bytes, key);
  if (!doc.ok()) return doc.status();
  RecommendationMemo memo;
  memo.competency_id = StringField(*doc, "competency_id");
  if (memo.competency_id.empty()) return Corrupt(key, "no competency_id");
  auto at = doc->find("at_us");
  if (at != doc->end() && at->is_number_integer()) memo.at = absl::FromUnixMicros(at->get<int64_t>());
  return memo;
}

}  // namespace cs::coaching
