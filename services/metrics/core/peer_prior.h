#pragma once

// How much a rep's own figure of a driver is worth against the peer median:
// the empirical-Bayes prior strength of a peer group, estimated from the
// peers themselves (method of moments).
//
// Each rep i has n_i samples of the driver (calls, deals, won deals) with
// mean m_i and sample variance s_i^2. Between reps the true values vary
// with variance tau^2; within a rep one sample varies with variance W.
// Then
//
//   W     = sum (n_i - 1) s_i^2 / sum (n_i - 1)       (pooled within-rep)
//   w_i   = n_i / (c W)                               (precision of m_i)
//   Q     = sum w_i (m_i - m)^2, m the w-weighted mean
//   tau^2 = (Q - (P - 1)) / (sum w_i - sum w_i^2 / sum w_i)
//   k     = c W / tau^2
//
// (the DerSimonian-Laird estimator of random-effects meta-analysis, over
// P peers: the spread of the m_i beyond what their sampling noise explains,
// each weighted by its precision so that a peer with two samples cannot
// swamp it),
// where c is 1 for a mean and pi/2 for a median (a median of n samples
// varies pi/2 times as much as their mean). A rep with n samples then gets
// weight n / (n + k) on their own figure: the rest comes from the peers.
// Where reps really differ (one heavy discounter among disciplined peers)
// k is small and a handful of deals speaks; where they hardly differ
// (connect rates within a few points of each other) k is large and only a
// large sample moves the estimate.

#include <optional>
#include <span>

#include "services/metrics/core/drivers.h"

namespace cs::metrics {

struct SampleMoments {
  double n = 0;         // samples
  double value = 0;     // the driver's value: their mean (median for median drivers)
  double variance = 0;  // unbiased sample variance; 0 when n < 2
  double noise_factor = 1;  // c above
};

// nullopt when the driver has no per-sample spread (counts, and means of
// per-call figures whose squares are not kept) or the rep has no sample.
std::optional<SampleMoments> MomentsOf(const DriverSpec& spec, const DriverParts& parts);

// The prior strength k over the peers' moments; nullopt when fewer than
// three peers have two or more samples (no estimate of W). Capped at
// kMaxPriorStrength when the peers' values differ no more than sampling
// noise explains (tau^2 <= 0: everyone is at the peer value).
inline constexpr double kMaxPriorStrength = 1e6;
std::optional<double> PeerPriorStrength(std::span<const SampleMoments> peers);

}  // namespace cs::metrics
