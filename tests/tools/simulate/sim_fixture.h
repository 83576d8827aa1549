#pragma once

// The default simulation (seed 42, default org and window), built once per
// test binary: generating it takes a couple of seconds. The environment
// variable SIMULATE_TEST_SEED replaces the seed (to check other seeds).

#include "tools/simulate/simulation.h"

namespace cs::simulate::testing {

const Simulation& DefaultSimulation();

// A digest of every record (topic, key, headers, value) in delivery order.
uint64_t Digest(const Simulation& sim);

}  // namespace cs::simulate::testing
