#pragma once

// Values of the coaching state that have no protobuf message of their own,
// stored as small versioned JSON documents ({"v": 1, ...}).

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace cs::coaching {

// The accepted focus of one rep for one month (one skill at a time).
struct FocusRecord {
  std::string competency_id;
  std::string source;  // "accept" (AcceptFocusSkill) or "plan" (CreatePlan)
  // The objective the focus is tracked against when there is no plan:
  // the plan template's target at acceptance. Empty driver = none.
  std::string target_driver;
  double target_value = 0;
  absl::Time accepted_at = absl::UnixEpoch();
  // Set once the objective is met; the focus is then released (the next
  // recommendation excludes it) and stays released.
  std::optional<absl::Time> objective_met_at;

  friend bool operator==(const FocusRecord&, const FocusRecord&) = default;
};

// The last unaccepted recommendation of a rep-month, for hysteresis.
struct RecommendationMemo {
  std::string competency_id;
  absl::Time at = absl::UnixEpoch();

  friend bool operator==(const RecommendationMemo&, const RecommendationMemo&) = default;
};

std::string EncodeFocusRecord(const FocusRecord& record);
// DATA_LOSS naming `key` when the bytes do not parse.
absl::StatusOr<FocusRecord> DecodeFocusRecord(std::string_view bytes, std::string_view key);

std::string EncodeMemo(const RecommendationMemo& memo);
absl::StatusOr<RecommendationMemo> DecodeMemo(std::string_view bytes, std::string_view key);

}  // namespace cs::coaching
