#pragma once

// Small-sample honesty (DOMAIN.md): a rep's rate is shrunk toward the peer
// rate in proportion to how little data the rep has. Empirical Bayes with a
// beta prior centred on the peer benchmark and worth `prior_strength`
// pseudo-observations (beta-binomial posterior mean):
//
//   shrunk = (numerator + k * benchmark) / (denominator + k)
//
// With no data the answer is the benchmark; with much more data than k it
// is the rep's own rate. Means and medians of n samples shrink the same way
// with n as the weight.

namespace cs::coaching {

// `denominator` counts trials (calls, deals). Requires prior_strength >= 0.
double ShrinkRate(double numerator, double denominator, double benchmark, double prior_strength);

// A mean (or median) `value` of `n` samples.
double ShrinkMean(double value, double n, double benchmark, double prior_strength);

}  // namespace cs::coaching
