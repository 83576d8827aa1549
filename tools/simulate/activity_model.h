#pragma once

// The activity model: from the org and the reps' profiles to everything that
// happens in the window (dials, meetings, deals, recorded conversations,
// coaching 1:1s), plus a few deliberate delivery nasties.

#include "tools/simulate/org_model.h"
#include "tools/simulate/world.h"

namespace cs::simulate {

// Deterministic in org.options. Dials, meetings and conversations lie in
// [window.start, window.end) (meetings by creation time; a meeting created in
// the window may start after it). Deals and their CRM changes start at
// window.crm_start so that the window opens with a realistic pipeline.
World BuildWorld(const Org& org);

}  // namespace cs::simulate
