// The coaching-session log: validation naming the field, deterministic ids,
// the event to publish, listing by month.

#include "services/coaching/core/sessions.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/core/proto_time.h"
#include "tests/services/coaching/test_env.h"

namespace cs::coaching::testing {
namespace {

using coachstream::v1::LogSessionRequest;
using ::testing::HasSubstr;

LogSessionRequest Micro(absl::Time at, const std::string& deal = "deal-7", int minutes = 25) {
  LogSessionRequest r;
  r.set_tenant_id("t1");
  r.set_rep_id("dana");
  *r.mutable_occurred_at() = ToTimestamp(at);
  auto* s = r.mutable_session();
  s->set_kind(coachstream::v1::SESSION_KIND_MICRO_COACHING);
  s->set_coach_id("mgr-1");
  s->set_duration_minutes(minutes);
  s->set_deal_id(deal);
  s->set_competency_id("closing");
  return r;
}

LogSessionRequest OneOnOne(absl::Time at) {
  LogSessionRequest r = Micro(at);
  r.mutable_session()->set_kind(coachstream::v1::SESSION_KIND_MONTHLY_ONE_ON_ONE);
  r.mutable_session()->set_duration_minutes(60);
  r.mutable_session()->clear_deal_id();
  r.mutable_session()->set_calendar_meeting_id("cal-123");
  return r;
}

class SessionTest : public ::testing::Test {
 protected:
  absl::Time Now() const { return env_.clock.Now(); }
  absl::StatusOr<LoggedSession> Log(const LogSessionRequest& r) { return env_.core->LogSession(r); }
  std::vector<std::string> List(const std::string& month) {
    coachstream::v1::ListSessionsRequest request;
    request.set_tenant_id("t1");
    request.set_rep_id("dana");
    request.set_month(month);
    absl::StatusOr<coachstream::v1::ListSessionsResponse> r = env_.core->ListSessions(request);
    EXPECT_TRUE(r.ok()) << r.status();
    std::vector<std::string> ids;
    if (r.ok()) {
      for (const auto& s : r->sessions()) ids.push_back(s.session().session_id());
    }
    return ids;
  }
  CoreEnv env_;
};

TEST_F(SessionTest, ValidationErrorsNameTheField) {
  struct Case {
    const char* name;
    std::function<void(LogSessionRequest&)> mutate;
    const char* expected;
  };
  const absl::Time now = DefaultNow();
  const Case cases[] = {
      {"micro without deal", [](LogSessionRequest& r) { r.mutable_session()->clear_deal_id(); },
       "session.deal_id: required for micro-coaching"},
      {"micro too long", [](LogSessionRequest& r) { r.mutable_session()->set_duration_minutes(45); },
       "session.duration_minutes: 45 is over the 30-minute limit of micro-coaching"},
      {"no duration", [](LogSessionRequest& r) { r.mutable_session()->set_duration_minutes(0); },
       "session.duration_minutes: must be > 0"},
      {"no kind", [](LogSessionRequest& r) { r.mutable_session()->clear_kind(); }, "session.kind: required"},
      {"no coach", [](LogSessionRequest& r) { r.mutable_session()->clear_coach_id(); },
       "session.coach_id: required"},
      {"self coaching", [](LogSessionRequest& r) { r.mutable_session()->set_coach_id("dana"); },
       "session.coach_id: must not be the rep"},
      {"no time", [](LogSessionRequest& r) { r.clear_occurred_at(); }, "occurred_at: required"},
      {"future",
       [now](LogSessionRequest& r) { *r.mutable_occurred_at() = ToTimestamp(now + absl::Hours(1)); },
       "occurred_at: is in the future"},
      {"ancient",
       [now](LogSessionRequest& r) { *r.mutable_occurred_at() = ToTimestamp(now - absl::Hours(24 * 400)); },
       "occurred_at: is more than 365 days ago"},
      {"unknown competency", [](LogSessionRequest& r) { r.mutable_session()->set_competency_id("magic"); },
       "session.competency_id: unknown competency \"magic\""},
      {"no session", [](LogSessionRequest& r) { r.clear_session(); }, "session: required"},
      {"no rep", [](LogSessionRequest& r) { r.clear_rep_id(); }, "rep_id: required"},
      {"withdraw without id", [](LogSessionRequest& r) { r.mutable_session()->set_deleted(true); },
       "session.session_id: required to withdraw"},
  };
  for (const Case& c : cases) {
    LogSessionRequest r = Micro(now - absl::Hours(2));
    c.mutate(r);
    const absl::Status s = Log(r).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(std::string(s.message()), HasSubstr(c.expected)) << c.name;
  }
  // A little clock skew is fine; a 1:1 may be long.
  LogSessionRequest skewed = Micro(now + absl::Minutes(2));
  EXPECT_TRUE(Log(skewed).ok());
  EXPECT_TRUE(Log(OneOnOne(now - absl::Hours(3))).ok());
}

TEST_F(SessionTest, MicroLimitIsConfigurable) {
  CoachingCoreOptions options;
  options.sessions.max_micro_minutes = 45;
  CoreEnv env(options);
  EXPECT_TRUE(env.core->LogSession(Micro(DefaultNow() - absl::Hours(1), "d", 45)).ok());
}

TEST_F(SessionTest, RetriesGetTheSameIdAndEventCorrectionsANewEvent) {
  const LogSessionRequest request = Micro(Now() - absl::Hours(2));
  absl::StatusOr<LoggedSession> first = Log(request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(first->response.session_id(), ::testing::StartsWith("ses-"));
  EXPECT_EQ(first->event_key, "t1/dana");
  const coachstream::v1::Event& e = first->event;
  EXPECT_EQ(e.tenant_id(), "t1");
  EXPECT_EQ(e.rep_id(), "dana");
  EXPECT_EQ(e.source_system(), coachstream::v1::SOURCE_SYSTEM_COACHSTREAM);
  EXPECT_EQ(e.source_ref(), "session/" + first->response.session_id());
  EXPECT_EQ(FromTimestamp(e.occurred_at()), Now() - absl::Hours(2));
  EXPECT_EQ(e.coaching_session().session_id(), first->response.session_id());
  EXPECT_EQ(e.coaching_session().deal_id(), "deal-7");

  env_.clock.Advance(absl::Minutes(1));  // a retry a minute later
  absl::StatusOr<LoggedSession> retry = Log(request);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->response.session_id(), first->response.session_id());
  EXPECT_EQ(retry->event.event_id(), first->event.event_id());
  EXPECT_EQ(List("2024-06").size(), 1u);

  LogSessionRequest corrected = request;
  corrected.mutable_session()->set_session_id(first->response.session_id());
  corrected.mutable_session()->set_duration_minutes(20);
  absl::StatusOr<LoggedSession> fix = Log(corrected);
  ASSERT_TRUE(fix.ok());
  EXPECT_EQ(fix->response.session_id(), first->response.session_id());
  EXPECT_NE(fix->event.event_id(), first->event.event_id());
  EXPECT_EQ(List("2024-06").size(), 1u);

  // A different deal at the same time is a different session.
  absl::StatusOr<LoggedSession> other = Log(Micro(Now() - absl::Hours(2) - absl::Minutes(1), "deal-8"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->response.session_id(), first->response.session_id());
}

TEST_F(SessionTest, ListsByMonthOldestFirstAndWithdrawals) {
  const absl::Time june_3 = absl::FromCivil(absl::CivilSecond(2024, 6, 3, 9, 0, 0), absl::UTCTimeZone());
  const absl::Time may_31 = absl::FromCivil(absl::CivilSecond(2024, 5, 31, 23, 0, 0), absl::UTCTimeZone());
  absl::StatusOr<LoggedSession> later = Log(Micro(Now() - absl::Hours(1)));
  absl::StatusOr<LoggedSession> early = Log(OneOnOne(june_3));
  absl::StatusOr<LoggedSession> may = Log(Micro(may_31, "deal-1"));
  ASSERT_TRUE(later.ok() && early.ok() && may.ok());
  EXPECT_THAT(List("2024-06"),
              ::testing::ElementsAre(early->response.session_id(), later->response.session_id()));
  EXPECT_THAT(List("2024-05"), ::testing::ElementsAre(may->response.session_id()));

  // Withdraw: only the id is needed; the event carries the whole session.
  LogSessionRequest withdraw;
  withdraw.set_tenant_id("t1");
  withdraw.set_rep_id("dana");
  withdraw.mutable_session()->set_session_id(early->response.session_id());
  withdraw.mutable_session()->set_deleted(true);
  absl::StatusOr<LoggedSession> gone = Log(withdraw);
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_TRUE(gone->event.coaching_session().deleted());
  EXPECT_EQ(gone->event.coaching_session().calendar_meeting_id(), "cal-123");
  EXPECT_THAT(List("2024-06"), ::testing::ElementsAre(later->response.session_id()));

  withdraw.mutable_session()->set_session_id("ses-unknown");
  EXPECT_EQ(Log(withdraw).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SessionTest, MovingASessionToAnotherMonthMovesItsListing) {
  const absl::Time june_3 = absl::FromCivil(absl::CivilSecond(2024, 6, 3, 9, 0, 0), absl::UTCTimeZone());
  LogSessionRequest r = OneOnOne(june_3);
  r.mutable_session()->set_session_id("s-1");
  ASSERT_TRUE(Log(r).ok());
  *r.mutable_occurred_at() = ToTimestamp(june_3 - absl::Hours(24 * 5));
  ASSERT_TRUE(Log(r).ok());
  EXPECT_TRUE(List("2024-06").empty());
  EXPECT_THAT(List("2024-05"), ::testing::ElementsAre("s-1"));
}

TEST_F(SessionTest, MonthsFollowTheTenantTimeZone) {
  CoachingCoreOptions options;
  options.tenant_time_zones["t1"] = "America/Los_Angeles";
  CoreEnv env(options);
  // 2024-06-01 03:00 UTC is still May 31 in Los Angeles.
  const absl::Time t = absl::FromCivil(absl::CivilSecond(2024, 6, 1, 3, 0, 0), absl::UTCTimeZone());
  ASSERT_TRUE(env.core->LogSession(Micro(t)).ok());
  coachstream::v1::ListSessionsRequest request;
  request.set_tenant_id("t1");
  request.set_rep_id("dana");
  request.set_month("2024-05");
  EXPECT_EQ(env.core->ListSessions(request)->sessions_size(), 1);
}

TEST_F(SessionTest, StoreFailureIsReturned) {
  env_.store.fail_writes = true;
  EXPECT_EQ(Log(Micro(Now() - absl::Hours(1))).status().code(), absl::StatusCode::kUnavailable);
}

TEST(SessionIdTest, StableHashIsFnv1a) {
  // Known FNV-1a 64 vectors: ids must not change across builds.
  EXPECT_EQ(StableHash(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(StableHash("a"), 0xaf63dc4c8601ec8cULL);
}

}  // namespace
}  // namespace cs::coaching::testing
