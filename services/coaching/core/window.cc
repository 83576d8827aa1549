#include "services/coaching/core/window.h"

#include <algorithm>

#include "services/coaching/core/shrinkage.h"

namespace cs::coaching {
namespace {

using coachstream::v1::Benchmark;
using coachstream::v1::DriverValue;

const DriverValue* FindValue(const coachstream::v1::RepDrivers& rep, std::string_view name) {
  for (const DriverValue& v : rep.drivers()) {
    if (v.driver() == name) return &v;
  }
  return nullptr;
}

const Benchmark* FindBenchmark(const std::vector<Benchmark>& benchmarks, std::string_view name) {
  for (const Benchmark& b : benchmarks) {
    if (b.driver() == name && b.peers() > 0) return &b;
  }
  return nullptr;
}

// Benchmarks of one driver over the window: counts add up per month,
// levels are averaged with the elapsed fractions as weights.
struct BenchAcc {
  double median_sum = 0, p75_sum = 0, weighted_median = 0, weighted_p75 = 0, elapsed = 0;
  double weighted_prior = 0, prior_elapsed = 0;
  int32_t peers = 0;

  void Add(const Benchmark& b, double e) {
    median_sum += b.median();
    p75_sum += b.p75();
    weighted_median += e * b.median();
    weighted_p75 += e * b.p75();
    elapsed += e;
    peers = std::max(peers, b.peers());
    if (b.has_prior_strength()) {
      weighted_prior += e * b.prior_strength();
      prior_elapsed += e;
    }
  }
  // The peers' prior strength over the window, or -1.
  double prior() const { return prior_elapsed > 0 ? weighted_prior / prior_elapsed : -1; }
  void SetCount(WindowValue* v) const {
    if (elapsed <= 0) return;
    v->has_benchmark = true;
    v->benchmark = median_sum / elapsed;
    v->p75 = p75_sum / elapsed;
    v->peers = peers;
  }
  void SetLevel(WindowValue* v) const {
    if (elapsed <= 0) return;
    v->has_benchmark = true;
    v->benchmark = weighted_median / elapsed;
    v->p75 = weighted_p75 / elapsed;
    v->peers = peers;
  }
};

// The rep's parts of one driver over the window.
struct RepAcc {
  double numerator = 0, denominator = 0, weighted_median = 0;
  int64_t sample_size = 0, median_samples = 0;
  bool present = false;
  double latest_value = 0;

  void Add(const DriverValue& v) {
    present = true;
    numerator += v.numerator();
    denominator += v.denominator();
    sample_size += v.sample_size();
    latest_value = v.value();
    if (v.denominator() > 0 && v.sample_size() > 0) {
      weighted_median += v.value() * static_cast<double>(v.sample_size());
      median_samples += v.sample_size();
    }
  }
};

WindowValue Combine(const DriverInfo& info, const RepAcc& rep, const BenchAcc& bench, double months_elapsed,
                    const RecommenderOptions& options) {
  WindowValue v;
  v.sample_size = rep.sample_size;
  v.prior_strength = bench.prior();
  const double k = PriorStrength(info, options, v.prior_strength);
  switch (info.kind) {
    case DriverKind::kCount:
      bench.SetCount(&v);
      v.has_rep = rep.present;
      v.raw = v.value = months_elapsed > 0 ? rep.numerator / months_elapsed : 0;
      return v;
    case DriverKind::kSnapshot:
      bench.SetLevel(&v);
      v.has_rep = rep.present;
      v.raw = v.value = rep.latest_value;
      return v;
    case DriverKind::kRate:
    case DriverKind::kAmountRate:
    case DriverKind::kRatio:
      bench.SetLevel(&v);
      v.has_rep = rep.denominator > 0;
      v.raw = v.has_rep ? rep.numerator / rep.denominator : 0;
      v.trials = info.kind == DriverKind::kRate ? rep.denominator : rep.sample_size;
      break;
    case DriverKind::kMedian:
      bench.SetLevel(&v);
      v.has_rep = rep.median_samples > 0;
      v.raw = v.has_rep ? rep.weighted_median / rep.median_samples : 0;
      v.trials = static_cast<double>(rep.median_samples);
      break;
  }
  v.value = v.raw;
  if (info.kind == DriverKind::kRatio || !v.has_benchmark) return v;
  v.value = info.kind == DriverKind::kRate ? ShrinkRate(rep.numerator, rep.denominator, v.benchmark, k)
                                           : ShrinkMean(v.raw, v.trials, v.benchmark, k);
  return v;
}

// meeting_rate, opportunity_rate: quotients of window counts.
WindowValue Derive(const DriverInfo& info, double numerator, double denominator, const WindowValue* num_count,
                   const WindowValue* den_count, const RecommenderOptions& options) {
  WindowValue v;
  v.has_rep = denominator > 0;
  v.raw = v.has_rep ? numerator / denominator : 0;
  v.trials = denominator;
  v.sample_size = static_cast<int64_t>(denominator);
  if (num_count != nullptr && den_count != nullptr && num_count->has_benchmark && den_count->has_benchmark &&
      den_count->benchmark > 0) {
    v.has_benchmark = true;
    v.benchmark = num_count->benchmark / den_count->benchmark;
    v.p75 = den_count->p75 > 0 ? num_count->p75 / den_count->p75 : v.benchmark;
    v.peers = std::min(num_count->peers, den_count->peers);
  }
  v.value =
      v.has_benchmark ? ShrinkRate(numerator, denominator, v.benchmark, PriorStrength(info, options)) : v.raw;
  return v;
}

// A month in which the rep has no recorded activity at all (not started
// yet, on leave) is left out of the window, so it neither dilutes the
// rep's monthly counts nor reads as an effort problem.
bool RepActive(const coachstream::v1::RepDrivers& rep) {
  for (const DriverValue& v : rep.drivers()) {
    if (v.driver() != driver::kQuota && v.sample_size() > 0) return true;
  }
  return false;
}

}  // namespace

double PriorStrength(const DriverInfo& info, const RecommenderOptions& options, double peer_estimate) {
  auto it = options.prior_strength_by_driver.find(std::string(info.name));
  if (it != options.prior_strength_by_driver.end()) return it->second;
  double by_unit = 0;
  switch (info.trial) {
    case Trial::kCall: by_unit = options.prior_strength_calls; break;
    case Trial::kMeeting: by_unit = options.prior_strength_meetings; break;
    case Trial::kDeal: by_unit = options.prior_strength_deals; break;
    case Trial::kNone: return 0;
  }
  if (options.peer_prior_strength && peer_estimate >= 0) return std::min(peer_estimate, by_unit);
  return by_unit;
}

DriverWindow DriverWindow::Build(const WindowData& data, const RecommenderOptions& options) {
  DriverWindow w;
  std::vector<MonthData> months;
  for (const PeriodBenchmarks& p : data.level_benchmarks) {
    for (const Benchmark& b : p.benchmarks) w.max_peers_ = std::max(w.max_peers_, b.peers());
  }
  for (const MonthData& m : data.months) {
    if (m.elapsed <= 0) continue;
    for (const Benchmark& b : m.benchmarks) w.max_peers_ = std::max(w.max_peers_, b.peers());
    if (!m.rep.rep_id().empty()) {
      w.identity_ = m.rep;
      w.identity_.clear_drivers();
    }
    if (RepActive(m.rep)) months.push_back(m);
  }
  w.AddOutcome(months);
  w.AddDrivers(months, data.level_benchmarks, options);
  return w;
}

void DriverWindow::AddOutcome(const std::vector<MonthData>& months) {
  double quota_prorated = 0, bookings = 0;
  for (const MonthData& m : months) {
    months_elapsed_ += m.elapsed;
    const DriverValue* quota = FindValue(m.rep, driver::kQuota);
    const DriverValue* booked = FindValue(m.rep, driver::kBookings);
    if (quota != nullptr && quota->value() > 0) {
      monthly_quota_ = quota->value();
      quota_prorated += quota->value() * m.elapsed;
      if (booked != nullptr) bookings += booked->value();
    }
  }
  if (quota_prorated > 0) attainment_ = bookings / quota_prorated;
}

void DriverWindow::AddDrivers(const std::vector<MonthData>& months,
                              const std::vector<PeriodBenchmarks>& pooled,
                              const RecommenderOptions& options) {
  for (const DriverInfo& info : AllDrivers()) {
    if (info.derived()) continue;
    RepAcc rep;
    BenchAcc monthly, quarterly;
    for (const MonthData& m : months) {
      if (const DriverValue* v = FindValue(m.rep, info.name)) rep.Add(*v);
      if (const Benchmark* b = FindBenchmark(m.benchmarks, info.name)) monthly.Add(*b, m.elapsed);
    }
    if (info.kind != DriverKind::kCount && info.kind != DriverKind::kSnapshot) {
      for (const PeriodBenchmarks& p : pooled) {
        if (const Benchmark* b = FindBenchmark(p.benchmarks, info.name)) quarterly.Add(*b, p.weight);
      }
    }
    const BenchAcc& bench = quarterly.elapsed > 0 ? quarterly : monthly;
    if (!rep.present && bench.elapsed <= 0) continue;
    totals_[std::string(info.name)] = rep.numerator;
    values_[std::string(info.name)] = Combine(info, rep, bench, months_elapsed_, options);
  }
  for (const DriverInfo& info : AllDrivers()) {
    if (!info.derived()) continue;
    const WindowValue* num = Find(info.numerator_driver);
    const WindowValue* den = Find(info.denominator_driver);
    if (num == nullptr && den == nullptr) continue;
    values_[std::string(info.name)] =
        Derive(info, Total(info.numerator_driver), Total(info.denominator_driver), num, den, options);
  }
}

const WindowValue* DriverWindow::Find(std::string_view driver) const {
  auto it = values_.find(std::string(driver));
  return it == values_.end() ? nullptr : &it->second;
}

double DriverWindow::Total(std::string_view driver) const {
  auto it = totals_.find(std::string(driver));
  return it == totals_.end() ? 0 : it->second;
}

}  // namespace cs::coaching
