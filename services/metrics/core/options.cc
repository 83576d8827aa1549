#include "services/metrics/core/options.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/metrics/core/keys.h"

namespace cs::metrics {
namespace {

absl::Status CheckZone(const std::string& field, const std::string& name) {
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(name, &zone)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": unknown time zone \"", name, "\""));
  }
  return absl::OkStatus();
}

absl::Status CheckPositive(const char* field, int64_t value) {
  if (value > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(field, ": must be > 0, got ", value));
}

}  // namespace

absl::Status ValidateOptions(const MetricsCoreOptions& options) {
  if (absl::Status s = CheckZone("default_time_zone", options.default_time_zone); !s.ok()) return s;
  for (const auto& [tenant, zone] : options.tenant_time_zones) {
    if (absl::Status s = CheckZone(absl::StrCat("tenant_time_zones[", tenant, "]"), zone); !s.ok()) return s;
  }
  for (auto [field, value] : {std::pair<const char*, int64_t>{"stalled_after_days", options.stalled_after_days},
                              {"dedup_retention_days", options.dedup_retention_days},
                              {"max_cycle_samples", options.max_cycle_samples},
                              {"max_history_periods", options.max_history_periods},
                              {"max_subtree_people", options.max_subtree_people}}) {
    if (absl::Status s = CheckPositive(field, value); !s.ok()) return s;
  }
  // A shard holds whole dedup buckets (LedgerGroup::ShardOfHash).
  if (options.apply_threads < 1 || options.apply_threads > kDedupBuckets) {
    return absl::InvalidArgumentError(
        absl::StrCat("apply_threads: must be 1 to ", kDedupBuckets, ", got ", options.apply_threads));
  }
  if (options.benchmark_cache_seconds < 0) {
    return absl::InvalidArgumentError("benchmark_cache_seconds: must be >= 0");
  }
  if (options.max_cached_entries < 0) {
    return absl::InvalidArgumentError("max_cached_entries: must be >= 0");
  }
  return absl::OkStatus();
}

}  // namespace cs::metrics
