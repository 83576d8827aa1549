#include "tools/simulate/options.h"

#include <string>

namespace cs::simulate {
namespace {

// CRM history before the window: long enough that even slow enterprise
// deals (median ~160 days for long-cycle reps) can close inside the window,
// so measured cycle times are not cut short.
constexpr int kCrmLeadInDays = 270;

bool ValidDomain(const std::string& d) {
  if (d.empty() || d.size() > 200 || d.find('.') == std::string::npos) return false;
  for (char c : d) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ValidTenant(const std::string& t) {
  if (t.empty() || t.size() > 64) return false;
  for (char c : t) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Window WindowOf(const SimOptions& options) {
  Window w;
  absl::CivilMonth end_month(options.end_day);
  w.first_day = absl::CivilDay(end_month - options.months);
  w.end_day = options.end_day;
  w.start = absl::FromCivil(w.first_day, absl::UTCTimeZone());
  w.end = absl::FromCivil(w.end_day, absl::UTCTimeZone());
  w.crm_start = w.start - absl::Hours(24 * kCrmLeadInDays);
  return w;
}

absl::Status ValidateOptions(const SimOptions& o) {
  auto bad = [](const std::string& msg) { return absl::InvalidArgumentError(msg); };
  if (o.directors < 1 || o.directors > 50) return bad("--directors: must be 1-50");
  if (o.managers < o.directors || o.managers > 500) {
    return bad("--managers: must be at least --directors and at most 500");
  }
  if (o.reps < o.managers || o.reps > 10000) {
    return bad("--reps: must be at least --managers and at most 10000");
  }
  if (o.months < 1 || o.months > 24) return bad("--months: must be 1-24");
  if (o.end_day < absl::CivilDay(2000, 1, 1) || o.end_day > absl::CivilDay(2200, 1, 1)) {
    return bad("--end: must be a date between 2000-01-01 and 2200-01-01");
  }
  if (!ValidTenant(o.tenant)) return bad("--tenant: must match [A-Za-z0-9._:-]{1,64}");
  if (!ValidDomain(o.email_domain)) {
    return bad("--domain: must be a lower-case DNS name such as acme.example");
  }
  return absl::OkStatus();
}

}  // namespace cs::simulate
