#include "tools/coachctl/config.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/base/period.h"
#include "tools/coachctl/format.h"

namespace cs::coachctl {
namespace {

// Flag, else environment variable, else nullopt; names the source on error.
struct Setting {
  std::optional<std::string> value;
  std::string source;  // "--tenant" or "COACHCTL_TENANT"
};

Setting Lookup(const Invocation& inv, const EnvLookup& env, std::string_view flag, std::string_view var) {
  if (auto v = inv.Get(flag)) return {v, absl::StrCat("--", Av(flag))};
  if (auto v = env(var); v && !v->empty()) return {v, std::string(var)};
  return {std::nullopt, absl::StrCat("--", Av(flag))};
}

}  // namespace

absl::Status CheckMonth(std::string_view what, std::string_view month) {
  auto p = ParsePeriod(month);
  if (!p.ok() || p->kind != PeriodKind::kMonth) {
    return absl::InvalidArgumentError(absl::StrCat(Av(what), ": '", Av(month), "' is not a month (YYYY-MM)"));
  }
  return absl::OkStatus();
}

std::string AddMonths(std::string_view month, int delta) {
  auto p = ParsePeriod(month);
  if (!p.ok()) return std::string(month);
  int index = p->year * 12 + (p->index - 1) + delta;
  return absl::StrFormat("%04d-%02d", index / 12, index % 12 + 1);
}

absl::StatusOr<absl::Duration> ParseTimeout(std::string_view text) {
  absl::Duration d;
  double seconds = 0;
  if (absl::SimpleAtod(Av(text), &seconds)) {
    d = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(Av(text), &d)) {
    return absl::InvalidArgumentError(absl::StrCat("'", Av(text), "' is not a duration (10s, 500ms, 1m)"));
  }
  if (d <= absl::ZeroDuration()) return absl::InvalidArgumentError("must be positive");
  return d;
}

absl::StatusOr<Config> ResolveConfig(const Invocation& inv, const EnvLookup& env, absl::Time now) {
  Config c;
  if (auto s = Lookup(inv, env, "coaching", "COACHCTL_COACHING"); s.value) c.coaching_address = *s.value;
  if (auto s = Lookup(inv, env, "metrics", "COACHCTL_METRICS"); s.value) c.metrics_address = *s.value;
  if (auto s = Lookup(inv, env, "tenant", "COACHCTL_TENANT"); s.value) c.tenant = *s.value;
  if (auto s = Lookup(inv, env, "as", "COACHCTL_AS"); s.value) c.person = *s.value;
  if (auto s = Lookup(inv, env, "timeout", "COACHCTL_TIMEOUT"); s.value) {
    auto d = ParseTimeout(*s.value);
    if (!d.ok()) return absl::InvalidArgumentError(absl::StrCat(s.source, ": ", d.status().message()));
    c.timeout = *d;
    c.timeout_explicit = true;
  }
  c.month = inv.GetOr("month", absl::FormatTime("%Y-%m", now, absl::UTCTimeZone()));
  if (auto s = CheckMonth("--month", c.month); !s.ok()) return s;
  c.json = inv.Has("json");
  return c;
}

}  // namespace cs::coachctl
