#include "tests/services/coaching/fakes.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/period.h"
#include "services/coaching/core/driver_catalog.h"

namespace cs::coaching::testing {

using coachstream::v1::Benchmark;
using coachstream::v1::DriverValue;
using coachstream::v1::RepDrivers;

absl::StatusOr<std::optional<std::string>> InMemoryCoachingStore::Get(std::string_view key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = data_.find(key);
  if (it == data_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::Status InMemoryCoachingStore::Write(const std::vector<StoreWrite>& writes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_writes) return absl::UnavailableError("store unavailable");
  ++writes_;
  for (const StoreWrite& w : writes) {
    if (w.op == StoreWrite::Op::kPut) {
      data_[w.key] = w.value;
    } else {
      data_.erase(w.key);
    }
  }
  return absl::OkStatus();
}

absl::Status InMemoryCoachingStore::Scan(
    std::string_view prefix, absl::FunctionRef<bool(std::string_view, std::string_view)> fn) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = data_.lower_bound(prefix); it != data_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    if (!fn(it->first, it->second)) break;
  }
  return absl::OkStatus();
}

size_t InMemoryCoachingStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return data_.size();
}

int InMemoryCoachingStore::writes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

DriverValue Count(const std::string& driver, double value) {
  DriverValue v;
  v.set_driver(driver);
  v.set_numerator(value);
  v.set_denominator(1);
  v.set_value(value);
  v.set_sample_size(static_cast<int64_t>(std::llround(std::abs(value))));
  v.set_unit("count");
  return v;
}

DriverValue Rate(const std::string& driver, double numerator, double denominator, int64_t sample_size) {
  DriverValue v;
  v.set_driver(driver);
  v.set_numerator(numerator);
  v.set_denominator(denominator);
  v.set_value(denominator != 0 ? numerator / denominator : 0);
  v.set_sample_size(sample_size >= 0 ? sample_size : static_cast<int64_t>(std::llround(denominator)));
  v.set_unit("ratio");
  return v;
}

void FakeMetricsSource::SetRep(const std::string& period, RepDrivers rep) {
  std::lock_guard<std::mutex> lock(mu_);
  rep.set_period(period);
  reps_[{period, rep.rep_id()}] = std::move(rep);
  period_cache_.clear();
  benchmark_cache_.clear();
}

void FakeMetricsSource::SetManager(const std::string& person, const std::string& manager) {
  std::lock_guard<std::mutex> lock(mu_);
  managers_[person] = manager;
}

void FakeMetricsSource::SetOpenDeals(const std::string& rep, std::vector<coachstream::v1::OpenDeal> deals) {
  std::lock_guard<std::mutex> lock(mu_);
  deals_[rep] = std::move(deals);
}

std::string FakeMetricsSource::ManagerOf(const std::string& person) const {
  auto it = managers_.find(person);
  if (it != managers_.end()) return it->second;
  for (const auto& [key, rep] : reps_) {
    if (key.second == person) return rep.manager_id();
  }
  return "";
}

bool FakeMetricsSource::InSubtree(const std::string& person, const std::string& manager) const {
  std::string m = ManagerOf(person);
  for (int depth = 0; depth < 16 && !m.empty(); ++depth) {
    if (m == manager) return true;
    m = ManagerOf(m);
  }
  return false;
}

const std::map<std::string, RepDrivers>& FakeMetricsSource::RepsIn(const std::string& period) const {
  auto it = period_cache_.find(period);
  if (it == period_cache_.end()) it = period_cache_.emplace(period, Aggregate(period)).first;
  return it->second;
}

std::map<std::string, RepDrivers> FakeMetricsSource::Aggregate(const std::string& period) const {
  std::map<std::string, RepDrivers> out;
  absl::StatusOr<Period> p = ParsePeriod(period);
  if (!p.ok()) return out;
  std::set<std::string> months;
  if (p->kind == PeriodKind::kQuarter) {
    for (Period m = PeriodOfDay(PeriodKind::kMonth, PeriodFirstDay(*p)); PeriodFirstDay(m) < PeriodEndDay(*p);
         m = NextPeriod(m)) {
      months.insert(FormatPeriod(m));
    }
  } else {
    months.insert(period);
  }
  std::map<std::string, std::map<std::string, DriverValue>> sums;
  for (const auto& [key, rep] : reps_) {
    if (months.count(key.first) == 0) continue;
    if (out.count(rep.rep_id()) == 0) {
      out[rep.rep_id()] = rep;
      out[rep.rep_id()].clear_drivers();
      out[rep.rep_id()].set_period(period);
    }
    for (const DriverValue& v : rep.drivers()) {
      DriverValue& s = sums[rep.rep_id()][v.driver()];
      const DriverInfo* info = FindDriverInfo(v.driver());
      if (info != nullptr && info->kind == DriverKind::kSnapshot) {
        s = v;  // months come in order: the last one is the period end
        continue;
      }
      // Medians become the mean of the monthly medians (a fake's shortcut).
      const bool count = info != nullptr && info->kind == DriverKind::kCount;
      s.set_driver(v.driver());
      s.set_unit(v.unit());
      s.set_numerator(s.numerator() + v.numerator());
      s.set_denominator(count ? 1 : s.denominator() + v.denominator());
      s.set_sample_size(s.sample_size() + v.sample_size());
      s.set_value(s.denominator() != 0 ? s.numerator() / s.denominator() : 0);
    }
  }
  for (auto& [id, drivers] : sums) {
    for (auto& [name, v] : drivers) *out[id].add_drivers() = v;
  }
  return out;
}

std::vector<Benchmark> FakeMetricsSource::Benchmarks(coachstream::v1::Role role, const std::string& segment,
                                                     const std::string& period) const {
  const auto key = std::make_tuple(static_cast<int>(role), segment, period);
  auto cached = benchmark_cache_.find(key);
  if (cached != benchmark_cache_.end()) return cached->second;
  std::map<std::string, std::vector<double>> values;
  for (const auto& [id, rep] : RepsIn(period)) {
    if (rep.role() != role || rep.segment() != segment) continue;
    for (const DriverValue& v : rep.drivers()) {
      if (v.denominator() > 0) values[v.driver()].push_back(v.value());
    }
  }
  std::vector<Benchmark> out;
  for (const auto& [driver, vs] : values) {
    Benchmark b;
    b.set_driver(driver);
    b.set_median(Quantile(vs, 0.5));
    b.set_p75(Quantile(vs, 0.75));
    b.set_peers(static_cast<int32_t>(vs.size()));
    out.push_back(std::move(b));
  }
  benchmark_cache_[key] = out;
  return out;
}

absl::StatusOr<coachstream::v1::GetRepDriversResponse> FakeMetricsSource::GetRepDrivers(
    const coachstream::v1::GetRepDriversRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  ++calls_;
  if (!fail_.ok()) return fail_;
  coachstream::v1::GetRepDriversResponse response;
  auto it = reps_.find({request.period(), request.rep_id()});
  if (it != reps_.end()) {
    *response.mutable_rep() = it->second;
    return response;
  }
  // Known in another period: an empty month. Known as a manager: identity only.
  for (const auto& [key, rep] : reps_) {
    if (key.second != request.rep_id()) continue;
    RepDrivers* out = response.mutable_rep();
    *out = rep;
    out->clear_drivers();
    out->set_period(request.period());
    return response;
  }
  if (managers_.count(request.rep_id()) > 0) {
    response.mutable_rep()->set_rep_id(request.rep_id());
    response.mutable_rep()->set_manager_id(managers_[request.rep_id()]);
    return response;
  }
  return absl::NotFoundError(absl::StrCat("rep_id: unknown rep \"", request.rep_id(), "\""));
}

absl::StatusOr<coachstream::v1::GetTeamDriversResponse> FakeMetricsSource::GetTeamDrivers(
    const coachstream::v1::GetTeamDriversRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  ++calls_;
  if (!fail_.ok()) return fail_;
  coachstream::v1::GetTeamDriversResponse response;
  std::map<std::string, DriverValue> rollup;
  std::set<std::pair<int, std::string>> groups;
  for (const auto& [id, rep] : RepsIn(request.period())) {
    if (!InSubtree(rep.rep_id(), request.manager_id())) continue;
    *response.add_reps() = rep;
    groups.insert({rep.role(), rep.segment()});
    for (const DriverValue& v : rep.drivers()) {
      DriverValue& total = rollup[v.driver()];
      total.set_driver(v.driver());
      total.set_numerator(total.numerator() + v.numerator());
      total.set_denominator(total.denominator() + v.denominator());
      total.set_sample_size(total.sample_size() + v.sample_size());
      total.set_value(total.denominator() != 0 ? total.numerator() / total.denominator() : 0);
    }
  }
  if (response.reps_size() == 0 && managers_.count(request.manager_id()) == 0 &&
      ManagerOf(request.manager_id()).empty()) {
    return absl::NotFoundError(absl::StrCat("manager_id: unknown manager \"", request.manager_id(), "\""));
  }
  for (auto& [driver, v] : rollup) *response.add_rollup() = v;
  for (const auto& [role, segment] : groups) {
    auto* g = response.add_benchmarks_by_peer_group();
    g->set_role(static_cast<coachstream::v1::Role>(role));
    g->set_segment(segment);
    for (Benchmark& b : Benchmarks(g->role(), segment, request.period())) *g->add_benchmarks() = std::move(b);
  }
  if (response.benchmarks_by_peer_group_size() > 0) {
    *response.mutable_benchmarks() = response.benchmarks_by_peer_group(0).benchmarks();
  }
  return response;
}

absl::StatusOr<coachstream::v1::GetDriverHistoryResponse> FakeMetricsSource::GetDriverHistory(
    const coachstream::v1::GetDriverHistoryRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  ++calls_;
  if (!fail_.ok()) return fail_;
  absl::StatusOr<Period> from = ParsePeriod(request.from_period());
  absl::StatusOr<Period> to = ParsePeriod(request.to_period());
  if (!from.ok() || !to.ok()) return absl::InvalidArgumentError("from_period/to_period: bad period");
  coachstream::v1::GetDriverHistoryResponse response;
  for (Period p = *from; p <= *to; p = NextPeriod(p)) {
    auto it = reps_.find({FormatPeriod(p), request.rep_id()});
    if (it == reps_.end()) continue;
    for (const DriverValue& v : it->second.drivers()) {
      if (v.driver() != request.driver()) continue;
      auto* point = response.add_points();
      point->set_period(FormatPeriod(p));
      *point->mutable_value() = v;
    }
  }
  return response;
}

absl::StatusOr<coachstream::v1::GetBenchmarksResponse> FakeMetricsSource::GetBenchmarks(
    const coachstream::v1::GetBenchmarksRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  ++calls_;
  if (!fail_.ok()) return fail_;
  coachstream::v1::GetBenchmarksResponse response;
  for (Benchmark& b : Benchmarks(request.role(), request.segment(), request.period())) {
    *response.add_benchmarks() = std::move(b);
  }
  return response;
}

absl::StatusOr<coachstream::v1::ListOpenDealsResponse> FakeMetricsSource::ListOpenDeals(
    const coachstream::v1::ListOpenDealsRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  ++calls_;
  if (!fail_.ok()) return fail_;
  coachstream::v1::ListOpenDealsResponse response;
  auto it = deals_.find(request.rep_id());
  if (it != deals_.end()) {
    for (const auto& d : it->second) *response.add_deals() = d;
  }
  return response;
}

}  // namespace cs::coaching::testing
