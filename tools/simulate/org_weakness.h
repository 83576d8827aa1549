#pragma once

// Internal to the org model: who is a star, who is a new hire, and the one
// weakness injected into every other rep.

#include "tools/simulate/org_model.h"
#include "tools/simulate/rng.h"

namespace cs::simulate {

// Needs roles, teams and habits assigned. Stars: about 1 rep in 10, two of
// them in the stars-only manager's team (so that habit has someone to
// coach). New hires: about 1 in 13, start in the month of end_day. Everyone
// else gets the applicable weakness with the fewest reps so far, so the
// weaknesses are evenly spread.
void AssignWeaknesses(Org& org, Rng& rng);

}  // namespace cs::simulate
