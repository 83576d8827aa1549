#include "services/metrics/core/peer_prior.h"

#include <algorithm>
#include <numbers>

namespace cs::metrics {

std::optional<SampleMoments> MomentsOf(const DriverSpec& spec, const DriverParts& parts) {
  SampleMoments m;
  if (spec.combine == Combine::kMedian) {
    if (parts.samples.empty()) return std::nullopt;
    double sum = 0, sum_squares = 0;
    for (int32_t x : parts.samples) {
      sum += x;
      sum_squares += static_cast<double>(x) * x;
    }
    m.n = static_cast<double>(parts.samples.size());
    m.value = ToDriverValue(spec, parts).value();
    m.noise_factor = std::numbers::pi / 2;
    if (m.n >= 2) m.variance = std::max(0.0, (sum_squares - sum * sum / m.n) / (m.n - 1));
    return m;
  }
  if (!parts.has_spread || parts.denominator <= 0) return std::nullopt;
  m.n = parts.denominator;
  m.value = parts.numerator / parts.denominator;
  if (m.n >= 2) {
    m.variance = std::max(0.0, (parts.sum_squares - parts.numerator * m.value) / (m.n - 1));
  }
  return m;
}

std::optional<double> PeerPriorStrength(std::span<const SampleMoments> peers) {
  double within_sum = 0, within_df = 0, noise_factor = 1;
  int with_spread = 0;
  for (const SampleMoments& p : peers) {
    if (p.n >= 2) {
      within_sum += (p.n - 1) * p.variance;
      within_df += p.n - 1;
      ++with_spread;
    }
    noise_factor = p.noise_factor;
  }
  if (with_spread < 3 || peers.size() < 3) return std::nullopt;
  const double within = within_sum / within_df;
  if (within <= 0) return 0.0;  // no sampling noise: every figure is exact
  // DerSimonian-Laird: each peer weighs by the precision of its value,
  // n_i / (c W), so a peer with two samples cannot swamp the estimate.
  const double noise = noise_factor * within;
  double w_sum = 0, w_squares = 0, w_values = 0;
  for (const SampleMoments& p : peers) {
    const double w = p.n / noise;
    w_sum += w;
    w_squares += w * w;
    w_values += w * p.value;
  }
  const double mean = w_values / w_sum;
  double q = 0;
  for (const SampleMoments& p : peers) q += p.n / noise * (p.value - mean) * (p.value - mean);
  const double between = (q - static_cast<double>(peers.size() - 1)) / (w_sum - w_squares / w_sum);
  if (between <= noise / kMaxPriorStrength) return kMaxPriorStrength;
  return noise / between;
}

}  // namespace cs::metrics
