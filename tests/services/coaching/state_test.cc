// Options validation, the store's key layout and the JSON state records.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/core/options.h"
#include "services/coaching/core/records.h"
#include "services/coaching/core/store_keys.h"

namespace cs::coaching {
namespace {

using ::testing::HasSubstr;

TEST(OptionsTest, DefaultsAreValidAndErrorsNameTheField) {
  EXPECT_TRUE(ValidateOptions(CoachingCoreOptions()).ok());
  struct Case {
    std::function<void(CoachingCoreOptions&)> mutate;
    const char* expected;
  };
  const Case cases[] = {
      {[](CoachingCoreOptions& o) { o.default_time_zone = "Mars/Olympus"; },
       "default_time_zone: unknown time zone"},
      {[](CoachingCoreOptions& o) { o.tenant_time_zones["t9"] = "Nowhere"; },
       "tenant_time_zones[t9]: unknown"},
      {[](CoachingCoreOptions& o) { o.recommender.effort_floor = 1.5; },
       "recommender.effort_floor: 1.5 is outside"},
      {[](CoachingCoreOptions& o) { o.recommender.window_months = 0; }, "recommender.window_months"},
      {[](CoachingCoreOptions& o) { o.recommender.prior_strength_calls = -1; },
       "recommender.prior_strength_calls"},
      {[](CoachingCoreOptions& o) { o.recommender.prior_strength_by_driver["talk_ration"] = 5; },
       "recommender.prior_strength_by_driver[talk_ration]: unknown driver"},
      {[](CoachingCoreOptions& o) { o.sessions.max_micro_minutes = 0; }, "sessions.max_micro_minutes"},
      {[](CoachingCoreOptions& o) { o.board.c_max_attainment = 2; }, "board.c_max_attainment"},
      {[](CoachingCoreOptions& o) { o.board.roles.clear(); }, "board.roles: must not be empty"},
      {[](CoachingCoreOptions& o) { o.impact.max_months = 0; }, "impact.max_months"},
      {[](CoachingCoreOptions& o) { o.currency_code.clear(); }, "currency_code: must not be empty"},
  };
  for (const Case& c : cases) {
    CoachingCoreOptions o;
    c.mutate(o);
    const absl::Status s = ValidateOptions(o);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.expected;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.expected));
  }
}

TEST(StoreKeysTest, LayoutAndEscaping) {
  EXPECT_EQ(FocusKey("t1", "2024-06", "dana"), "focus/t1/2024-06/dana");
  EXPECT_EQ(FocusMonthPrefix("t1", "2024-06"), "focus/t1/2024-06/");
  EXPECT_EQ(PlanKey("t1", "dana", "2024-06"), "plan/t1/dana/2024-06");
  EXPECT_EQ(SessionKey("t1", "dana", "2024-06", "s1"), "sess/t1/dana/2024-06/s1");
  EXPECT_EQ(SessionMonthPrefix("t1", "dana", "2024-06"), "sess/t1/dana/2024-06/");
  // A '/' in an id cannot make one rep's prefix match another's keys.
  EXPECT_EQ(FocusKey("t1", "2024-06", "a/b%"), "focus/t1/2024-06/a%2Fb%25");
  EXPECT_EQ(LastKeyComponent(FocusKey("t1", "2024-06", "a/b%")), "a/b%");
}

TEST(RecordsTest, RoundTripAndCorruption) {
  FocusRecord r;
  r.competency_id = "connecting";
  r.source = "plan";
  r.target_driver = "connect_rate";
  r.target_value = 0.146;
  r.accepted_at = absl::FromUnixSeconds(1'700'000'000);
  r.objective_met_at = absl::FromUnixSeconds(1'700'000'100);
  absl::StatusOr<FocusRecord> back = DecodeFocusRecord(EncodeFocusRecord(r), "k");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, r);
  RecommendationMemo m{"closing", absl::FromUnixSeconds(5)};
  EXPECT_EQ(*DecodeMemo(EncodeMemo(m), "k"), m);
  const absl::Status bad = DecodeFocusRecord("{not json", "focus/t1/2024-06/dana").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(bad.message()), HasSubstr("focus/t1/2024-06/dana"));
  EXPECT_EQ(DecodeFocusRecord(R"({"v": 2, "competency_id": "x"})", "k").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeMemo(R"({"v": 1})", "k").status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace cs::coaching
