#pragma once

// The ground truth of a run, for tests and demos: every person with the
// injected weakness and the competency the coaching service should pick,
// the managers' coaching habits, what the activity model generated per rep
// (in the window), and the record totals.

#include <nlohmann/json.hpp>

#include "tools/simulate/simulation.h"

namespace cs::simulate {

// Weakness name -> competency id, for every weakness.
nlohmann::ordered_json CompetencyMap();

nlohmann::ordered_json GroundTruth(const Simulation& sim);

}  // namespace cs::simulate
