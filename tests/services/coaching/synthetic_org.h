#pragma once

// A synthetic sales org for the recommendation quality bar: account
// executives whose drivers follow one funnel (DOMAIN.md reference ranges),
// each with ONE known injected weakness, plus per-rep talent noise,
// sampling noise (binomial/Poisson draws per month) and varying volume.
// Some reps are below the data minimums on purpose (new hires with a few
// days of activity, reps without closed deals, a segment with two reps).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libs/base/period.h"
#include "tests/services/coaching/fakes.h"

namespace cs::coaching::testing {

enum class Weakness {
  kLowActivity,
  kPoorConnect,
  kWeakDiscovery,
  kPoorClosing,
  kHeavyDiscount,
  kLongCycle,
  kTalksTooMuch,
};
inline constexpr Weakness kAllWeaknesses[] = {
    Weakness::kLowActivity,   Weakness::kPoorConnect, Weakness::kWeakDiscovery, Weakness::kPoorClosing,
    Weakness::kHeavyDiscount, Weakness::kLongCycle,   Weakness::kTalksTooMuch};

// The competency of the default library that addresses the weakness.
std::string_view ExpectedCompetency(Weakness w);
std::string_view WeaknessName(Weakness w);

enum class DataShortage { kNone, kNewHire, kNoClosedDeals, kTinySegment };

struct SyntheticRep {
  std::string rep_id;
  Weakness weakness = Weakness::kLowActivity;
  DataShortage shortage = DataShortage::kNone;
};

struct SyntheticOrgOptions {
  uint64_t seed = 1;
  int reps_per_weakness = 12;
  int new_hires = 4;                // a few days of activity in the last month only
  int without_deals = 3;            // calls but no closed deal in the window
  int tiny_segment = 2;             // reps alone in a segment: too few peers
  std::vector<Period> months;       // the window, oldest first
  double last_month_elapsed = 1.0;  // fraction of the last month simulated
  std::string manager_id = "mgr-1";
};

// Fills `metrics` with every rep's drivers for every month and returns the
// reps with their injected weakness.
std::vector<SyntheticRep> GenerateOrg(const SyntheticOrgOptions& options, FakeMetricsSource* metrics);

}  // namespace cs::coaching::testing
