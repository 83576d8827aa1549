#include "services/coaching/core/shrinkage.h"

namespace cs::coaching {

double ShrinkRate(double numerator, double denominator, double benchmark, double prior_strength) {
  const double weight = denominator + prior_strength;
  if (weight <= 0) return denominator > 0 ? numerator / denominator : benchmark;
  return (numerator + prior_strength * benchmark) / weight;
}

double ShrinkMean(double value, double n, double benchmark, double prior_strength) {
  return ShrinkRate(value * n, n, benchmark, prior_strength);
}

}  // namespace cs::coaching
