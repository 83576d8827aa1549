#include "services/coaching/core/validation.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/coaching/core/absl_compat.h"

namespace cs::coaching {

absl::Status FieldError(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(Av(field), ": ", Av(why)));
}

absl::Status CheckId(std::string_view field, std::string_view value) {
  constexpr size_t kMaxIdBytes = 256;
  if (value.empty()) return FieldError(field, "required");
  if (value.size() > kMaxIdBytes)
    return FieldError(field, absl::StrCat("longer than ", kMaxIdBytes, " bytes"));
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return FieldError(field, "contains a control character");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Period> ParseAnyPeriod(std::string_view field, std::string_view text) {
  if (text.empty()) return FieldError(field, "required");
  absl::StatusOr<Period> p = ParsePeriod(text);
  if (!p.ok()) return FieldError(field, std::string(p.status().message()));
  return p;
}

absl::StatusOr<Period> ParseMonth(std::string_view field, std::string_view text) {
  absl::StatusOr<Period> p = ParseAnyPeriod(field, text);
  if (p.ok() && p->kind != PeriodKind::kMonth) {
    return FieldError(field, absl::StrCat("\"", Av(text), "\" is not a month (expected e.g. \"2024-06\")"));
  }
  return p;
}

double ElapsedFraction(const Period& p, absl::Time now, absl::TimeZone tz) {
  const absl::Time start = PeriodStart(p, tz);
  const absl::Time end = PeriodEnd(p, tz);
  if (now <= start) return 0;
  if (now >= end) return 1;
  return std::clamp(absl::FDivDuration(now - start, end - start), 0.0, 1.0);
}

}  // namespace cs::coaching
