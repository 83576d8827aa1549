#pragma once

// The default simulation (seed 42, default org and window), built once per
// test binary: generating it takes a couple of seconds. The environment
// variable SIMULATE_TEST_SEED replaces the seed (to check other seeds).

#include "absl/functional/function_ref.h"
#include "tools/simulate/simulation.h"

namespace cs::simulate::testing {

const Simulation& DefaultSimulation();

// Coaching minutes per rep and month by the manager's habit (DOMAIN.md
// default: 3 hours of coaching per rep per month): heavy coaches give at
// least `heavy_min`, barely-coaching ones at most `barely_max`, moderate
// ones between `moderate_min` and `moderate_max`, stars-only ones
// `heavy_min` to their stars and nothing to the others. The bounds differ
// with what is measured (a whole window's mean, one month's total).
struct HabitBounds {
  double heavy_min = 180;
  double barely_max = 45;
  double moderate_min = 45;
  double moderate_max = 240;
};
// Checks `minutes_of(rep)` of every rep (new hires aside) against the
// bounds of their manager's habit.
void ExpectMinutesFollowHabits(const Org& org, const HabitBounds& bounds,
                               absl::FunctionRef<double(const Person&)> minutes_of);

// A digest of every record (topic, key, headers, value) in delivery order.
uint64_t Digest(const Simulation& sim);

}  // namespace cs::simulate::testing
