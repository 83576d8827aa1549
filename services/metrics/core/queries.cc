#include "services/metrics/core/queries.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "libs/base/period.h"
#include "libs/base/status.h"
#include "services/metrics/core/absl_compat.h"
#include "services/metrics/core/drivers.h"
#include "services/metrics/core/keys.h"
#include "services/metrics/core/open_deals.h"
#include "services/metrics/core/peer_prior.h"
#include "services/metrics/core/rep_inputs.h"

namespace cs::metrics {
namespace {

using coachstream::v1::Benchmark;
using coachstream::v1::RepDrivers;
using coachstream::v1::RepRecord;
using coachstream::v1::Role;

absl::Status Required(std::string_view field, const std::string& value) {
  if (!value.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(AbslView(field), ": required"));
}

absl::StatusOr<Period> ParsePeriodField(std::string_view field, const std::string& text) {
  absl::StatusOr<Period> p = ParsePeriod(text);
  if (!p.ok()) return absl::InvalidArgumentError(absl::StrCat(AbslView(field), ": ", p.status().message()));
  return *p;
}

bool IsManagementRole(Role role) {
  return role == coachstream::v1::ROLE_FRONTLINE_MANAGER || role == coachstream::v1::ROLE_DIRECTOR ||
         role == coachstream::v1::ROLE_VP || role == coachstream::v1::ROLE_CRO;
}

std::vector<DriverParts> ComputeAll(const RepPeriodInputs& in) {
  std::vector<DriverParts> parts;
  parts.reserve(Drivers().size());
  for (const DriverSpec& spec : Drivers()) parts.push_back(spec.compute(in));
  return parts;
}

RepDrivers MakeRepDrivers(std::string_view rep_id, const Period& period, const RepRecord* record,
                          const std::vector<DriverParts>& parts) {
  RepDrivers rep;
  rep.set_rep_id(std::string(rep_id));
  rep.set_period(FormatPeriod(period));
  if (record) {
    rep.set_display_name(record->person().display_name());
    rep.set_manager_id(record->person().manager_id());
    rep.set_role(record->person().role());
    rep.set_segment(record->person().segment());
  }
  const auto specs = Drivers();
  for (size_t i = 0; i < specs.size(); ++i) *rep.add_drivers() = ToDriverValue(specs[i], parts[i]);
  return rep;
}

absl::Status RepNotFound(std::string_view tenant, std::string_view rep) {
  return absl::NotFoundError(absl::StrCat("rep_id: \"", AbslView(rep), "\" not found in tenant \"", AbslView(tenant), "\""));
}

}  // namespace

// Per-request state: directory records and driver parts computed once per
// rep, shared between a team's rows and its peer benchmarks.
class MetricsQueries::Session {
 public:
  Session(const MetricsQueries& q, std::string_view tenant, const Period& period)
      : q_(q), tenant_(tenant), period_(period) {}

  absl::StatusOr<const RepRecord*> Record(const std::string& id) {
    auto it = records_.find(id);
    if (it == records_.end()) {
      CS_ASSIGN_OR_RETURN(std::optional<RepRecord> record, LoadRepRecord(q_.reader_, tenant_, id));
      it = records_.emplace(id, std::move(record)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  absl::StatusOr<const std::vector<DriverParts>*> Parts(const std::string& id) {
    auto it = parts_.find(id);
    if (it != parts_.end()) return &it->second;
    CS_ASSIGN_OR_RETURN(const RepRecord* record, Record(id));
    CS_ASSIGN_OR_RETURN(std::vector<RepPeriodInputs> inputs,
                        LoadRepInputs(q_.scanner_, q_.options_, q_.clock_.Now(), tenant_, id, record, period_,
                                      period_));
    return &parts_.emplace(id, ComputeAll(inputs.front())).first->second;
  }

  // Every person below `manager`, breadth first (cycles in the directory are
  // cut: a person is visited once).
  absl::StatusOr<std::vector<std::string>> Subtree(const std::string& manager) {
    std::vector<std::string> people;
    absl::flat_hash_set<std::string> visited = {manager};
    std::deque<std::string> queue = {manager};
    while (!queue.empty()) {
      const std::string current = std::move(queue.front());
      queue.pop_front();
      std::vector<std::string> reports;
      CS_RETURN_IF_ERROR(q_.scanner_.Scan(ReportPrefix(tenant_, current), [&](std::string_view key, std::string_view) {
        reports.push_back(LastKeyComponent(key));
        return true;
      }));
      for (std::string& id : reports) {
        if (!visited.insert(id).second) continue;
        if (static_cast<int>(people.size()) >= q_.options_.max_subtree_people) {
          return absl::FailedPreconditionError(absl::StrCat("manager_id: the subtree of \"", manager,
                                                            "\" has more than ", q_.options_.max_subtree_people,
                                                            " people"));
        }
        people.push_back(id);
        queue.push_back(std::move(id));
      }
    }
    return people;
  }

  absl::StatusOr<std::vector<Benchmark>> Benchmarks(Role role, const std::string& segment) {
    if (q_.options_.benchmark_cache_seconds <= 0) return ComputeBenchmarks(role, segment);
    const std::string key = absl::StrCat(tenant_, "/", static_cast<int>(role), "/", segment, "/", FormatPeriod(period_));
    if (auto hit = q_.CachedBenchmarksFor(key)) return std::move(*hit);
    // Stamped with the time the computation starts: the state it reads is
    // at least that fresh, so the entry expires one TTL after that state,
    // however long the scan of the peers took (a store busy with a
    // catch-up), rather than one TTL after the slow scan ended.
    const absl::Time started = q_.clock_.Now();
    CS_ASSIGN_OR_RETURN(std::vector<Benchmark> out, ComputeBenchmarks(role, segment));
    q_.CacheBenchmarks(key, started, out);
    return out;
  }

 private:
  absl::StatusOr<std::vector<Benchmark>> ComputeBenchmarks(Role role, const std::string& segment) {
    std::vector<std::string> peers;
    CS_RETURN_IF_ERROR(q_.scanner_.Scan(PeerPrefix(tenant_, role, segment), [&](std::string_view key, std::string_view) {
      peers.push_back(LastKeyComponent(key));
      return true;
    }));
    const auto specs = Drivers();
    std::vector<std::vector<double>> values(specs.size());
    std::vector<std::vector<SampleMoments>> moments(specs.size());
    for (const std::string& id : peers) {
      CS_ASSIGN_OR_RETURN(const std::vector<DriverParts>* parts, Parts(id));
      for (size_t i = 0; i < specs.size(); ++i) {
        if (!(*parts)[i].benchmarkable) continue;
        values[i].push_back(ToDriverValue(specs[i], (*parts)[i]).value());
        if (auto m = MomentsOf(specs[i], (*parts)[i])) moments[i].push_back(*m);
      }
    }
    std::vector<Benchmark> out;
    for (size_t i = 0; i < specs.size(); ++i) {
      Benchmark b;
      b.set_driver(std::string(specs[i].name));
      b.set_median(Quantile(values[i], 0.5));
      b.set_p75(Quantile(values[i], 0.75));
      b.set_peers(static_cast<int32_t>(values[i].size()));
      if (auto k = PeerPriorStrength(moments[i])) b.set_prior_strength(*k);
      out.push_back(std::move(b));
    }
    return out;
  }

  const MetricsQueries& q_;
  std::string tenant_;
  Period period_;
  absl::flat_hash_map<std::string, std::optional<RepRecord>> records_;
  absl::flat_hash_map<std::string, std::vector<DriverParts>> parts_;
};

MetricsQueries::MetricsQueries(const StateReader& reader, const StateScanner& scanner, const Clock& clock,
                               MetricsCoreOptions options)
    : reader_(reader), scanner_(scanner), clock_(clock), options_(std::move(options)) {}

std::optional<std::vector<Benchmark>> MetricsQueries::CachedBenchmarksFor(const std::string& key) const {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = benchmark_cache_.find(key);
  if (it == benchmark_cache_.end() ||
      clock_.Now() - it->second.computed_at >= absl::Seconds(options_.benchmark_cache_seconds)) {
    return std::nullopt;
  }
  return it->second.benchmarks;
}

void MetricsQueries::CacheBenchmarks(const std::string& key, absl::Time computed_at,
                                     const std::vector<Benchmark>& benchmarks) const {
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = benchmark_cache_.find(key);
  // Concurrent misses: a computation that started earlier (older state)
  // and ended later must not replace the newer one.
  if (it != benchmark_cache_.end() && it->second.computed_at > computed_at) return;
  if (it == benchmark_cache_.end() && benchmark_cache_.size() >= 4096) {
    benchmark_cache_.clear();  // bound: tenants x groups x periods
  }
  benchmark_cache_[key] = CachedBenchmarks{computed_at, benchmarks};
}

absl::StatusOr<coachstream::v1::GetRepDriversResponse> MetricsQueries::GetRepDrivers(
    const coachstream::v1::GetRepDriversRequest& request) const {
  CS_RETURN_IF_ERROR(Required("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(Required("rep_id", request.rep_id()));
  CS_ASSIGN_OR_RETURN(Period period, ParsePeriodField("period", request.period()));
  Session session(*this, request.tenant_id(), period);
  CS_ASSIGN_OR_RETURN(const RepRecord* record, session.Record(request.rep_id()));
  if (record == nullptr) {
    CS_ASSIGN_OR_RETURN(bool known, HasAnyAggregate(scanner_, request.tenant_id(), request.rep_id()));
    if (!known) return RepNotFound(request.tenant_id(), request.rep_id());
  }
  CS_ASSIGN_OR_RETURN(const std::vector<DriverParts>* parts, session.Parts(request.rep_id()));
  coachstream::v1::GetRepDriversResponse response;
  *response.mutable_rep() = MakeRepDrivers(request.rep_id(), period, record, *parts);
  return response;
}

absl::StatusOr<coachstream::v1::GetTeamDriversResponse> MetricsQueries::GetTeamDrivers(
    const coachstream::v1::GetTeamDriversRequest& request) const {
  CS_RETURN_IF_ERROR(Required("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(Required("manager_id", request.manager_id()));
  CS_ASSIGN_OR_RETURN(Period period, ParsePeriodField("period", request.period()));
  Session session(*this, request.tenant_id(), period);
  CS_ASSIGN_OR_RETURN(const RepRecord* manager, session.Record(request.manager_id()));
  CS_ASSIGN_OR_RETURN(std::vector<std::string> people, session.Subtree(request.manager_id()));
  // A manager is known by their own record or, while the directory lags,
  // by people reporting to them.
  if ((manager == nullptr && people.empty()) || (manager != nullptr && manager->deleted())) {
    return absl::NotFoundError(absl::StrCat("manager_id: \"", request.manager_id(), "\" not found in tenant \"",
                                            request.tenant_id(), "\""));
  }
  std::sort(people.begin(), people.end());

  const auto specs = Drivers();
  std::vector<DriverParts> rollup(specs.size());
  std::vector<std::pair<Role, std::string>> groups;
  coachstream::v1::GetTeamDriversResponse response;
  for (const std::string& id : people) {
    CS_ASSIGN_OR_RETURN(const RepRecord* record, session.Record(id));
    if (record == nullptr || record->deleted() || IsManagementRole(record->person().role())) continue;
    CS_ASSIGN_OR_RETURN(const std::vector<DriverParts>* parts, session.Parts(id));
    *response.add_reps() = MakeRepDrivers(id, period, record, *parts);
    for (size_t i = 0; i < specs.size(); ++i) Accumulate(specs[i], (*parts)[i], &rollup[i]);
    std::pair<Role, std::string> group(record->person().role(), record->person().segment());
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(std::move(group));
  }
  for (size_t i = 0; i < specs.size(); ++i) *response.add_rollup() = ToDriverValue(specs[i], rollup[i]);
  for (const auto& [role, segment] : groups) {
    CS_ASSIGN_OR_RETURN(std::vector<Benchmark> benchmarks, session.Benchmarks(role, segment));
    auto* group = response.add_benchmarks_by_peer_group();
    group->set_role(role);
    group->set_segment(segment);
    for (Benchmark& b : benchmarks) *group->add_benchmarks() = std::move(b);
  }
  if (!groups.empty()) *response.mutable_benchmarks() = response.benchmarks_by_peer_group(0).benchmarks();
  return response;
}

absl::StatusOr<coachstream::v1::GetDriverHistoryResponse> MetricsQueries::GetDriverHistory(
    const coachstream::v1::GetDriverHistoryRequest& request) const {
  CS_RETURN_IF_ERROR(Required("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(Required("rep_id", request.rep_id()));
  CS_RETURN_IF_ERROR(Required("driver", request.driver()));
  const DriverSpec* spec = FindDriver(request.driver());
  if (spec == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("driver: unknown driver \"", request.driver(), "\""));
  }
  CS_ASSIGN_OR_RETURN(Period from, ParsePeriodField("from_period", request.from_period()));
  CS_ASSIGN_OR_RETURN(Period to, ParsePeriodField("to_period", request.to_period()));
  if (from.kind != to.kind) {
    return absl::InvalidArgumentError(absl::StrCat("from_period, to_period: mixed period kinds (\"",
                                                   request.from_period(), "\" and \"", request.to_period(), "\")"));
  }
  if (to < from) {
    return absl::InvalidArgumentError(absl::StrCat("from_period: \"", request.from_period(),
                                                   "\" is after to_period \"", request.to_period(), "\""));
  }
  int count = 0;
  for (Period p = from; !(to < p); p = NextPeriod(p)) {
    if (++count > options_.max_history_periods) {
      return absl::InvalidArgumentError(absl::StrCat("from_period, to_period: the range is longer than ",
                                                     options_.max_history_periods, " periods"));
    }
  }
  CS_ASSIGN_OR_RETURN(std::optional<RepRecord> record, LoadRepRecord(reader_, request.tenant_id(), request.rep_id()));
  if (!record) {
    CS_ASSIGN_OR_RETURN(bool known, HasAnyAggregate(scanner_, request.tenant_id(), request.rep_id()));
    if (!known) return RepNotFound(request.tenant_id(), request.rep_id());
  }
  CS_ASSIGN_OR_RETURN(std::vector<RepPeriodInputs> inputs,
                      LoadRepInputs(scanner_, options_, clock_.Now(), request.tenant_id(), request.rep_id(),
                                    record ? &*record : nullptr, from, to));
  coachstream::v1::GetDriverHistoryResponse response;
  Period p = from;
  for (const RepPeriodInputs& in : inputs) {
    auto* point = response.add_points();
    point->set_period(FormatPeriod(p));
    *point->mutable_value() = ToDriverValue(*spec, spec->compute(in));
    p = NextPeriod(p);
  }
  return response;
}

absl::StatusOr<coachstream::v1::GetBenchmarksResponse> MetricsQueries::GetBenchmarks(
    const coachstream::v1::GetBenchmarksRequest& request) const {
  CS_RETURN_IF_ERROR(Required("tenant_id", request.tenant_id()));
  if (request.role() == coachstream::v1::ROLE_UNSPECIFIED) {
    return absl::InvalidArgumentError("role: required");
  }
  CS_ASSIGN_OR_RETURN(Period period, ParsePeriodField("period", request.period()));
  Session session(*this, request.tenant_id(), period);
  CS_ASSIGN_OR_RETURN(std::vector<Benchmark> benchmarks, session.Benchmarks(request.role(), request.segment()));
  coachstream::v1::GetBenchmarksResponse response;
  for (Benchmark& b : benchmarks) *response.add_benchmarks() = std::move(b);
  return response;
}

absl::StatusOr<coachstream::v1::ListOpenDealsResponse> MetricsQueries::ListOpenDeals(
    const coachstream::v1::ListOpenDealsRequest& request) const {
  return metrics::ListOpenDeals(reader_, scanner_, request);
}

}  // namespace cs::metrics
