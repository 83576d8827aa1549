#pragma once

// The accountability rules as pure functions over one team's data at a
// moment (options.h documents each rule, its defaults and their sources).
//
// A team is a person with at least one active direct report whose role is
// a rep role; the rep rules judge those reps, the manager rules the person.
// Every enabled rule yields a Finding per subject it can judge: firing (with
// the numbers behind it) or clear (which auto-resolves an open alert). A
// subject the rule cannot judge (no quota, too early in the month) is clear.

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "coachstream/v1/alert.pb.h"
#include "coachstream/v1/coaching_service.pb.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "coachstream/v1/person.pb.h"
#include "libs/base/period.h"
#include "services/coaching/alerts/directory.h"
#include "services/coaching/alerts/options.h"
#include "services/coaching/core/ports.h"
#include "services/coaching/core/records.h"

namespace cs::coaching::alerts {

struct Finding {
  std::string rule_id;
  std::string subject_id;
  bool firing = false;
  std::string recipient_id;  // firing only
  std::string message;       // firing only: one readable sentence
  std::vector<coachstream::v1::AlertFact> facts;
};

// What the rules read about one team at `now`. Drivers of reps absent from
// a period's answer are zero.
struct TeamData {
  std::string tenant;
  coachstream::v1::Person manager;
  std::string manager_manager_id;          // empty at the top of the chain
  std::vector<coachstream::v1::Person> reps;  // active direct reports with a rep role
  absl::Time now;
  absl::CivilDay today;                    // in the tenant's zone

  // Coaching minutes per rep over the trailing coaching_hours.window_days.
  absl::flat_hash_map<std::string, double> window_minutes;
  // The last complete ISO week and each rep's micro-coaching sessions in it.
  Period last_week;
  absl::flat_hash_map<std::string, double> last_week_micro;
  // months[0] is the current month, then earlier ones; drivers per rep.
  std::vector<Period> months;
  std::vector<double> month_elapsed;
  std::vector<absl::flat_hash_map<std::string, coachstream::v1::RepDrivers>> month_drivers;
  // This month's accepted focus and plan per rep (store).
  absl::flat_hash_map<std::string, FocusRecord> focus;
  absl::flat_hash_map<std::string, coachstream::v1::CoachingPlan> plans;
};

// Reads a team's data from the ports. Errors name the failed call.
absl::StatusOr<TeamData> FetchTeam(const AlertOptions& options, MetricsSource& metrics,
                                   const CoachingStore& store, std::string_view tenant,
                                   const coachstream::v1::Person& manager,
                                   std::vector<coachstream::v1::Person> reps,
                                   std::string manager_manager_id, absl::Time now, absl::TimeZone zone);

// Every enabled rule's findings for the team.
std::vector<Finding> EvaluateTeam(const TeamData& team, const AlertOptions& options);

// Individual rules (exposed for tests).
void CoachingHoursFindings(const TeamData& t, const CoachingHoursRule& r, std::vector<Finding>* out);
void MicroCadenceFindings(const TeamData& t, const MicroCadenceRule& r, std::vector<Finding>* out);
void FocusPlanFindings(const TeamData& t, const FocusPlanRule& r, std::vector<Finding>* out);
void StaleObjectiveFindings(const TeamData& t, const StaleObjectiveRule& r, std::vector<Finding>* out);
void OffTrackFindings(const TeamData& t, const OffTrackRule& r, std::vector<Finding>* out);
void CoverageFindings(const TeamData& t, const CoverageRule& r, std::vector<Finding>* out);
void MiddleFindings(const TeamData& t, const MiddleRule& r, const BoardOptions& board,
                    std::vector<Finding>* out);

// A driver's value in a rep's period drivers; 0 when absent.
double DriverOf(const coachstream::v1::RepDrivers& rep, std::string_view driver);

}  // namespace cs::coaching::alerts
