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

// The coaching service's data minimums for a focus-skill recommendation
// (services/coaching/core/options.h, RecommenderOptions defaults): calls and
// closed deals over the recommendation window.
inline constexpr int kMinWindowCalls = 20;
inline constexpr int kMinWindowClosedDeals = 3;
inline constexpr int kRecommendationWindowMonths = 3;

// Whether `rep` has enough data for a recommendation for the month of the
// last generated day: not a new hire, at least kMinWindowCalls dials and,
// for an account executive (SDRs own no deals), at least
// kMinWindowClosedDeals deals closed in that month and the two before it
// (in the rep's zone, where the metrics service credits them). A rep with
// few opportunities (weak discovery in enterprise) can fall below it: the
// right answer for them is "insufficient data", not a guess.
bool DataSufficient(const Simulation& sim, const Person& rep);

}  // namespace cs::simulate
