#pragma once

// Configuration of the metrics core (after LevelDB's options.h: every field
// has a default and states its unit).

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"

namespace cs::metrics {

struct MetricsCoreOptions {
  // IANA zone used to bucket a rep's events when the rep has no directory
  // record or an empty/unknown Person.time_zone. Default "UTC".
  std::string default_time_zone = "UTC";
  // Per-tenant override of default_time_zone (tenant_id -> IANA zone).
  absl::flat_hash_map<std::string, std::string> tenant_time_zones;

  // An open deal with no activity (linked call or meeting, stage or owner
  // change) for more than this many days is stalled. Default 14 days.
  int stalled_after_days = 14;

  // Dedup state (event ids, call ids) is kept for events whose occurred_at
  // is within this many days before now; calls and coaching sessions older
  // than that are not applied (kTooOld; the service dead-letters them).
  // Default 400 days (a year plus a quarter of late CRM edits).
  int dedup_retention_days = 400;

  // Cap on the won-deal cycle-day samples kept per rep and week part (the
  // days of an ISO week within one month), for the median. Default 512;
  // wins beyond it count in sample_size only.
  int max_cycle_samples = 512;

  // Parsed state entries kept in memory across batches (0 = none). Clean
  // entries survive TakeMutations while the cache holds at most this many;
  // above it the cache is dropped and reloaded from the store. About 0.3-1
  // KB per entry (a month bucket is the largest). Default 2M (~1 GB worst
  // case); without the cache every batch re-reads and re-parses its keys.
  int64_t max_cached_entries = 2'000'000;

  // Threads MetricsCore::ApplyBatch applies a batch on (the reps are split
  // into this many shards; see metrics_core.h). Default 1.
  int apply_threads = 1;

  // Longest GetDriverHistory range, in periods. Default 156 (3 years of weeks).
  int max_history_periods = 156;

  // Largest manager subtree GetTeamDrivers walks, in people. Default 20000.
  int max_subtree_people = 20000;

  // Peer benchmarks (GetBenchmarks and the peer groups of GetTeamDrivers)
  // read every peer's bucket: thousands of reps per group. They are cached
  // per (tenant, role, segment, period) for this many seconds, so answers
  // may lag new events by that much. Default 0 = not cached (exact); the
  // service sets it with --benchmark_cache_ttl.
  int benchmark_cache_seconds = 0;
};

// OK, or INVALID_ARGUMENT naming the bad field (e.g. an unknown time zone).
absl::Status ValidateOptions(const MetricsCoreOptions& options);

}  // namespace cs::metrics
