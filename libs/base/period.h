#pragma once

// Reporting periods: ISO-8601 weeks ("2024-W23"), calendar months ("2024-06")
// and quarters ("2024-Q2"), interpreted in a time zone. Pure value type.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cs {

enum class PeriodKind { kWeek = 1, kMonth = 2, kQuarter = 3 };

struct Period {
  PeriodKind kind = PeriodKind::kMonth;
  int year = 0;   // for weeks: the ISO week-numbering year
  int index = 0;  // week 1-53, month 1-12, quarter 1-4

  friend bool operator==(const Period&, const Period&) = default;
  friend auto operator<=>(const Period&, const Period&) = default;
};

// Parses "2024-W23", "2024-06" or "2024-Q2"; the error names the text.
absl::StatusOr<Period> ParsePeriod(std::string_view text);
std::string FormatPeriod(const Period& p);

// The period of `kind` containing `t` in zone `tz`.
Period PeriodOf(PeriodKind kind, absl::Time t, absl::TimeZone tz);
Period PeriodOfDay(PeriodKind kind, absl::CivilDay day);

// First day and the day after the last day (civil dates).
absl::CivilDay PeriodFirstDay(const Period& p);
absl::CivilDay PeriodEndDay(const Period& p);  // exclusive
// Start and exclusive end as instants in `tz`.
absl::Time PeriodStart(const Period& p, absl::TimeZone tz);
absl::Time PeriodEnd(const Period& p, absl::TimeZone tz);

Period NextPeriod(const Period& p);
Period PrevPeriod(const Period& p);
// Number of days in the period.
int PeriodDays(const Period& p);

// ISO week-numbering year and week of a civil day.
void IsoWeekOf(absl::CivilDay day, int* iso_year, int* week);

}  // namespace cs
