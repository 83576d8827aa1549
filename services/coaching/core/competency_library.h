#pragma once

// The competency library: data, not code. A versioned JSON document (the
// default, competencies.default.json, is compiled in; a customer replaces it
// with their own file) lists the skills and will-based behaviours a rep can
// be coached on, the drivers that measure each, the funnel lever it moves,
// the roles it applies to and suggested activities.
//
// Schema (schema_version 1; unknown keys are errors, so typos surface):
//
//   { "schema_version": 1, "library_version": "2024.1",
//     "competencies": [ {
//       "id": "connecting",                 // [a-z0-9_]+, unique
//       "name": "Connecting", "description": "...",
//       "kind": "skill" | "will",
//       "roles": ["sdr", "account_executive", "account_manager"],
//       "lever": "activity" | "connect" | "meeting" | "opportunity" | "win" | "deal_size" | "cycle",
//       "drivers": [ {"driver": "connect_rate", "better": "higher" | "lower",
//                     "role": "outcome" | "behaviour",
//                     "roles": ["sdr"]} ],         // optional, see below
//       "target_driver": "connect_rate",    // one of its drivers
//       "activities": ["...", ...] } ] }
//
// An "outcome" driver is part of the bookings model (driver_catalog.h: it has
// a lever); moving it to the peer benchmark is the competency's gain. A
// "behaviour" driver is a leading indicator: when a competency has no
// outcome drivers, a behaviour gap lets it claim its lever's gap (funnel.h).
// A driver with "roles" measures the competency only for those roles (a
// subset of the competency's): the same skill shows in different numbers
// along different funnels (discovery: an SDR's meetings booked per connected
// call, an account executive's opportunities per first meeting).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "coachstream/v1/person.pb.h"
#include "services/coaching/core/driver_catalog.h"

namespace cs::coaching {

enum class CompetencyKind { kSkill, kWill };
enum class DriverRole { kOutcome, kBehaviour };

struct CompetencyDriver {
  std::string driver;
  Direction better = Direction::kHigherIsBetter;
  DriverRole role = DriverRole::kOutcome;
  std::vector<coachstream::v1::Role> roles = {};  // empty: every role of the competency

  // ROLE_UNSPECIFIED matches every driver.
  bool AppliesTo(coachstream::v1::Role role) const;
};

struct Competency {
  std::string id;
  std::string name;
  std::string description;
  CompetencyKind kind = CompetencyKind::kSkill;
  std::vector<coachstream::v1::Role> roles;
  Lever lever = Lever::kNone;
  std::vector<CompetencyDriver> drivers;
  std::string target_driver;
  std::vector<std::string> activities;

  // ROLE_UNSPECIFIED (a rep the directory has no role for) matches every
  // competency.
  bool AppliesTo(coachstream::v1::Role role) const;
  // Outcome drivers that apply to `role` (every one for ROLE_UNSPECIFIED).
  bool HasOutcomeDrivers(coachstream::v1::Role role = coachstream::v1::ROLE_UNSPECIFIED) const;
  const CompetencyDriver* FindDriver(std::string_view name) const;
  // target_driver, or when it does not apply to `role` the first outcome
  // driver that does.
  const std::string& TargetDriverFor(coachstream::v1::Role role) const;
};

class CompetencyLibrary {
 public:
  // Parses and validates a library document. INVALID_ARGUMENT naming the
  // field ("competencies[2].drivers[0].driver: unknown driver ...").
  static absl::StatusOr<CompetencyLibrary> Parse(std::string_view json);
  // The library compiled from competencies.default.json.
  static absl::StatusOr<CompetencyLibrary> Default();
  // Reads and parses a file (the --competency_library flag); the error
  // names the path.
  static absl::StatusOr<CompetencyLibrary> ReadFile(const std::string& path);

  const std::string& version() const { return version_; }
  const std::vector<Competency>& competencies() const { return competencies_; }
  // nullptr when unknown.
  const Competency* Find(std::string_view id) const;
  // The direction the library gives `driver`, else the catalog's natural one;
  // nullopt for an unknown driver.
  std::optional<Direction> DirectionOf(std::string_view driver) const;

 private:
  std::string version_;
  std::vector<Competency> competencies_;
};

// "sdr", "account_executive", ... (the role names of the library).
std::string_view RoleName(coachstream::v1::Role role);

// The JSON text of competencies.default.json (generated at build time).
std::string_view DefaultCompetencyLibraryJson();

}  // namespace cs::coaching
