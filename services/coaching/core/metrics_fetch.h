#pragma once

// Reading what the core needs from the MetricsService port: a rep's window
// of months with benchmarks (one rep, or a manager's whole team with three
// calls), and single periods with a per-request cache.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "libs/base/period.h"
#include "services/coaching/core/ports.h"
#include "services/coaching/core/window.h"

namespace cs::coaching {

// The months behind a recommendation for `month`: up to `window_months`
// months ending at it, without months that have not begun at `now`.
struct WindowSpec {
  std::vector<Period> months;   // oldest first
  std::vector<double> elapsed;  // per month, (0, 1]
  std::string label;            // "2024-04..2024-06"
  // The quarters the months fall in, with the elapsed months of each.
  std::vector<std::pair<Period, double>> quarters;
};
WindowSpec MakeWindow(const Period& month, int window_months, absl::Time now, absl::TimeZone tz);

// GetRepDrivers for each month, then GetBenchmarks for the rep's peer group
// (role and segment of the latest month) for each month and quarter.
// NOT_FOUND for an unknown rep.
absl::StatusOr<WindowData> FetchRepWindow(MetricsSource& metrics, const std::string& tenant,
                                          const std::string& rep, const WindowSpec& spec);

// A manager's team over a window: one GetTeamDrivers per month and quarter.
struct TeamWindow {
  std::vector<std::string> rep_ids;  // in the latest month's order, then earlier-only reps
  std::map<std::string, WindowData> reps;
  coachstream::v1::GetTeamDriversResponse latest;  // the window's last month, as returned
};
absl::StatusOr<TeamWindow> FetchTeamWindow(MetricsSource& metrics, const std::string& tenant,
                                           const std::string& manager, const WindowSpec& spec);

// RepDrivers per (rep, period) for one request: preloaded from a window,
// fetched with GetRepDrivers otherwise. Not thread-safe.
class PeriodDriversCache {
 public:
  PeriodDriversCache(MetricsSource& metrics, std::string tenant)
      : metrics_(metrics), tenant_(std::move(tenant)) {}
  void Preload(const std::string& rep, const WindowData& data);
  absl::StatusOr<const coachstream::v1::RepDrivers*> Get(const std::string& rep, const Period& period);

 private:
  MetricsSource& metrics_;
  const std::string tenant_;
  std::map<std::pair<std::string, std::string>, coachstream::v1::RepDrivers> cache_;
};

// Prefixes a port error with what was being read, keeping its code.
absl::Status MetricsError(const absl::Status& status, std::string_view what);

}  // namespace cs::coaching
