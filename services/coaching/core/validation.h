#pragma once

// Request validation shared by the RPCs: every error is INVALID_ARGUMENT
// and starts with the field it is about ("rep_id: required").

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/base/period.h"

namespace cs::coaching {

// INVALID_ARGUMENT "<field>: <why>".
absl::Status FieldError(std::string_view field, std::string_view why);

// A required id: non-empty, at most 256 bytes, no control characters.
absl::Status CheckId(std::string_view field, std::string_view value);
// A calendar month "2024-06" (not a week or quarter).
absl::StatusOr<Period> ParseMonth(std::string_view field, std::string_view text);
// Any period ("2024-06", "2024-W23", "2024-Q2").
absl::StatusOr<Period> ParseAnyPeriod(std::string_view field, std::string_view text);

// Fraction of `p` that has begun at `now` in `tz`, in [0, 1].
double ElapsedFraction(const Period& p, absl::Time now, absl::TimeZone tz);

}  // namespace cs::coaching
