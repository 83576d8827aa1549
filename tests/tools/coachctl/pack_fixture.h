#pragma once

// Fixed data for the 1:1 pack tests: Dana, an account executive whose
// connect rate (18% vs 31% for peers) holds her back.

#include "tools/coachctl/pack.h"

namespace cs::coachctl::testing {

PackData DanaPack();

}  // namespace cs::coachctl::testing
