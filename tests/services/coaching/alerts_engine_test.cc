// Accountability alerts on the three-manager org (alerts_org.h): the right
// people get the right alerts, escalation happens after the SLA and not
// before, acknowledgement stops it, alerts resolve when their condition
// clears, and a restart neither loses nor duplicates anything.

#include <map>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/coaching/alerts/alert_keys.h"
#include "services/coaching/core/proto_time.h"
#include "tests/services/coaching/alerts_org.h"

namespace cs::coaching::testing {
namespace {

using coachstream::v1::Alert;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

constexpr char kHours[] = "coaching_hours_below_target";
constexpr char kCadence[] = "micro_coaching_cadence_low";
constexpr char kFocus[] = "no_focus_or_plan";
constexpr char kOffTrack[] = "rep_off_track";
constexpr char kCoverage[] = "manager_coverage_low";
constexpr char kMiddle[] = "coaching_not_on_middle";

std::string K(const std::string& rule, const std::string& subject) { return rule + ":" + subject; }

class AlertsTest : public ::testing::Test {
 protected:
  alerts::EvaluationSummary Evaluate() {
    alerts::EvaluationSummary s = org_.engine->EvaluateTenant("t1");
    EXPECT_TRUE(s.first_error.ok()) << s.first_error;
    return s;
  }
  alerts::EvaluationSummary Escalate() {
    alerts::EvaluationSummary s = org_.engine->Escalate("t1");
    EXPECT_TRUE(s.first_error.ok()) << s.first_error;
    return s;
  }
  absl::StatusOr<Alert> Ack(const std::string& id) {
    coachstream::v1::AcknowledgeAlertRequest r;
    r.set_tenant_id("t1");
    r.set_alert_id(id);
    r.set_note("on it");
    return org_.engine->Acknowledge(r);
  }
  absl::StatusOr<Alert> Resolve(const std::string& id, const std::string& note = "coached twice this week") {
    coachstream::v1::ResolveAlertRequest r;
    r.set_tenant_id("t1");
    r.set_alert_id(id);
    r.set_note(note);
    return org_.engine->Resolve(r);
  }
  void Advance(absl::Duration d) { org_.clock.Set(AlertsNow() + d); }

  AlertsOrg org_;
};

TEST_F(AlertsTest, TheRightPeopleGetTheRightAlerts) {
  const alerts::EvaluationSummary s = Evaluate();
  EXPECT_EQ(s.teams, 4);
  EXPECT_EQ(s.team_errors, 0);

  std::vector<std::string> never;
  for (const char* r : {"never-a", "never-b1", "never-b2", "never-b3", "never-c"}) {
    never.push_back(K(kHours, r));
    never.push_back(K(kFocus, r));
  }
  never.push_back(K(kCadence, "mgr-never"));
  never.push_back(K(kOffTrack, "never-c"));
  EXPECT_THAT(org_.Held("mgr-never"), UnorderedElementsAreArray(never));

  // Coaching only the star: everyone else is under-coached, the team's
  // cadence is low; plans are in place.
  EXPECT_THAT(org_.Held("mgr-stars"),
              UnorderedElementsAreArray({K(kHours, "stars-b1"), K(kHours, "stars-b2"), K(kHours, "stars-b3"),
                                         K(kHours, "stars-c"), K(kCadence, "mgr-stars"),
                                         K(kOffTrack, "stars-c")}));
  // Doing everything right: only the C player's numbers speak.
  EXPECT_THAT(org_.Held("mgr-good"), ElementsAre(K(kOffTrack, "good-c")));
  // Manager accountability goes to the director.
  EXPECT_THAT(org_.Held("dir-1"), UnorderedElementsAreArray({K(kCoverage, "mgr-never"), K(kCoverage, "mgr-stars"),
                                                             K(kMiddle, "mgr-stars")}));
  EXPECT_THAT(org_.Held("dir-2"), ElementsAre(K(kCoverage, "mgr-other")));
  EXPECT_THAT(org_.Held("cro"), IsEmpty());

  const std::optional<Alert> hours = org_.Find(kHours, "stars-b1");
  ASSERT_TRUE(hours);
  EXPECT_EQ(hours->alert_id(), "coaching_hours_below_target.stars-b1.20240620");
  EXPECT_EQ(hours->state(), coachstream::v1::ALERT_STATE_OPEN);
  EXPECT_EQ(hours->escalation_level(), 0);
  EXPECT_EQ(hours->version(), 1);
  ASSERT_EQ(hours->facts_size(), 1);
  EXPECT_EQ(hours->facts(0).name(), "coaching_hours_30d");
  EXPECT_DOUBLE_EQ(hours->facts(0).value(), 0);
  EXPECT_DOUBLE_EQ(hours->facts(0).threshold(), 3);
  EXPECT_THAT(hours->message(), HasSubstr("0.0 h of coaching in the last 30 days"));
  ASSERT_EQ(hours->escalations_size(), 1);
  EXPECT_EQ(hours->escalations(0).recipient_id(), "mgr-stars");
  EXPECT_EQ(FromTimestamp(hours->next_escalation_at()), AlertsNow() + absl::Hours(48));

  const std::optional<Alert> coverage = org_.Find(kCoverage, "mgr-stars");
  ASSERT_TRUE(coverage);
  EXPECT_THAT(coverage->message(), HasSubstr("coached 1 of 5 reps"));
  EXPECT_DOUBLE_EQ(coverage->facts(0).value(), 0.2);
  const std::optional<Alert> middle = org_.Find(kMiddle, "mgr-stars");
  ASSERT_TRUE(middle);
  EXPECT_DOUBLE_EQ(middle->facts(0).value(), 0);  // nothing for the B players

  // No spam: evaluating again changes nothing.
  const size_t alerts = org_.All().size();
  const alerts::EvaluationSummary again = Evaluate();
  EXPECT_EQ(again.opened, 0);
  EXPECT_EQ(again.resolved, 0);
  EXPECT_EQ(org_.All().size(), alerts);
}

TEST_F(AlertsTest, EscalatesStepByStepAfterTheSlaAndNotBefore) {
  Evaluate();
  const std::string id = org_.Find(kHours, "never-b1")->alert_id();
  Advance(absl::Hours(48) - absl::Seconds(1));
  EXPECT_EQ(Escalate().escalated, 0);
  EXPECT_EQ(org_.Find(kHours, "never-b1")->recipient_id(), "mgr-never");

  Advance(absl::Hours(48));
  const alerts::EvaluationSummary s = Escalate();
  EXPECT_EQ(s.escalated, static_cast<int>(org_.All().size()));  // every alert was still open
  Alert a = *org_.Find(kHours, "never-b1");
  EXPECT_EQ(a.alert_id(), id);
  EXPECT_EQ(a.recipient_id(), "dir-1");
  EXPECT_EQ(a.escalation_level(), 1);
  EXPECT_EQ(a.state(), coachstream::v1::ALERT_STATE_OPEN);
  ASSERT_EQ(a.escalations_size(), 2);
  EXPECT_EQ(a.escalations(1).level(), 1);
  EXPECT_EQ(a.escalations(1).recipient_id(), "dir-1");
  EXPECT_EQ(FromTimestamp(a.escalations(1).at()), AlertsNow() + absl::Hours(48));
  EXPECT_EQ(a.escalations(1).reason(), "not acknowledged within 48h");
  EXPECT_EQ(org_.Find(kCoverage, "mgr-other")->recipient_id(), "cro");
  EXPECT_EQ(org_.Find(kHours, "other-b1")->recipient_id(), "dir-2");

  // The director gets a fresh 48 hours.
  Advance(absl::Hours(96) - absl::Seconds(1));
  EXPECT_EQ(Escalate().escalated, 0);
  Advance(absl::Hours(96));
  Escalate();
  a = *org_.Find(kHours, "never-b1");
  EXPECT_EQ(a.recipient_id(), "cro");
  EXPECT_EQ(a.escalation_level(), 2);
  ASSERT_EQ(a.escalations_size(), 3);
  EXPECT_EQ(a.escalations(2).recipient_id(), "cro");
  // The top of the chain keeps it.
  EXPECT_FALSE(a.has_next_escalation_at());
  Advance(absl::Hours(400));
  EXPECT_EQ(Escalate().escalated, 0);
  EXPECT_EQ(org_.Find(kHours, "never-b1")->escalation_level(), 2);
}

TEST_F(AlertsTest, MissedDeadlinesEscalateOneRecordedStepAtATime) {
  Evaluate();
  Advance(absl::Hours(24 * 5));  // nobody looked for five days
  Escalate();
  const Alert a = *org_.Find(kHours, "never-b1");
  ASSERT_EQ(a.escalations_size(), 3);
  EXPECT_EQ(FromTimestamp(a.escalations(1).at()), AlertsNow() + absl::Hours(48));
  EXPECT_EQ(FromTimestamp(a.escalations(2).at()), AlertsNow() + absl::Hours(96));
  EXPECT_EQ(a.version(), 3);
}

TEST_F(AlertsTest, AcknowledgementStopsEscalationUntilTheResolveSla) {
  Evaluate();
  const std::string id = org_.Find(kHours, "never-b1")->alert_id();
  Advance(absl::Hours(1));
  absl::StatusOr<Alert> acked = Ack(id);
  ASSERT_TRUE(acked.ok()) << acked.status();
  EXPECT_EQ(acked->state(), coachstream::v1::ALERT_STATE_ACKNOWLEDGED);
  EXPECT_EQ(acked->acknowledgement_note(), "on it");
  EXPECT_EQ(FromTimestamp(acked->next_escalation_at()), AlertsNow() + absl::Hours(24 * 7));
  // Acknowledging twice is harmless.
  EXPECT_EQ(Ack(id)->version(), acked->version());

  Advance(absl::Hours(48));
  Escalate();
  EXPECT_EQ(org_.Find(kHours, "never-b1")->recipient_id(), "mgr-never");
  EXPECT_EQ(org_.Find(kHours, "never-b2")->recipient_id(), "dir-1");

  Advance(absl::Hours(24 * 7) - absl::Seconds(1));
  Escalate();
  EXPECT_EQ(org_.Find(kHours, "never-b1")->recipient_id(), "mgr-never");
  Advance(absl::Hours(24 * 7));
  Escalate();
  const Alert a = *org_.Find(kHours, "never-b1");
  EXPECT_EQ(a.recipient_id(), "dir-1");
  EXPECT_EQ(a.state(), coachstream::v1::ALERT_STATE_OPEN);  // the director must acknowledge it
  EXPECT_EQ(a.escalations(1).reason(), "acknowledged but not resolved within 168h");
}

TEST_F(AlertsTest, ResolvesWhenTheConditionClears) {
  Evaluate();
  org_.Publish();
  const Alert before = *org_.Find(kHours, "never-b1");
  org_.SetCoaching("never-b1", 90, 3);  // the manager starts coaching one rep
  const alerts::EvaluationSummary s = org_.engine->EvaluatePeople("t1", {"never-b1"});
  EXPECT_EQ(s.teams, 1);
  EXPECT_EQ(s.resolved, 1);
  const Alert after = *org_.Find(kHours, "never-b1");
  EXPECT_EQ(after.alert_id(), before.alert_id());
  EXPECT_EQ(after.state(), coachstream::v1::ALERT_STATE_RESOLVED);
  EXPECT_TRUE(after.auto_resolved());
  EXPECT_EQ(after.resolution_note(), "condition cleared");
  EXPECT_EQ(after.version(), 2);
  // One rep of five is still not coverage.
  EXPECT_EQ(org_.Find(kCoverage, "mgr-never")->state(), coachstream::v1::ALERT_STATE_OPEN);
  // Published: the resolution, and the team's alerts whose numbers moved
  // (coverage 1 of 5, cadence 0.6 per rep), still open.
  std::map<std::string, alerts::OutboxEntry> published;
  for (alerts::OutboxEntry& e : org_.Publish()) published[e.alert.alert_id()] = std::move(e);
  ASSERT_EQ(published.size(), 3u);
  ASSERT_TRUE(published.contains(before.alert_id()));
  EXPECT_EQ(published[before.alert_id()].message_key, "t1/mgr-never");
  EXPECT_EQ(published[before.alert_id()].alert.state(), coachstream::v1::ALERT_STATE_RESOLVED);
  const Alert coverage = *org_.Find(kCoverage, "mgr-never");
  ASSERT_TRUE(published.contains(coverage.alert_id()));
  EXPECT_THAT(published[coverage.alert_id()].alert.message(), HasSubstr("coached 1 of 5 reps"));
  const Alert cadence = *org_.Find(kCadence, "mgr-never");
  ASSERT_TRUE(published.contains(cadence.alert_id()));
  EXPECT_EQ(published[cadence.alert_id()].alert.state(), coachstream::v1::ALERT_STATE_OPEN);

  // The condition returning opens a new alert (a new id the same day).
  org_.SetCoaching("never-b1", 0, 0);
  Evaluate();
  const Alert reopened = *org_.Find(kHours, "never-b1");
  EXPECT_EQ(reopened.alert_id(), before.alert_id() + "-2");
  EXPECT_EQ(reopened.state(), coachstream::v1::ALERT_STATE_OPEN);
}

TEST_F(AlertsTest, AFiringAlertSaysWhatTheLatestEvaluationFound) {
  // Opened while the metrics service had no coaching for the rep (as while
  // it catches up after a start): "0.0 h".
  Evaluate();
  org_.Publish();
  const Alert before = *org_.Find(kHours, "never-b1");
  EXPECT_THAT(before.message(), HasSubstr("0.0 h of coaching"));
  // 20 minutes a week: the window (2024-05-22..06-20) holds 5/7 of 2024-W21
  // and W22..W25 in full, 94 minutes, still under 3 h.
  org_.SetCoaching("never-b1", 20, 0);
  const alerts::EvaluationSummary s = org_.engine->EvaluatePeople("t1", {"never-b1"});
  EXPECT_EQ(s.opened, 0);
  EXPECT_EQ(s.resolved, 0);
  EXPECT_GE(s.updated, 1);
  const Alert after = *org_.Find(kHours, "never-b1");
  EXPECT_EQ(after.alert_id(), before.alert_id());
  EXPECT_EQ(after.state(), coachstream::v1::ALERT_STATE_OPEN);
  EXPECT_EQ(after.recipient_id(), before.recipient_id());
  EXPECT_EQ(after.escalations_size(), before.escalations_size());
  EXPECT_EQ(FromTimestamp(after.next_escalation_at()), FromTimestamp(before.next_escalation_at()));
  EXPECT_EQ(after.version(), before.version() + 1);
  EXPECT_THAT(after.message(), HasSubstr("1.6 h of coaching in the last 30 days"));
  ASSERT_EQ(after.facts_size(), 1);
  EXPECT_NEAR(after.facts(0).value(), 20 * (5.0 / 7 + 4) / 60, 1e-9);
  bool published = false;
  for (const auto& e : org_.Publish()) {
    if (e.alert.alert_id() == after.alert_id()) published = e.alert.version() == after.version();
  }
  EXPECT_TRUE(published);
  // Nothing new: no change, nothing published.
  EXPECT_EQ(org_.engine->EvaluatePeople("t1", {"never-b1"}).updated, 0);
  EXPECT_EQ(org_.Find(kHours, "never-b1")->version(), after.version());
  EXPECT_TRUE(org_.Publish().empty());
}

TEST_F(AlertsTest, ManualResolutionHoldsUntilTheConditionClears) {
  Evaluate();
  const std::string id = org_.Find(kCadence, "mgr-never")->alert_id();
  absl::StatusOr<Alert> resolved = Resolve(id, "micro-coaching booked for every rep");
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->state(), coachstream::v1::ALERT_STATE_RESOLVED);
  EXPECT_FALSE(resolved->auto_resolved());
  EXPECT_EQ(resolved->resolution_note(), "micro-coaching booked for every rep");
  EXPECT_FALSE(resolved->has_next_escalation_at());
  EXPECT_EQ(Evaluate().opened, 0);  // not re-opened behind the manager's back
  Advance(absl::Hours(24 * 10));
  Escalate();
  EXPECT_EQ(org_.Find(kCadence, "mgr-never")->version(), resolved->version());  // never escalates
  EXPECT_EQ(Ack(id).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Resolve(id)->version(), resolved->version());  // idempotent
}

TEST_F(AlertsTest, RestartNeitherLosesNorDuplicates) {
  Evaluate();
  const std::vector<alerts::OutboxEntry> first = org_.Publish();
  const std::vector<Alert> before = org_.All();
  ASSERT_EQ(first.size(), before.size());
  std::set<std::pair<std::string, int64_t>> seen;
  for (const auto& e : first) EXPECT_TRUE(seen.insert({e.alert.alert_id(), e.alert.version()}).second);

  org_.Restart();
  const alerts::EvaluationSummary s = Evaluate();
  EXPECT_EQ(s.opened, 0);
  EXPECT_EQ(s.resolved, 0);
  EXPECT_TRUE(org_.Publish().empty());
  const std::vector<Alert> after = org_.All();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].SerializeAsString(), before[i].SerializeAsString()) << after[i].alert_id();
  }

  // A crash before the broker acknowledged: the outbox survives and is
  // published after the restart, once.
  Advance(absl::Hours(48));
  Escalate();
  org_.Restart();
  const std::vector<alerts::OutboxEntry> pending = org_.Publish();
  EXPECT_EQ(pending.size(), before.size());
  for (const auto& e : pending) {
    EXPECT_EQ(e.alert.version(), 2);
    EXPECT_TRUE(seen.insert({e.alert.alert_id(), e.alert.version()}).second);
  }
  EXPECT_TRUE(org_.Publish().empty());
}

TEST_F(AlertsTest, EveryChangeIsOneOutboxEntryKeyedByRecipient) {
  Evaluate();
  std::vector<alerts::OutboxEntry> opened = org_.Publish();
  EXPECT_EQ(opened.size(), org_.All().size());
  for (const auto& e : opened) {
    EXPECT_EQ(e.message_key, "t1/" + e.alert.recipient_id());
    EXPECT_EQ(e.alert.version(), 1);
  }
  const std::string id = org_.Find(kCoverage, "mgr-stars")->alert_id();
  ASSERT_TRUE(Ack(id).ok());
  std::vector<alerts::OutboxEntry> acked = org_.Publish();
  ASSERT_EQ(acked.size(), 1u);
  EXPECT_EQ(acked[0].message_key, "t1/dir-1");
  EXPECT_EQ(acked[0].alert.state(), coachstream::v1::ALERT_STATE_ACKNOWLEDGED);
  EXPECT_EQ(acked[0].alert.version(), 2);
  // A failed write changes nothing and publishes nothing.
  org_.store.fail_writes = true;
  EXPECT_EQ(Resolve(id).status().code(), absl::StatusCode::kUnavailable);
  org_.store.fail_writes = false;
  EXPECT_TRUE(org_.Publish().empty());
  EXPECT_EQ(org_.Find(kCoverage, "mgr-stars")->state(), coachstream::v1::ALERT_STATE_ACKNOWLEDGED);
}

// Collects the changes a WatchAlerts stream for `person` would send.
class WatchCollector : public alerts::AlertObserver {
 public:
  WatchCollector(const alerts::AlertEngine* engine, std::string person) : engine_(engine), person_(std::move(person)) {}
  void OnAlertChanged(const Alert& alert, alerts::AlertChange change) override {
    if (engine_->InView("t1", person_, alert)) seen.push_back(alert);
  }
  std::vector<Alert> seen;

 private:
  const alerts::AlertEngine* engine_;
  std::string person_;
};

TEST_F(AlertsTest, ADirectorWatchesTheirManagersAndNobodyElse) {
  WatchCollector dir1(org_.engine.get(), "dir-1");
  org_.engine->AddObserver(&dir1);
  Evaluate();
  coachstream::v1::WatchAlertsRequest request;
  request.set_tenant_id("t1");
  request.set_person_id("dir-1");
  absl::StatusOr<std::vector<Alert>> initial = org_.engine->StartWatch(request);
  ASSERT_TRUE(initial.ok()) << initial.status();
  std::set<std::string> recipients;
  for (const Alert& a : *initial) recipients.insert(a.recipient_id());
  EXPECT_EQ(recipients, (std::set<std::string>{"mgr-never", "mgr-stars", "mgr-good", "dir-1"}));
  EXPECT_EQ(initial->size(), dir1.seen.size());

  dir1.seen.clear();
  Advance(absl::Hours(48));
  Escalate();
  ASSERT_FALSE(dir1.seen.empty());
  for (const Alert& a : dir1.seen) {
    EXPECT_TRUE(a.escalations(0).recipient_id() == "mgr-never" || a.escalations(0).recipient_id() == "mgr-stars" ||
                a.escalations(0).recipient_id() == "mgr-good" || a.escalations(0).recipient_id() == "dir-1")
        << a.alert_id();
    EXPECT_NE(a.subject_id(), "mgr-other");
    EXPECT_THAT(a.subject_id(), ::testing::Not(HasSubstr("other")));
  }
  // The other director's manager escalated too, but not into dir-1's view.
  EXPECT_EQ(org_.Find(kHours, "other-b1")->recipient_id(), "dir-2");

  request.set_person_id("nobody");
  EXPECT_EQ(org_.engine->StartWatch(request).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(AlertsTest, ListAlertsForARecipient) {
  Evaluate();
  coachstream::v1::ListAlertsRequest r;
  r.set_tenant_id("t1");
  r.set_recipient_id("dir-1");
  EXPECT_EQ(org_.engine->ListAlerts(r)->alerts_size(), 3);
  r.set_rule_id(kMiddle);
  EXPECT_EQ(org_.engine->ListAlerts(r)->alerts_size(), 1);
  r.clear_rule_id();
  r.set_include_subtree(true);
  EXPECT_EQ(org_.engine->ListAlerts(r)->alerts_size(), 3 + 12 + 6 + 1);
  // After an escalation the manager still sees what they held.
  Advance(absl::Hours(48));
  Escalate();
  r.set_recipient_id("mgr-good");
  r.set_include_subtree(false);
  const auto held = org_.engine->ListAlerts(r);
  ASSERT_EQ(held->alerts_size(), 1);
  EXPECT_EQ(held->alerts(0).recipient_id(), "dir-1");
}

TEST_F(AlertsTest, RequestsAreValidated) {
  Evaluate();
  coachstream::v1::ListAlertsRequest list;
  list.set_tenant_id("t1");
  EXPECT_EQ(org_.engine->ListAlerts(list).status().message(), "recipient_id: required");
  list.set_recipient_id("dir-1");
  list.set_rule_id("magic");
  EXPECT_EQ(org_.engine->ListAlerts(list).status().message(), "rule_id: unknown rule \"magic\"");
  list.clear_rule_id();
  list.add_states(coachstream::v1::ALERT_STATE_UNSPECIFIED);
  EXPECT_THAT(std::string(org_.engine->ListAlerts(list).status().message()), HasSubstr("states[0]"));

  EXPECT_EQ(Ack("").status().message(), "alert_id: required");
  EXPECT_EQ(Ack("no-such-alert").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Ack("no-such-alert").status().message(), "alert_id: no alert \"no-such-alert\"");
  const std::string id = org_.Find(kHours, "never-a")->alert_id();
  EXPECT_EQ(Resolve(id, "").status().message(), "note: required: say what was done");
  EXPECT_EQ(Resolve(id, std::string(3000, 'x')).status().code(), absl::StatusCode::kInvalidArgument);
  coachstream::v1::ResolveAlertRequest no_tenant;
  no_tenant.set_alert_id(id);
  no_tenant.set_note("x");
  EXPECT_EQ(org_.engine->Resolve(no_tenant).status().message(), "tenant_id: required");
  coachstream::v1::GetAlertRollupRequest rollup;
  rollup.set_tenant_id("t1");
  rollup.set_person_id("cro");
  rollup.set_month("2024-W03");
  EXPECT_THAT(std::string(org_.engine->Rollup(rollup).status().message()), HasSubstr("month:"));
}

TEST_F(AlertsTest, FailingMetricsLeaveAlertsAlone) {
  Evaluate();
  const size_t open = org_.All(false).size();
  org_.metrics.FailWith(absl::UnavailableError("metrics down"));
  const alerts::EvaluationSummary s = org_.engine->EvaluateTenant("t1");
  EXPECT_EQ(s.team_errors, 4);
  EXPECT_EQ(s.resolved, 0);
  EXPECT_EQ(s.first_error.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(org_.All(false).size(), open);
  // Escalation needs no metrics.
  Advance(absl::Hours(48));
  EXPECT_EQ(org_.engine->EvaluateTenant("t1").escalated, static_cast<int>(open));
}

TEST_F(AlertsTest, AlertsAboutSomeoneWhoLeftAreResolved) {
  Evaluate();
  org_.directory.SetActive("never-b2", false);
  const alerts::EvaluationSummary s = Evaluate();
  EXPECT_EQ(s.resolved, 2);  // hours and focus
  EXPECT_TRUE(org_.Find(kHours, "never-b2")->auto_resolved());
  EXPECT_THAT(org_.Find(kFocus, "never-b2")->resolution_note(), HasSubstr("no longer applies"));
}

TEST_F(AlertsTest, DisabledRulesAndTheirAlertsGoAway) {
  Evaluate();
  alerts::AlertOptions options;
  options.middle.enabled = false;
  org_.options = options;
  org_.Restart();
  Evaluate();
  EXPECT_EQ(org_.Find(kMiddle, "mgr-stars")->state(), coachstream::v1::ALERT_STATE_RESOLVED);
}

TEST_F(AlertsTest, ExecutiveRollup) {
  Evaluate();
  coachstream::v1::GetAlertRollupRequest r;
  r.set_tenant_id("t1");
  r.set_person_id("cro");
  absl::StatusOr<coachstream::v1::GetAlertRollupResponse> rollup = org_.engine->Rollup(r);
  ASSERT_TRUE(rollup.ok()) << rollup.status();
  EXPECT_EQ(rollup->month(), "2024-06");
  std::vector<std::string> order;
  std::map<std::string, coachstream::v1::AlertRollupRow> rows;
  for (const auto& row : rollup->rows()) {
    order.push_back(row.person_id());
    rows[row.person_id()] = row;
  }
  EXPECT_THAT(order, ElementsAre("cro", "dir-1", "dir-2", "mgr-good", "mgr-never", "mgr-other", "mgr-stars"));
  EXPECT_EQ(rows["cro"].reps(), 17);
  EXPECT_EQ(rows["cro"].open_alerts(), static_cast<int>(org_.All(false).size()));
  EXPECT_EQ(rows["dir-1"].reps(), 15);
  EXPECT_EQ(rows["mgr-good"].coverage(), 1.0);
  EXPECT_NEAR(rows["mgr-good"].coaching_hours_per_rep(), 60.0 * 19.5 / 7 / 60, 1e-9);
  EXPECT_EQ(rows["mgr-never"].coverage(), 0.0);
  EXPECT_EQ(rows["mgr-never"].open_alerts(), 13);  // 12 held + coverage (to the director)
  EXPECT_EQ(rows["mgr-stars"].coverage(), 0.2);
  EXPECT_EQ(rows["mgr-stars"].escalated_alerts(), 0);
  EXPECT_NEAR(rows["dir-1"].coverage(), 6.0 / 15, 1e-9);
}

TEST_F(AlertsTest, EventDrivenEvaluationTouchesOneTeam) {
  const alerts::EvaluationSummary s = org_.engine->EvaluatePeople("t1", {"good-b1"});
  EXPECT_EQ(s.teams, 1);
  EXPECT_EQ(s.opened, 1);  // good-c is off track
  EXPECT_EQ(org_.engine->EvaluatePeople("t1", {"mgr-stars"}).opened, 8);
}

}  // namespace
}  // namespace cs::coaching::testing
