#pragma once

// Deterministic pseudo-random numbers for the simulator. Every draw is made
// with our own arithmetic (xoshiro256** seeded through splitmix64) instead of
// <random>'s distributions, whose algorithms are implementation-defined: the
// same seed must give byte-identical output with any standard library.
//
// Independent streams: Rng::Derive(seed, "label", n) gives a generator that
// depends only on (seed, label, n), so adding draws in one part of the model
// (one rep, one deal) does not shift the numbers of another.

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace cs::simulate {

class Rng {
 public:
  explicit Rng(uint64_t seed);
  static Rng Derive(uint64_t seed, std::string_view label, uint64_t n = 0);

  uint64_t Next();
  // Uniform in [0, 1).
  double Uniform();
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [lo, hi] (inclusive).
  int64_t Int(int64_t lo, int64_t hi);
  bool Chance(double p) { return Uniform() < p; }
  // Normal(mean, sd) by Box-Muller.
  double Normal(double mean, double sd);
  // Log-normal with the given median and sigma of the underlying normal.
  double LogNormal(double median, double sigma);
  // Poisson(lambda); a normal approximation above lambda 30.
  int Poisson(double lambda);
  // Index drawn with probability proportional to `weights` (non-negative).
  size_t Weighted(const std::vector<double>& weights);

  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      size_t j = static_cast<size_t>(Int(0, static_cast<int64_t>(i) - 1));
      std::swap(v[i - 1], v[j]);
    }
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int64_t>(v.size()) - 1))];
  }

 private:
  uint64_t s_[4];
};

// Low-discrepancy yes/no draws for a rep's funnel rates: an accumulator
// gains p (jittered +-50%) per draw and says yes each time it passes 1, so
// over n draws the yes count stays within about one of n*p. Small samples
// then still show the rate the profile asked for, which keeps each rep's
// injected weakness recoverable from a few months of data.
class RateSampler {
 public:
  explicit RateSampler(Rng& rng) : acc_(rng.Uniform()) {}
  bool Next(double p, Rng& rng) {
    acc_ += p * rng.Uniform(0.5, 1.5);
    if (acc_ < 1.0) return false;
    acc_ -= 1.0;
    return true;
  }

 private:
  double acc_;
};

// Stable 64-bit FNV-1a of `data` (labels, deterministic ids).
uint64_t StableHash(std::string_view data);

// Clamps `v` into [lo, hi].
inline double Clamp(double v, double lo, double hi) { return v < lo ? lo : (v > hi ? hi : v); }

}  // namespace cs::simulate
