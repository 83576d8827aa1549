// The quality bar of the focus-skill recommendation: on a synthetic org with
// one known weakness injected per rep, the top recommendation names the
// competency that addresses it for at least 90% of the reps with enough
// data, on every seed; reps below the data minimums get INSUFFICIENT_DATA.

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/validation.h"
#include "tests/services/coaching/synthetic_org.h"
#include "tests/services/coaching/test_env.h"

namespace cs::coaching::testing {
namespace {

constexpr double kRequiredAccuracy = 0.90;

// What the missing-data message must mention for each kind of shortage.
std::string_view ExpectedMissing(DataShortage s) {
  switch (s) {
    case DataShortage::kNewHire:
      return "calls";
    case DataShortage::kNoClosedDeals:
      return "closed deals";
    case DataShortage::kTinySegment:
      return "peers";
    case DataShortage::kNone:
      return "";
  }
  return "";
}

// Set CS_DEBUG_ACCURACY=1 to print the rationale of every miss.
void PrintMiss(uint64_t seed, const SyntheticRep& rep,
               const coachstream::v1::RecommendFocusSkillResponse& r) {
  if (getenv("CS_DEBUG_ACCURACY") == nullptr) return;
  std::printf("MISS seed %d %s (%s) -> %s [%s]\n  %s\n", static_cast<int>(seed), rep.rep_id.c_str(),
              std::string(WeaknessName(rep.weakness)).c_str(), r.focus().competency_id().c_str(),
              r.diagnosis_layer().c_str(), r.rationale().c_str());
  for (const auto& c : r.runners_up()) {
    std::printf("    runner-up %s %.0f\n", c.competency_id().c_str(), c.bookings_gain_minor());
  }
}

struct SeedResult {
  int eligible = 0;
  int correct = 0;
  std::map<std::string, int> confusions;  // "weakness -> recommended"
};

SeedResult RunSeed(uint64_t seed) {
  CoreEnv env;  // default options: the quality bar holds for the shipped defaults
  SyntheticOrgOptions options;
  options.seed = seed;
  options.months = {*ParsePeriod("2024-04"), *ParsePeriod("2024-05"), *ParsePeriod("2024-06")};
  options.last_month_elapsed = ElapsedFraction(options.months.back(), env.clock.Now(), absl::UTCTimeZone());
  const std::vector<SyntheticRep> reps = GenerateOrg(options, &env.metrics);
  SeedResult result;
  for (const SyntheticRep& rep : reps) {
    absl::StatusOr<coachstream::v1::RecommendFocusSkillResponse> r =
        env.core->RecommendFocusSkill(RecommendRequest(rep.rep_id));
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) continue;
    if (rep.shortage != DataShortage::kNone) {
      EXPECT_EQ(r->status(), coachstream::v1::RECOMMENDATION_STATUS_INSUFFICIENT_DATA)
          << "seed " << seed << " rep " << rep.rep_id << ": " << r->rationale();
      EXPECT_FALSE(r->has_focus());
      EXPECT_THAT(r->missing_data(),
                  ::testing::Contains(::testing::HasSubstr(std::string(ExpectedMissing(rep.shortage)))));
      continue;
    }
    EXPECT_EQ(r->status(), coachstream::v1::RECOMMENDATION_STATUS_RECOMMENDED)
        << "seed " << seed << " rep " << rep.rep_id << ": " << r->rationale();
    ++result.eligible;
    if (r->focus().competency_id() == ExpectedCompetency(rep.weakness)) {
      ++result.correct;
    } else {
      PrintMiss(seed, rep, *r);
      ++result.confusions[absl::StrCat(Av(WeaknessName(rep.weakness)), " -> ", r->focus().competency_id())];
    }
  }
  return result;
}

TEST(RecommendationAccuracyTest, TopRecommendationMatchesInjectedWeakness) {
  for (uint64_t seed : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
    const SeedResult r = RunSeed(seed);
    ASSERT_GT(r.eligible, 0);
    const double accuracy = static_cast<double>(r.correct) / r.eligible;
    std::string confusions;
    for (const auto& [what, n] : r.confusions) absl::StrAppend(&confusions, "\n  ", what, ": ", n);
    std::printf("seed %d: %d/%d correct (%.1f%%)%s\n", static_cast<int>(seed), r.correct, r.eligible,
                100 * accuracy, confusions.c_str());
    RecordProperty(absl::StrCat("accuracy_seed_", seed), absl::StrFormat("%.3f", accuracy));
    EXPECT_GE(accuracy, kRequiredAccuracy) << "seed " << seed << confusions;
  }
}

}  // namespace
}  // namespace cs::coaching::testing
