#include "services/metrics/core/quota.h"

#include <cmath>

namespace cs::metrics {
namespace {

std::optional<int64_t> ExactQuota(const coachstream::v1::Person& person, const Period& period) {
  for (const coachstream::v1::Quota& q : person.quotas()) {
    absl::StatusOr<Period> p = ParsePeriod(q.period());
    if (p.ok() && *p == period) return q.amount().amount_minor();
  }
  return std::nullopt;
}

Period QuarterOfMonth(const Period& month) {
  return Period{PeriodKind::kQuarter, month.year, (month.index - 1) / 3 + 1};
}

// Month quota as a real number (before rounding), for proration.
std::optional<long double> MonthQuotaExact(const coachstream::v1::Person& person, const Period& month) {
  if (std::optional<int64_t> exact = ExactQuota(person, month)) return static_cast<long double>(*exact);
  const Period quarter = QuarterOfMonth(month);
  std::optional<int64_t> q = ExactQuota(person, quarter);
  if (!q) return std::nullopt;
  return static_cast<long double>(*q) * PeriodDays(month) / PeriodDays(quarter);
}

std::optional<int64_t> WeekQuota(const coachstream::v1::Person& person, const Period& week) {
  long double total = 0;
  for (absl::CivilDay day = PeriodFirstDay(week); day < PeriodEndDay(week); ++day) {
    const Period month = PeriodOfDay(PeriodKind::kMonth, day);
    std::optional<long double> m = MonthQuotaExact(person, month);
    if (!m) return std::nullopt;
    total += *m / PeriodDays(month);
  }
  return static_cast<int64_t>(std::llround(total));
}

std::optional<int64_t> QuarterQuota(const coachstream::v1::Person& person, const Period& quarter) {
  if (std::optional<int64_t> exact = ExactQuota(person, quarter)) return exact;
  int64_t total = 0;
  for (int i = 0; i < 3; ++i) {
    std::optional<int64_t> m = ExactQuota(person, Period{PeriodKind::kMonth, quarter.year, (quarter.index - 1) * 3 + 1 + i});
    if (!m) return std::nullopt;
    total += *m;
  }
  return total;
}

}  // namespace

std::optional<int64_t> QuotaForPeriod(const coachstream::v1::Person& person, const Period& period) {
  switch (period.kind) {
    case PeriodKind::kWeek: return WeekQuota(person, period);
    case PeriodKind::kMonth: {
      std::optional<long double> m = MonthQuotaExact(person, period);
      if (!m) return std::nullopt;
      return static_cast<int64_t>(std::llround(*m));
    }
    case PeriodKind::kQuarter: return QuarterQuota(person, period);
  }
  return std::nullopt;
}

}  // namespace cs::metrics
