#pragma once

// AlertEngine: accountability alerts that escalate up the management chain.
//
// Evaluation. EvaluateTenant runs every enabled rule (rules.h) over every
// team of the tenant at the clock's now; EvaluatePeople only the teams of
// the given people (after an RPC or event that touched them). Both then
// apply SLA escalation, which needs no metrics and also runs on its own
// (Escalate). Time-based rules fire without new events because the service
// calls EvaluateAll on a timer; tests move a ManualClock.
//
// Lifecycle. One alert per (rule, subject): a firing finding opens one if
// the slot is free; a clear finding auto-resolves it. States:
//   OPEN -> ACKNOWLEDGED -> RESOLVED (by ResolveAlert, or automatically).
// A manually resolved alert keeps its slot until the condition clears, so
// the next evaluation does not re-open what a person just resolved.
//
// Escalation. The current recipient holds the alert from the moment it
// reached them (opening or the last escalation). OPEN longer than the rule's
// ack_sla, or ACKNOWLEDGED longer than its resolve_sla, it moves to the
// recipient's first active manager, OPEN again (they must acknowledge it),
// level + 1, the step recorded in Alert.escalations with the deadline as its
// time. Missed deadlines are applied one step at a time, each published; at
// the top of the chain it stays where it is.
//
// Ids. alert_id = "<rule_id>.<subject_id>.<YYYYMMDD>" (opening day in the
// tenant's zone), with "-2", "-3", ... if that id was used before.
//
// Persistence and the outbox. Every change is one atomic CoachingStore
// Write of the alert, its slot, and an outbox entry holding the alert as of
// its new version (alert_keys.h). The service publishes the outbox to
// coaching.alerts.v1 and deletes entries only after the broker has
// acknowledged them (MarkPublished); after a crash it re-publishes what is
// left, which consumers drop as (alert_id, version) duplicates. Nothing is
// kept only in memory, so a restart neither loses nor duplicates alerts.
//
// Thread-safe. Metric queries run outside the lock; changes are serialised.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "coachstream/v1/alert.pb.h"
#include "coachstream/v1/coaching_service.pb.h"
#include "libs/base/clock.h"
#include "services/coaching/alerts/directory.h"
#include "services/coaching/alerts/options.h"
#include "services/coaching/alerts/rules.h"
#include "services/coaching/core/ports.h"

namespace cs::coaching::alerts {

// kUpdated: a still-firing alert's message and facts now say what the
// latest evaluation found (state, recipient and deadlines unchanged).
enum class AlertChange { kOpened, kEscalated, kAcknowledged, kResolved, kAutoResolved, kUpdated };
std::string_view AlertChangeName(AlertChange change);

// Told about every stored change, in commit order, while the engine holds
// its lock: keep it short (count, enqueue). Must not call the engine.
class AlertObserver {
 public:
  virtual ~AlertObserver() = default;
  virtual void OnAlertChanged(const coachstream::v1::Alert& alert, AlertChange change) = 0;
};

struct EvaluationSummary {
  int teams = 0;
  int team_errors = 0;  // teams skipped because a port failed (their alerts are left as they are)
  int opened = 0;
  int escalated = 0;
  int resolved = 0;
  int updated = 0;      // still firing, with a new message (the numbers moved)
  absl::Status first_error;  // of the failed teams and writes
};

// One message to publish: coaching.alerts.v1, key "tenant/recipient_id".
struct OutboxEntry {
  std::string store_key;
  std::string message_key;
  coachstream::v1::Alert alert;
};

class AlertEngine {
 public:
  // The ports and clock must outlive the engine. INVALID_ARGUMENT naming
  // the option for bad options.
  static absl::StatusOr<std::unique_ptr<AlertEngine>> Create(AlertOptions options, MetricsSource& metrics,
                                                             CoachingStore& store, const OrgDirectory& directory,
                                                             const Clock& clock);

  // Not owned; add before the engine is used.
  void AddObserver(AlertObserver* observer);

  EvaluationSummary EvaluateAll();
  EvaluationSummary EvaluateTenant(std::string_view tenant);
  EvaluationSummary EvaluatePeople(std::string_view tenant, const std::vector<std::string>& person_ids);
  EvaluationSummary Escalate(std::string_view tenant);

  // ListAlerts: INVALID_ARGUMENT naming the field. Newest change first.
  absl::StatusOr<coachstream::v1::ListAlertsResponse> ListAlerts(
      const coachstream::v1::ListAlertsRequest& request) const;
  // Idempotent on an acknowledged alert; FAILED_PRECONDITION when resolved;
  // NOT_FOUND for an unknown alert_id.
  absl::StatusOr<coachstream::v1::Alert> Acknowledge(const coachstream::v1::AcknowledgeAlertRequest& request);
  // `note` required. Idempotent on a resolved alert.
  absl::StatusOr<coachstream::v1::Alert> Resolve(const coachstream::v1::ResolveAlertRequest& request);
  absl::StatusOr<coachstream::v1::GetAlertRollupResponse> Rollup(
      const coachstream::v1::GetAlertRollupRequest& request) const;

  // WatchAlerts: validates the request (NOT_FOUND for an unknown person) and
  // returns the open and acknowledged alerts in the person's view.
  absl::StatusOr<std::vector<coachstream::v1::Alert>> StartWatch(
      const coachstream::v1::WatchAlertsRequest& request) const;
  // A person's view: alerts whose subject or any recipient so far (the
  // first one included) is the person or below them.
  bool InView(std::string_view tenant, std::string_view person_id, const coachstream::v1::Alert& alert) const;

  // Outbox entries in publishing order, at most `limit`.
  absl::StatusOr<std::vector<OutboxEntry>> PendingOutbox(size_t limit) const;
  // Deletes published entries (their store_key).
  absl::Status MarkPublished(const std::vector<std::string>& store_keys);

  const AlertOptions& options() const { return options_; }

 private:
  struct Team {
    coachstream::v1::Person manager;
    std::vector<coachstream::v1::Person> reps;
  };

  AlertEngine(AlertOptions options, MetricsSource& metrics, CoachingStore& store, const OrgDirectory& directory,
              const Clock& clock);

  absl::TimeZone Zone(std::string_view tenant) const;
  bool IsRep(const coachstream::v1::Person& p) const;
  // Teams of the tenant by manager id.
  std::map<std::string, Team> Teams(std::string_view tenant) const;
  std::string FirstActiveManager(std::string_view tenant, std::string_view person_id) const;
  // Fetches and evaluates `teams`, applies the findings, then escalation.
  // With `sweep`, alerts no evaluated team judged are resolved.
  EvaluationSummary Run(std::string_view tenant, const std::vector<Team>& teams, bool sweep);

  // Under mu_.
  absl::StatusOr<std::optional<coachstream::v1::Alert>> LoadAlert(std::string_view tenant,
                                                                  std::string_view alert_id) const;
  absl::StatusOr<std::string> NewAlertId(std::string_view tenant, const Finding& f, absl::Time now) const;
  absl::Status Commit(coachstream::v1::Alert& alert, std::vector<StoreWrite> extra, AlertChange change,
                      absl::Time now);
  void SetNextEscalation(coachstream::v1::Alert& alert) const;
  absl::Status ApplyFinding(std::string_view tenant, const Finding& f, absl::Time now, EvaluationSummary* s);
  absl::Status AutoResolve(coachstream::v1::Alert& alert, const std::string& note, absl::Time now);
  absl::Status EscalateLocked(std::string_view tenant, absl::Time now, EvaluationSummary* s);
  absl::Status SweepLocked(std::string_view tenant, const std::set<std::pair<std::string, std::string>>& judged,
                           const std::set<std::string>& unknown, absl::Time now, EvaluationSummary* s);
  // Every alert of the tenant.
  absl::StatusOr<std::vector<coachstream::v1::Alert>> AllAlerts(std::string_view tenant) const;
  absl::StatusOr<coachstream::v1::AlertRollupRow> RollupRow(std::string_view tenant,
                                                           const coachstream::v1::Person& person,
                                                           const std::set<std::string>& reps, const Period& month,
                                                           const std::vector<coachstream::v1::Alert>& alerts) const;
  absl::StatusOr<coachstream::v1::Alert> Mutate(std::string_view tenant, std::string_view alert_id,
                                                const std::function<absl::StatusOr<bool>(coachstream::v1::Alert&)>& fn,
                                                AlertChange change);

  const AlertOptions options_;
  MetricsSource& metrics_;
  CoachingStore& store_;
  const OrgDirectory& directory_;
  const Clock& clock_;
  absl::flat_hash_map<std::string, absl::TimeZone> tenant_zones_;
  absl::TimeZone default_zone_;
  std::vector<AlertObserver*> observers_;
  mutable absl::Mutex mu_;
};

}  // namespace cs::coaching::alerts
