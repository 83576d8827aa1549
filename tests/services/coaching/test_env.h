#pragma once

// A CoachingCore over in-memory ports and a manual clock, for tests.

#include <memory>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/base/clock.h"
#include "services/coaching/core/coaching_core.h"
#include "tests/services/coaching/fakes.h"

namespace cs::coaching::testing {

// 2024-06-25 12:00 UTC: June is 80% elapsed.
inline absl::Time DefaultNow() {
  return absl::FromCivil(absl::CivilSecond(2024, 6, 25, 12, 0, 0), absl::UTCTimeZone());
}

struct CoreEnv {
  explicit CoreEnv(CoachingCoreOptions options = {}, absl::Time now = DefaultNow()) : clock(now) {
    absl::StatusOr<CompetencyLibrary> library = CompetencyLibrary::Default();
    EXPECT_TRUE(library.ok()) << library.status();
    absl::StatusOr<std::unique_ptr<CoachingCore>> created =
        CoachingCore::Create(std::move(options), *std::move(library), metrics, store, clock);
    EXPECT_TRUE(created.ok()) << created.status();
    core = *std::move(created);
  }

  FakeMetricsSource metrics;
  InMemoryCoachingStore store;
  ManualClock clock;
  std::unique_ptr<CoachingCore> core;
};

inline coachstream::v1::RecommendFocusSkillRequest RecommendRequest(const std::string& rep,
                                                                    const std::string& month = "2024-06",
                                                                    const std::string& tenant = "t1") {
  coachstream::v1::RecommendFocusSkillRequest r;
  r.set_tenant_id(tenant);
  r.set_rep_id(rep);
  r.set_month(month);
  return r;
}

}  // namespace cs::coaching::testing
