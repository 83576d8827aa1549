#pragma once

// A synthetic org for the accountability alerts, over in-memory ports and a
// manual clock:
//
//   cro
//   ├── dir-1
//   │   ├── mgr-never   5 reps (1 A, 3 B, 1 C); never coaches, no plans
//   │   ├── mgr-stars   5 reps; coaches only the A player; plans reviewed
//   │   └── mgr-good    5 reps; 1 h a week each, 3 micro a week, plans reviewed
//   └── dir-2
//       └── mgr-other   2 reps (B); never coaches, no plans
//
// Now is Thursday 2024-06-20 12:00 UTC: day 20 of June (coverage and the
// middle are judged from day 15), last complete week 2024-W24.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "libs/base/clock.h"
#include "services/coaching/alerts/alert_engine.h"
#include "tests/services/coaching/fakes.h"

namespace cs::coaching::testing {

class FakeDirectory : public alerts::OrgDirectory {
 public:
  void Add(coachstream::v1::Person p);
  void SetActive(const std::string& id, bool active);

  std::vector<std::string> Tenants() const override;
  std::vector<coachstream::v1::Person> People(std::string_view tenant) const override;
  std::optional<coachstream::v1::Person> Find(std::string_view tenant, std::string_view id) const override;
  std::vector<std::string> Chain(std::string_view tenant, std::string_view id) const override;
  bool InSubtree(std::string_view tenant, std::string_view manager, std::string_view person) const override;

 private:
  mutable std::mutex mu_;
  std::map<std::string, coachstream::v1::Person> people_;  // by id; one tenant "t1"
};

inline absl::Time AlertsNow() {
  return absl::FromCivil(absl::CivilSecond(2024, 6, 20, 12, 0, 0), absl::UTCTimeZone());
}

// How a manager coaches each rep of their team.
struct RepPlan {
  std::string id;
  double attainment = 0.75;  // of the pro-rated quota, every month
  double weekly_minutes = 0;
  double weekly_micro = 0;
  bool plan = false;          // focus accepted and a plan for June
  bool reviewed = false;      // plan objectives reviewed 3 days ago
};

class AlertsOrg {
 public:
  explicit AlertsOrg(alerts::AlertOptions options = {});

  // Re-creates the engine over the same store (a restart).
  void Restart();
  // Sets a rep's coaching for the data weeks and June (month-to-date).
  void SetCoaching(const std::string& rep, double weekly_minutes, double weekly_micro);
  // Alerts (open or acknowledged) held by `recipient`, as "rule:subject".
  std::vector<std::string> Held(const std::string& recipient);
  std::vector<coachstream::v1::Alert> All(bool include_resolved = true);
  std::optional<coachstream::v1::Alert> Find(const std::string& rule, const std::string& subject);
  // Drains the outbox; returns the entries.
  std::vector<alerts::OutboxEntry> Publish();

  alerts::AlertOptions options;
  FakeMetricsSource metrics;
  InMemoryCoachingStore store;
  FakeDirectory directory;
  ManualClock clock{AlertsNow()};
  std::unique_ptr<alerts::AlertEngine> engine;
  std::map<std::string, RepPlan> reps;
  std::map<std::string, std::string> manager_of;

 private:
  void AddPerson(const std::string& id, const std::string& manager, coachstream::v1::Role role);
  void AddTeam(const std::string& manager, const std::vector<RepPlan>& plans);
  void WriteRepData(const RepPlan& r);
};

}  // namespace cs::coaching::testing
