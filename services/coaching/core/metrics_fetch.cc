#include "services/coaching/core/metrics_fetch.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/status.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching {
namespace {

using coachstream::v1::Benchmark;
using coachstream::v1::RepDrivers;

std::vector<Benchmark> PeerGroup(const coachstream::v1::GetTeamDriversResponse& team, const RepDrivers& rep) {
  for (const auto& group : team.benchmarks_by_peer_group()) {
    if (group.role() == rep.role() && group.segment() == rep.segment()) {
      return {group.benchmarks().begin(), group.benchmarks().end()};
    }
  }
  return {};
}

}  // namespace

absl::Status MetricsError(const absl::Status& status, std::string_view what) {
  // Request errors already name their field; keep them as they are.
  if (absl::IsNotFound(status) || absl::IsInvalidArgument(status)) return status;
  return absl::Status(status.code(), absl::StrCat("metrics service ", Av(what), ": ", status.message()));
}

WindowSpec MakeWindow(const Period& month, int window_months, absl::Time now, absl::TimeZone tz) {
  std::vector<Period> months{month};
  for (int i = 1; i < window_months; ++i) months.insert(months.begin(), PrevPeriod(months.front()));
  WindowSpec spec;
  for (const Period& p : months) {
    const double e = ElapsedFraction(p, now, tz);
    if (e <= 0) continue;
    spec.months.push_back(p);
    spec.elapsed.push_back(e);
    const Period quarter = PeriodOfDay(PeriodKind::kQuarter, PeriodFirstDay(p));
    if (spec.quarters.empty() || spec.quarters.back().first != quarter) spec.quarters.push_back({quarter, 0});
    spec.quarters.back().second += e;
  }
  if (spec.months.empty()) {
    spec.label = FormatPeriod(month);
  } else if (spec.months.size() == 1) {
    spec.label = FormatPeriod(spec.months.front());
  } else {
    spec.label = absl::StrCat(FormatPeriod(spec.months.front()), "..", FormatPeriod(spec.months.back()));
  }
  return spec;
}

absl::StatusOr<std::vector<coachstream::v1::Benchmark>> FetchBenchmarks(MetricsSource& metrics,
                                                                        const std::string& tenant,
                                                                        const RepDrivers& identity,
                                                                        const Period& period) {
  coachstream::v1::GetBenchmarksRequest request;
  request.set_tenant_id(tenant);
  request.set_role(identity.role());
  request.set_segment(identity.segment());
  request.set_period(FormatPeriod(period));
  absl::StatusOr<coachstream::v1::GetBenchmarksResponse> response = metrics.GetBenchmarks(request);
  if (absl::IsNotFound(response.status())) return std::vector<Benchmark>();  // no peer group
  if (!response.ok()) return MetricsError(response.status(), "GetBenchmarks");
  return std::vector<Benchmark>(response->benchmarks().begin(), response->benchmarks().end());
}

absl::StatusOr<WindowData> FetchRepWindow(MetricsSource& metrics, const std::string& tenant,
                                          const std::string& rep, const WindowSpec& spec) {
  WindowData data;
  for (size_t i = 0; i < spec.months.size(); ++i) {
    coachstream::v1::GetRepDriversRequest request;
    request.set_tenant_id(tenant);
    request.set_rep_id(rep);
    request.set_period(FormatPeriod(spec.months[i]));
    absl::StatusOr<coachstream::v1::GetRepDriversResponse> response = metrics.GetRepDrivers(request);
    if (!response.ok()) return MetricsError(response.status(), "GetRepDrivers");
    MonthData m;
    m.month = spec.months[i];
    m.elapsed = spec.elapsed[i];
    m.rep = std::move(*response->mutable_rep());
    data.months.push_back(std::move(m));
  }
  // The peer group of the latest month the directory gave a role.
  const RepDrivers* identity = nullptr;
  for (const MonthData& m : data.months) {
    if (m.rep.role() != coachstream::v1::ROLE_UNSPECIFIED || identity == nullptr) identity = &m.rep;
  }
  // Without a role there is no peer group (and GetBenchmarks requires one).
  if (identity == nullptr || identity->role() == coachstream::v1::ROLE_UNSPECIFIED) return data;
  for (MonthData& m : data.months) {
    CS_ASSIGN_OR_RETURN(m.benchmarks, FetchBenchmarks(metrics, tenant, *identity, m.month));
  }
  for (const auto& [quarter, weight] : spec.quarters) {
    PeriodBenchmarks q{quarter, weight, {}};
    CS_ASSIGN_OR_RETURN(q.benchmarks, FetchBenchmarks(metrics, tenant, *identity, quarter));
    data.level_benchmarks.push_back(std::move(q));
  }
  return data;
}

absl::StatusOr<coachstream::v1::GetTeamDriversResponse> FetchTeam(MetricsSource& metrics,
                                                                  const std::string& tenant,
                                                                  const std::string& manager,
                                                                  const Period& period) {
  coachstream::v1::GetTeamDriversRequest request;
  request.set_tenant_id(tenant);
  request.set_manager_id(manager);
  request.set_period(FormatPeriod(period));
  absl::StatusOr<coachstream::v1::GetTeamDriversResponse> response = metrics.GetTeamDrivers(request);
  if (!response.ok()) return MetricsError(response.status(), "GetTeamDrivers");
  return response;
}

absl::StatusOr<TeamWindow> FetchTeamWindow(MetricsSource& metrics, const std::string& tenant,
                                           const std::string& manager, const WindowSpec& spec) {
  TeamWindow team;
  std::set<std::string> seen;
  for (size_t i = spec.months.size(); i-- > 0;) {  // latest first: it orders the rows
    CS_ASSIGN_OR_RETURN(coachstream::v1::GetTeamDriversResponse response,
                        FetchTeam(metrics, tenant, manager, spec.months[i]));
    for (const RepDrivers& rep : response.reps()) {
      if (seen.insert(rep.rep_id()).second) team.rep_ids.push_back(rep.rep_id());
      MonthData m;
      m.month = spec.months[i];
      m.elapsed = spec.elapsed[i];
      m.rep = rep;
      m.benchmarks = PeerGroup(response, rep);
      team.reps[rep.rep_id()].months.push_back(std::move(m));
    }
    if (i + 1 == spec.months.size()) team.latest = std::move(response);
  }
  for (auto& [id, data] : team.reps) {
    std::sort(data.months.begin(), data.months.end(),
              [](const MonthData& a, const MonthData& b) { return a.month < b.month; });
  }
  for (const auto& [quarter, weight] : spec.quarters) {
    CS_ASSIGN_OR_RETURN(coachstream::v1::GetTeamDriversResponse response,
                        FetchTeam(metrics, tenant, manager, quarter));
    for (auto& [id, data] : team.reps) {
      // The peer group of the rep's latest month.
      data.level_benchmarks.push_back({quarter, weight, PeerGroup(response, data.months.back().rep)});
    }
  }
  return team;
}

void PeriodDriversCache::Preload(const std::string& rep, const WindowData& data) {
  for (const MonthData& m : data.months) cache_[{rep, FormatPeriod(m.month)}] = m.rep;
}

absl::StatusOr<const RepDrivers*> PeriodDriversCache::Get(const std::string& rep, const Period& period) {
  const std::pair<std::string, std::string> key{rep, FormatPeriod(period)};
  auto it = cache_.find(key);
  if (it != cache_.end()) return &it->second;
  coachstream::v1::GetRepDriversRequest request;
  request.set_tenant_id(tenant_);
  request.set_rep_id(rep);
  request.set_period(key.second);
  absl::StatusOr<coachstream::v1::GetRepDriversResponse> response = metrics_.GetRepDrivers(request);
  if (!response.ok()) return MetricsError(response.status(), "GetRepDrivers");
  return &(cache_[key] = std::move(*response->mutable_rep()));
}

}  // namespace cs::coaching
