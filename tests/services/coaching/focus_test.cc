// RecommendFocusSkill and AcceptFocusSkill over hand-built reps: the
// evidence and its arithmetic, layered diagnosis, small-sample honesty,
// one skill at a time (no flip-flop), plan template and agenda.

#include <string>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/core/shrinkage.h"
#include "services/coaching/core/store_keys.h"
#include "tests/services/coaching/fixtures.h"
#include "tests/services/coaching/test_env.h"

namespace cs::coaching::testing {
namespace {

using coachstream::v1::RecommendFocusSkillResponse;
using ::testing::Contains;
using ::testing::HasSubstr;

constexpr auto kRecommended = coachstream::v1::RECOMMENDATION_STATUS_RECOMMENDED;
constexpr auto kAccepted = coachstream::v1::RECOMMENDATION_STATUS_ACCEPTED;
constexpr auto kInsufficient = coachstream::v1::RECOMMENDATION_STATUS_INSUFFICIENT_DATA;

class FocusTest : public ::testing::Test {
 protected:
  FocusTest() { AddPeers(&env_.metrics, 6); }

  RecommendFocusSkillResponse Recommend(const std::string& rep, const std::string& month = "2024-06") {
    absl::StatusOr<RecommendFocusSkillResponse> r =
        env_.core->RecommendFocusSkill(RecommendRequest(rep, month));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : RecommendFocusSkillResponse();
  }

  absl::StatusOr<coachstream::v1::AcceptFocusSkillResponse> Accept(const std::string& rep,
                                                                   const std::string& id,
                                                                   const std::string& month = "2024-06") {
    coachstream::v1::AcceptFocusSkillRequest request;
    request.set_tenant_id("t1");
    request.set_rep_id(rep);
    request.set_month(month);
    request.set_competency_id(id);
    return env_.core->AcceptFocusSkill(request);
  }

  static RepSpec Dana() {
    RepSpec spec;
    spec.id = "dana";
    spec.name = "Dana";
    return spec;
  }
  void AddDana(const RepSpec& spec) { AddRep(&env_.metrics, spec, DefaultMonths()); }

  CoreEnv env_;
};

const coachstream::v1::DriverEvidence* Evidence(const coachstream::v1::SkillCandidate& c,
                                                const std::string& d) {
  for (const auto& e : c.evidence()) {
    if (e.driver() == d) return &e;
  }
  return nullptr;
}

TEST_F(FocusTest, PoorConnectRateGetsConnectingWithTheArithmetic) {
  RepSpec spec = Dana();
  spec.connect = 0.09;
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  ASSERT_EQ(r.status(), kRecommended) << r.rationale();
  EXPECT_EQ(r.focus().competency_id(), "connecting");
  EXPECT_EQ(r.diagnosis_layer(), "skill");

  // Evidence: pooled raw rate, shrunk with k = 20 calls toward the peers' 20%.
  const double calls = 500 * (2 + 24.5 / 30);
  const double shrunk = ShrinkRate(0.09 * calls, calls, 0.2, 20);
  const coachstream::v1::DriverEvidence* e = Evidence(r.focus(), "connect_rate");
  ASSERT_NE(e, nullptr);
  EXPECT_NEAR(e->raw_value(), 0.09, 1e-9);
  EXPECT_NEAR(e->rep_value(), shrunk, 1e-9);
  EXPECT_NEAR(e->benchmark(), 0.2, 1e-9);
  EXPECT_EQ(e->sample_size(), std::llround(calls));
  EXPECT_EQ(e->peers(), 7);

  // Gain = modeled bookings x (benchmark / shrunk - 1); bookings =
  // calls/month x connect x meetings/connect x opps/meeting x win x size.
  const RepSpec peer;
  const double bookings = 500 * shrunk * 0.33 * 0.6 * peer.win_rate() * 1'500'000;
  EXPECT_NEAR(r.focus().bookings_gain_minor(), bookings * (0.2 / shrunk - 1), 1.0);
  EXPECT_NEAR(r.focus().attainment_gain_points(), 100 * r.focus().bookings_gain_minor() / 9'000'000, 1e-6);

  EXPECT_THAT(r.rationale(), HasSubstr("Dana's connect rate is 9.2% vs 20% for peers (1408 calls"));
  EXPECT_THAT(r.rationale(), HasSubstr("would add about $"));
  EXPECT_THAT(r.rationale(), HasSubstr("points of attainment"));
  EXPECT_THAT(
      r.rationale(),
      HasSubstr(
          "The model behind it: 500 calls a month x 9.2% connected x 0.33 meetings per connected call"));
  EXPECT_GE(r.runners_up_size(), 1);
  EXPECT_LE(r.runners_up_size(), 3);
}

TEST_F(FocusTest, PlanTemplateAndAgendaUseTheRepsNumbers) {
  RepSpec spec = Dana();
  spec.connect = 0.09;
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  const auto& plan = r.plan_template();
  EXPECT_EQ(plan.target_driver(), "connect_rate");
  // Halfway from the shrunk 9.2% to the peers' 20%, to a tenth of a point.
  EXPECT_NEAR(plan.target_value(), 0.146, 0.0005);
  EXPECT_GE(plan.activities_size(), 3);
  EXPECT_THAT(plan.check_in_cadence(), HasSubstr("monthly 1:1"));
  EXPECT_THAT(plan.check_in_cadence(), HasSubstr("3 micro-coaching sessions a week"));
  ASSERT_GE(r.agenda_size(), 10);
  EXPECT_THAT(r.agenda(0), HasSubstr("How do you think last month went?"));
  EXPECT_THAT(r.agenda(1), HasSubstr("What went well?"));
  EXPECT_THAT(r.agenda(), Contains(HasSubstr("connect rate: 9.2% vs 20% for peers")));
  EXPECT_THAT(r.agenda(), Contains(HasSubstr("Suggested goal: connect rate to 14.6%")));
  EXPECT_EQ(r.agenda(r.agenda_size() - 1), "What help do you need from me?");
}

TEST_F(FocusTest, EffortBeforeSkill) {
  // Calls at 50% of peers, and a connect rate far worse: volume first.
  RepSpec spec = Dana();
  spec.calls = 250;
  spec.connect = 0.05;
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  ASSERT_EQ(r.status(), kRecommended);
  EXPECT_EQ(r.focus().competency_id(), "prospecting_volume");
  EXPECT_EQ(r.diagnosis_layer(), "effort");
  EXPECT_THAT(r.rationale(), HasSubstr("Effort comes before skill"));
  // The connect gap is larger, and still shown as the runner-up.
  EXPECT_EQ(r.runners_up(0).competency_id(), "connecting");
  EXPECT_GT(r.runners_up(0).bookings_gain_minor(), r.focus().bookings_gain_minor());
}

TEST_F(FocusTest, EffortFloorIsConfigurable) {
  CoachingCoreOptions options;
  options.recommender.effort_floor = 0.4;
  CoreEnv env(options);
  AddPeers(&env.metrics, 6);
  RepSpec spec = Dana();
  spec.id = "dana";
  spec.calls = 250;
  spec.connect = 0.05;
  AddRep(&env.metrics, spec, DefaultMonths());
  absl::StatusOr<RecommendFocusSkillResponse> r = env.core->RecommendFocusSkill(RecommendRequest("dana"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->focus().competency_id(), "connecting");
  EXPECT_EQ(r->diagnosis_layer(), "skill");
}

TEST_F(FocusTest, OnTargetRepGetsTheResultsLayer) {
  RepSpec spec = Dana();
  spec.deal_size = 1'000'000;  // smaller deals...
  spec.bookings_factor = 3;    // ...but bookings far above quota
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  EXPECT_EQ(r.diagnosis_layer(), "results");
  EXPECT_THAT(r.rationale(), HasSubstr("on target"));
}

// An on-target rep's gain is measured against the peers' top quartile
// (a stretch), so the evidence quotes that figure too: a win rate above
// the peers' median is not called a gap to the median.
TEST_F(FocusTest, OnTargetRepsEvidenceQuotesTheTopQuartileItIsMeasuredAgainst) {
  for (int i = 1; i <= 3; ++i) {  // strong closers lift the top quartile above the median
    RepSpec closer;
    closer.id = absl::StrCat("closer-", i);
    closer.conv[3] = 0.9;
    AddRep(&env_.metrics, closer, DefaultMonths());
  }
  RepSpec spec = Dana();
  spec.conv[3] = 0.62;         // a little above the median peer at negotiation...
  spec.bookings_factor = 3;    // ...and far above quota
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  ASSERT_EQ(r.status(), kRecommended) << r.rationale();
  EXPECT_EQ(r.diagnosis_layer(), "results") << r.rationale();
  EXPECT_THAT(r.rationale(), HasSubstr("for their top quartile")) << r.rationale();
  EXPECT_THAT(r.rationale(), HasSubstr("of the gap to the top quartile's win rate (")) << r.rationale();
  EXPECT_THAT(r.rationale(), ::testing::Not(HasSubstr("of the gap in win rate"))) << r.rationale();
}

TEST_F(FocusTest, FewCallsIsInsufficientData) {
  RepSpec spec = Dana();
  spec.calls = 5;
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  EXPECT_EQ(r.status(), kInsufficient);
  EXPECT_FALSE(r.has_focus());
  EXPECT_THAT(r.missing_data(), Contains(HasSubstr("fewer than 20 calls in 2024-04..2024-06 (14)")));
  EXPECT_THAT(r.rationale(), HasSubstr("Not enough data"));
}

TEST_F(FocusTest, NoPeersIsInsufficientData) {
  RepSpec spec = Dana();
  spec.segment = "nobody-else";
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  EXPECT_EQ(r.status(), kInsufficient);
  // Dana alone: one peer (herself).
  EXPECT_THAT(r.missing_data(), Contains(HasSubstr("only 1 peers in segment \"nobody-else\"")));
}

TEST_F(FocusTest, NoRoleInTheDirectoryIsInsufficientData) {
  RepSpec spec = Dana();
  spec.role = coachstream::v1::ROLE_UNSPECIFIED;
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  EXPECT_EQ(r.status(), kInsufficient);
  EXPECT_THAT(r.missing_data(), Contains(HasSubstr("no role for the rep")));
}

TEST_F(FocusTest, UnknownRepAndBadRequestsAreErrorsNamingTheField) {
  EXPECT_EQ(env_.core->RecommendFocusSkill(RecommendRequest("ghost")).status().code(),
            absl::StatusCode::kNotFound);
  struct Case {
    coachstream::v1::RecommendFocusSkillRequest request;
    const char* field;
  };
  std::vector<Case> cases = {
      {RecommendRequest(""), "rep_id: required"},
      {RecommendRequest("peer-1", "2024-6"), "month: period \"2024-6\""},
      {RecommendRequest("peer-1", "2024-W23"), "month: \"2024-W23\" is not a month"},
      {RecommendRequest("peer-1", "2024-08"), "month: \"2024-08\" is more than a month ahead"},
      {RecommendRequest("peer-1", "2024-06", ""), "tenant_id: required"}};
  for (const Case& c : cases) {
    const absl::Status s = env_.core->RecommendFocusSkill(c.request).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.field));
  }
}

TEST_F(FocusTest, AcceptedFocusStaysWhateverTheNumbersDo) {
  RepSpec spec = Dana();
  spec.connect = 0.09;
  AddDana(spec);
  ASSERT_EQ(Recommend("dana").focus().competency_id(), "connecting");
  absl::StatusOr<coachstream::v1::AcceptFocusSkillResponse> accepted = Accept("dana", "");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->competency_id(), "connecting");

  // The data moves: closing becomes the bigger gap (connecting is still
  // below its 14.6% target, so the objective is not met).
  spec.connect = 0.1;
  spec.conv[3] = 0.1;
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  EXPECT_EQ(r.status(), kAccepted);
  EXPECT_EQ(r.focus().competency_id(), "connecting");
  EXPECT_THAT(r.rationale(), HasSubstr("accepted on 2024-06-25"));
  // The plan's target is the one agreed at acceptance (14.6%), not recomputed.
  EXPECT_NEAR(r.plan_template().target_value(), 0.146, 0.0005);
  // The runners-up show what else there is, without the focus itself.
  for (const auto& c : r.runners_up()) EXPECT_NE(c.competency_id(), "connecting");
  EXPECT_EQ(r.runners_up(0).competency_id(), "closing");

  // A new month starts from scratch.
  env_.clock.Set(absl::FromCivil(absl::CivilSecond(2024, 7, 2, 12, 0, 0), absl::UTCTimeZone()));
  AddRep(&env_.metrics, spec, {{"2024-07", 1.5 / 31}});
  EXPECT_EQ(Recommend("dana", "2024-07").status(), kRecommended);
}

TEST_F(FocusTest, MetObjectiveReleasesTheFocusForGood) {
  RepSpec spec = Dana();
  spec.connect = 0.09;
  AddDana(spec);
  ASSERT_TRUE(Accept("dana", "connecting").ok());
  // June's connect rate jumps above the 14.6% target: the objective is met.
  spec.connect = 0.2;
  spec.conv[3] = 0.2;  // and closing is now the gap
  env_.metrics.SetRep("2024-06", MakeRepDrivers(spec, 24.5 / 30));
  RecommendFocusSkillResponse r = Recommend("dana");
  EXPECT_EQ(r.status(), kRecommended);
  EXPECT_NE(r.focus().competency_id(), "connecting");
  EXPECT_THAT(r.rationale(), HasSubstr("is met; the next skill"));
  // Met stays met, even if the rate slips back.
  spec.connect = 0.09;
  env_.metrics.SetRep("2024-06", MakeRepDrivers(spec, 24.5 / 30));
  r = Recommend("dana");
  EXPECT_EQ(r.status(), kRecommended);
  EXPECT_NE(r.focus().competency_id(), "connecting");
}

TEST(FocusHysteresisTest, UnacceptedRecommendationChangesOnlyByAMargin) {
  CoachingCoreOptions options;
  options.recommender.prior_strength_deals = 0;  // exact deal-size arithmetic
  CoreEnv env(options);
  AddPeers(&env.metrics, 6);
  auto focus = [&] {
    absl::StatusOr<RecommendFocusSkillResponse> r = env.core->RecommendFocusSkill(RecommendRequest("dana"));
    EXPECT_TRUE(r.ok()) << r.status();
    return *r;
  };
  // Connect rate 13% (shrunk 13.1%): connecting multiplies bookings by 1.53.
  RepSpec spec;
  spec.id = "dana";
  spec.connect = 0.13;
  AddRep(&env.metrics, spec, DefaultMonths());
  ASSERT_EQ(focus().focus().competency_id(), "connecting");
  // Deals shrink to 1/1.6 of the peers': negotiation (x1.6) leads, but by
  // less than 25% of connecting's gain (1.6 - 1 < 1.25 x 0.53).
  spec.deal_size = 1'500'000 / 1.6;
  AddRep(&env.metrics, spec, DefaultMonths());
  RecommendFocusSkillResponse r = focus();
  EXPECT_EQ(r.focus().competency_id(), "connecting") << r.rationale();
  EXPECT_THAT(r.rationale(), HasSubstr("recommended earlier this month"));
  EXPECT_EQ(r.runners_up(0).competency_id(), "negotiation");
  EXPECT_GT(r.runners_up(0).bookings_gain_minor(), r.focus().bookings_gain_minor());
  // Far ahead (x2.2): the recommendation changes, and then holds.
  spec.deal_size = 1'500'000 / 2.2;
  AddRep(&env.metrics, spec, DefaultMonths());
  EXPECT_EQ(focus().focus().competency_id(), "negotiation");
  spec.deal_size = 1'500'000 / 1.45;
  AddRep(&env.metrics, spec, DefaultMonths());
  EXPECT_EQ(focus().focus().competency_id(), "negotiation");
}

TEST_F(FocusTest, AcceptValidatesAndRefusesToGuess) {
  RepSpec spec = Dana();
  spec.calls = 5;  // insufficient data
  AddDana(spec);
  absl::Status s = Accept("dana", "").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("competency_id: there is no recommendation to accept"));
  s = Accept("dana", "juggling").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("competency_id: unknown competency \"juggling\""));
  // The manager may still choose a focus explicitly.
  ASSERT_TRUE(Accept("dana", "connecting").ok());
  EXPECT_EQ(Recommend("dana").status(), kAccepted);
  // Competencies must fit the role.
  RepSpec sdr;
  sdr.id = "sam";
  sdr.role = coachstream::v1::ROLE_SDR;
  AddRep(&env_.metrics, sdr, DefaultMonths());
  s = Accept("sam", "negotiation").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("does not apply to role sdr"));
}

TEST_F(FocusTest, AcceptIsIdempotentAndStateSurvivesANewCore) {
  RepSpec spec = Dana();
  spec.connect = 0.09;
  AddDana(spec);
  ASSERT_TRUE(Accept("dana", "").ok());
  ASSERT_TRUE(Accept("dana", "").ok());
  EXPECT_TRUE(env_.store.Get(FocusKey("t1", "2024-06", "dana"))->has_value());
  // A restarted service (a new core over the same store) keeps the focus.
  absl::StatusOr<std::unique_ptr<CoachingCore>> restarted = CoachingCore::Create(
      CoachingCoreOptions(), *CompetencyLibrary::Default(), env_.metrics, env_.store, env_.clock);
  ASSERT_TRUE(restarted.ok());
  absl::StatusOr<RecommendFocusSkillResponse> r = (*restarted)->RecommendFocusSkill(RecommendRequest("dana"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status(), kAccepted);
}

TEST_F(FocusTest, TalkingTooMuchIsAListeningProblem) {
  RepSpec spec = Dana();
  spec.talk = 0.72;
  spec.questions = 5;
  spec.monologue = 160;
  spec.meeting = 0.18;  // fewer meetings from the same conversations
  AddDana(spec);
  const RecommendFocusSkillResponse r = Recommend("dana");
  EXPECT_EQ(r.focus().competency_id(), "listening_questioning") << r.rationale();
  EXPECT_THAT(r.rationale(), HasSubstr("Dana's talk ratio is"));
  EXPECT_THAT(r.rationale(),
              HasSubstr("likely cause of a gap in booking rate (meetings per connected call)"));
  EXPECT_NE(Evidence(r.focus(), "meeting_rate"), nullptr);
}

TEST_F(FocusTest, MetricsOutageIsUnavailableNamingTheCall) {
  env_.metrics.FailWith(absl::UnavailableError("connection refused"));
  const absl::Status s = env_.core->RecommendFocusSkill(RecommendRequest("peer-1")).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(s.message()), HasSubstr("metrics service GetRepDrivers"));
}

}  // namespace
}  // namespace cs::coaching::testing
