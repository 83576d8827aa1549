#include "libs/base/period.h"

#include <charconv>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cs {
namespace {

// 0 = Monday ... 6 = Sunday.
int IsoWeekdayIndex(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday: return 0;
    case absl::Weekday::tuesday: return 1;
    case absl::Weekday::wednesday: return 2;
    case absl::Weekday::thursday: return 3;
    case absl::Weekday::friday: return 4;
    case absl::Weekday::saturday: return 5;
    case absl::Weekday::sunday: return 6;
  }
  return 0;
}

absl::CivilDay IsoWeekOneMonday(int iso_year) {
  absl::CivilDay jan4(iso_year, 1, 4);
  return jan4 - IsoWeekdayIndex(jan4);
}

int IsoWeeksInYear(int iso_year) {
  int y = 0, w = 0;
  IsoWeekOf(absl::CivilDay(iso_year, 12, 28), &y, &w);
  return w;
}

bool ParseInt(std::string_view s, int* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

void IsoWeekOf(absl::CivilDay day, int* iso_year, int* week) {
  absl::CivilDay thursday = day - IsoWeekdayIndex(day) + 3;
  *iso_year = static_cast<int>(thursday.year());
  *week = static_cast<int>((thursday - IsoWeekOneMonday(*iso_year)) / 7) + 1;
}

absl::StatusOr<Period> ParsePeriod(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError("period \"" + std::string(text) + "\" is not valid: " +
                                      std::string(why) +
                                      " (expected \"2024-06\", \"2024-W23\" or \"2024-Q2\")");
  };
  if (text.size() < 6 || text[4] != '-') return bad("malformed");
  Period p;
  if (!ParseInt(text.substr(0, 4), &p.year) || p.year < 1970 || p.year > 9999) {
    return bad("year out of range");
  }
  std::string_view rest = text.substr(5);
  if (rest[0] == 'W' || rest[0] == 'w') {
    p.kind = PeriodKind::kWeek;
    if (!ParseInt(rest.substr(1), &p.index)) return bad("malformed week");
    if (p.index < 1 || p.index > IsoWeeksInYear(p.year)) return bad("week out of range");
  } else if (rest[0] == 'Q' || rest[0] == 'q') {
    p.kind = PeriodKind::kQuarter;
    if (!ParseInt(rest.substr(1), &p.index) || rest.size() != 2) return bad("malformed quarter");
    if (p.index < 1 || p.index > 4) return bad("quarter out of range");
  } else {
    p.kind = PeriodKind::kMonth;
    if (rest.size() != 2 || !ParseInt(rest, &p.index)) return bad("malformed month");
    if (p.index < 1 || p.index > 12) return bad("month out of range");
  }
  return p;
}

std::string FormatPeriod(const Period& p) {
  switch (p.kind) {
    case PeriodKind::kWeek: return absl::StrFormat("%04d-W%02d", p.year, p.index);
    case PeriodKind::kMonth: return absl::StrFormat("%04d-%02d", p.year, p.index);
    case PeriodKind::kQuarter: return absl::StrFormat("%04d-Q%d", p.year, p.index);
  }
  return "";
}

Period PeriodOfDay(PeriodKind kind, absl::CivilDay day) {
  Period p;
  p.kind = kind;
  switch (kind) {
    case PeriodKind::kWeek: IsoWeekOf(day, &p.year, &p.index); break;
    case PeriodKind::kMonth:
      p.year = static_cast<int>(day.year());
      p.index = day.month();
      break;
    case PeriodKind::kQuarter:
      p.year = static_cast<int>(day.year());
      p.index = (day.month() - 1) / 3 + 1;
      break;
  }
  return p;
}

Period PeriodOf(PeriodKind kind, absl::Time t, absl::TimeZone tz) {
  return PeriodOfDay(kind, absl::ToCivilDay(t, tz));
}

absl::CivilDay PeriodFirstDay(const Period& p) {
  switch (p.kind) {
    case PeriodKind::kWeek: return IsoWeekOneMonday(p.year) + 7 * (p.index - 1);
    case PeriodKind::kMonth: return absl::CivilDay(p.year, p.index, 1);
    case PeriodKind::kQuarter: return absl::CivilDay(p.year, (p.index - 1) * 3 + 1, 1);
  }
  return absl::CivilDay();
}

absl::CivilDay PeriodEndDay(const Period& p) { return PeriodFirstDay(NextPeriod(p)); }

absl::Time PeriodStart(const Period& p, absl::TimeZone tz) {
  return absl::FromCivil(PeriodFirstDay(p), tz);
}

absl::Time PeriodEnd(const Period& p, absl::TimeZone tz) {
  return absl::FromCivil(PeriodEndDay(p), tz);
}

Period NextPeriod(const Period& p) {
  Period n = p;
  switch (p.kind) {
    case PeriodKind::kWeek:
      if (++n.index > IsoWeeksInYear(p.year)) {
        n.year++;
        n.index = 1;
      }
      break;
    case PeriodKind::kMonth:
      if (++n.index > 12) {
        n.year++;
        n.index = 1;
      }
      break;
    case PeriodKind::kQuarter:
      if (++n.index > 4) {
        n.year++;
        n.index = 1;
      }
      break;
  }
  return n;
}

Period PrevPeriod(const Period& p) {
  Period n = p;
  if (--n.index >= 1) return n;
  n.year--;
  switch (p.kind) {
    case PeriodKind::kWeek: n.index = IsoWeeksInYear(n.year); break;
    case PeriodKind::kMonth: n.index = 12; break;
    case PeriodKind::kQuarter: n.index = 4; break;
  }
  return n;
}

int PeriodDays(const Period& p) {
  return static_cast<int>(PeriodEndDay(p) - PeriodFirstDay(p));
}

}  // namespace cs
