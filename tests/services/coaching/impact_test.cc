// Did coaching work? Difference in differences of the coached driver.

#include "services/coaching/core/impact.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/core/records.h"
#include "services/coaching/core/store_keys.h"
#include "tests/services/coaching/test_env.h"

namespace cs::coaching::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(DidTest, HandComputedCase) {
  // Coached: +0.06 and +0.02 (mean +0.04); uncoached: +0.01, 0, +0.02 (mean +0.01).
  const DidResult r = DifferenceInDifferences({{"c1", 0.10, 0.16}, {"c2", 0.12, 0.14}},
                                              {{"u1", 0.15, 0.16}, {"u2", 0.20, 0.20}, {"u3", 0.18, 0.20}});
  EXPECT_NEAR(r.coached_change, 0.04, 1e-12);
  EXPECT_NEAR(r.uncoached_change, 0.01, 1e-12);
  EXPECT_NEAR(r.difference_in_differences, 0.03, 1e-12);
  EXPECT_EQ(r.coached_reps, 2);
  EXPECT_EQ(r.uncoached_reps, 3);
  // One rep in two episodes counts once as a rep, twice as a pair.
  const DidResult twice = DifferenceInDifferences({{"c1", 1, 2}, {"c1", 2, 4}}, {});
  EXPECT_EQ(twice.coached_reps, 1);
  EXPECT_EQ(twice.coached_pairs, 2);
  EXPECT_DOUBLE_EQ(twice.coached_change, 1.5);
  EXPECT_DOUBLE_EQ(twice.difference_in_differences, 0);  // no comparison group
}

TEST(DidTest, EpisodesStartAfterAGap) {
  auto p = [](const char* s) { return *ParsePeriod(s); };
  EXPECT_THAT(EpisodeStarts({p("2024-05"), p("2024-03"), p("2024-04"), p("2024-07"), p("2024-04")}),
              ElementsAre(p("2024-03"), p("2024-07")));
}

class ImpactTest : public ::testing::Test {
 protected:
  ImpactTest() { Reset(CoachingCoreOptions()); }

  void Reset(const CoachingCoreOptions& options) {
    env_ = std::make_unique<CoreEnv>(options);
    env_->metrics.SetManager("mgr-1", "dir-1");
    env_->metrics.SetManager("mgr-2", "dir-1");
    env_->metrics.SetManager("dir-1", "");
  }

  // The rep's connect rate for each month (400 calls a month).
  void AddRep(const std::string& id, const std::string& segment, const std::string& manager,
              std::vector<std::pair<std::string, double>> months) {
    for (const auto& [month, rate] : months) {
      coachstream::v1::RepDrivers rep;
      rep.set_rep_id(id);
      rep.set_manager_id(manager);
      rep.set_role(coachstream::v1::ROLE_ACCOUNT_EXECUTIVE);
      rep.set_segment(segment);
      *rep.add_drivers() = Count("calls_made", 400);
      *rep.add_drivers() = Rate("connect_rate", 400 * rate, 400);
      env_->metrics.SetRep(month, rep);
    }
  }

  void Coach(const std::string& rep, const std::string& month, const std::string& competency) {
    FocusRecord r;
    r.competency_id = competency;
    r.source = "accept";
    ASSERT_TRUE(env_->store.Write({StoreWrite::Put(FocusKey("t1", month, rep), EncodeFocusRecord(r))}).ok());
  }

  absl::StatusOr<coachstream::v1::GetCoachingImpactResponse> Impact(
      const std::string& from, const std::string& to, const std::string& competency = "connecting") {
    coachstream::v1::GetCoachingImpactRequest request;
    request.set_tenant_id("t1");
    request.set_competency_id(competency);
    request.set_from_month(from);
    request.set_to_month(to);
    return env_->core->GetCoachingImpact(request);
  }

  std::unique_ptr<CoreEnv> env_;
};

TEST_F(ImpactTest, CoachedRepsAgainstComparableUncoachedPeers) {
  AddRep("c1", "mid", "mgr-1", {{"2024-03", 0.10}, {"2024-04", 0.16}});
  AddRep("c2", "mid", "mgr-1", {{"2024-03", 0.12}, {"2024-04", 0.14}, {"2024-05", 0.30}});
  AddRep("u1", "mid", "mgr-1", {{"2024-03", 0.15}, {"2024-04", 0.16}});
  AddRep("u2", "mid", "mgr-2", {{"2024-03", 0.20}, {"2024-04", 0.20}});  // another team, same director
  AddRep("u3", "mid", "mgr-1", {{"2024-03", 0.18}, {"2024-04", 0.20}});
  AddRep("x1", "enterprise", "mgr-1", {{"2024-03", 0.10}, {"2024-04", 0.40}});  // not comparable
  AddRep("n1", "mid", "mgr-1", {{"2024-04", 0.50}});                            // no "before": left out
  Coach("c1", "2024-04", "connecting");
  Coach("c2", "2024-04", "connecting");
  Coach("c2", "2024-05", "connecting");  // the same episode
  Coach("u3", "2024-04", "closing");     // coached, but on something else

  absl::StatusOr<coachstream::v1::GetCoachingImpactResponse> r = Impact("2024-04", "2024-05");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->driver(), "connect_rate");
  EXPECT_NEAR(r->coached_change(), 0.04, 1e-9);
  EXPECT_NEAR(r->uncoached_change(), 0.01, 1e-9);
  EXPECT_NEAR(r->difference_in_differences(), 0.03, 1e-9);
  EXPECT_EQ(r->coached_reps(), 2);
  EXPECT_EQ(r->uncoached_reps(), 3);
}

TEST_F(ImpactTest, AfterOffsetComparesTheNextMonth) {
  CoachingCoreOptions options;
  options.impact.after_offset_months = 1;
  Reset(options);
  // Coached in April: May against March. c1 +0.10, u1 +0.02.
  AddRep("c1", "mid", "mgr-1", {{"2024-03", 0.10}, {"2024-04", 0.12}, {"2024-05", 0.20}});
  AddRep("u1", "mid", "mgr-1", {{"2024-03", 0.15}, {"2024-04", 0.15}, {"2024-05", 0.17}});
  // Coached in May, right after the April episode: not a comparable peer.
  AddRep("u2", "mid", "mgr-1", {{"2024-03", 0.15}, {"2024-04", 0.15}, {"2024-05", 0.35}});
  Coach("c1", "2024-04", "connecting");
  Coach("u2", "2024-05", "connecting");
  absl::StatusOr<coachstream::v1::GetCoachingImpactResponse> r = Impact("2024-04", "2024-04");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(r->coached_change(), 0.10, 1e-9);
  EXPECT_NEAR(r->uncoached_change(), 0.02, 1e-9);
  EXPECT_NEAR(r->difference_in_differences(), 0.08, 1e-9);
  EXPECT_EQ(r->uncoached_reps(), 1);
}

TEST_F(ImpactTest, ValidationErrorsNameTheField) {
  EXPECT_THAT(std::string(Impact("2024-04", "2024-05", "").status().message()),
              HasSubstr("competency_id: required"));
  EXPECT_THAT(std::string(Impact("2024-04", "2024-05", "magic").status().message()),
              HasSubstr("competency_id: unknown competency"));
  EXPECT_THAT(std::string(Impact("2024-Q2", "2024-05").status().message()), HasSubstr("from_month:"));
  EXPECT_THAT(std::string(Impact("2024-05", "2024-04").status().message()), HasSubstr("to_month: is before"));
  EXPECT_THAT(std::string(Impact("2020-01", "2024-05").status().message()), HasSubstr("to_month: the range"));
}

TEST_F(ImpactTest, NobodyCoachedIsAnEmptyAnswer) {
  AddRep("u1", "mid", "mgr-1", {{"2024-03", 0.15}, {"2024-04", 0.16}});
  absl::StatusOr<coachstream::v1::GetCoachingImpactResponse> r = Impact("2024-04", "2024-04");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->coached_reps(), 0);
  EXPECT_EQ(r->uncoached_reps(), 0);
  EXPECT_DOUBLE_EQ(r->difference_in_differences(), 0);
}

}  // namespace
}  // namespace cs::coaching::testing
