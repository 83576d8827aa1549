#pragma once

// The synthetic sales org: people, the management chain, each rep's injected
// weakness, each manager's coaching habit, and which vendor systems each team
// uses (with the vendor user ids the HR feed publishes for everyone).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "tools/simulate/options.h"

namespace cs::simulate {

// HR feed role names (services/ingest/core/parse_hr.cc kRoles).
enum class Role { kVp, kDirector, kManager, kSdr, kAccountExecutive };
std::string_view RoleName(Role role);  // "vp", "director", "frontline_manager", ...
inline bool IsRep(Role r) { return r == Role::kSdr || r == Role::kAccountExecutive; }

// One injected weakness per rep (kNone: a strong "A player").
enum class Weakness {
  kNone,
  kLowActivity,
  kPoorConnectRate,
  kWeakDiscovery,
  kPoorClosing,
  kHeavyDiscounting,
  kLongCycles,
  kTalksTooMuch,
};
inline constexpr Weakness kAllWeaknesses[] = {
    Weakness::kLowActivity,  Weakness::kPoorConnectRate,  Weakness::kWeakDiscovery,
    Weakness::kPoorClosing,  Weakness::kHeavyDiscounting, Weakness::kLongCycles,
    Weakness::kTalksTooMuch,
};
// SDRs own no deals and hold no recorded meetings (they hand the meetings
// they book to account executives): only these weaknesses show in their
// numbers.
inline constexpr Weakness kSdrWeaknesses[] = {
    Weakness::kLowActivity, Weakness::kPoorConnectRate, Weakness::kWeakDiscovery,
};
std::string_view WeaknessName(Weakness w);  // "low_activity", ...; "none"
// The coaching competency id that fixes `w` ("" for kNone).
std::string_view CompetencyFor(Weakness w);

enum class CoachingHabit { kNotAManager, kHeavy, kBarely, kStarsOnly, kModerate };
std::string_view HabitName(CoachingHabit h);  // "heavy", "barely", "stars_only", "moderate"

enum class CrmSystem { kSalesforce, kHubspot };
enum class DialerSystem { kSalesloft, kOutreach };
enum class CalendarSystem { kGoogle, kMicrosoft };

// How each vendor knows a person. Everyone gets an id in every system the
// org uses, so any record naming them resolves through the directory.
struct VendorIds {
  std::string salesforce;  // 18-char 005... user id
  std::string hubspot;     // owner id (8 digits)
  std::string gong;        // 19 digits
  std::string salesloft;   // 5 digits
  std::string outreach;    // small integer
  std::string microsoft;   // Entra object id (GUID)
};

struct Person {
  int index = 0;
  std::string person_id;  // HR employee id, e.g. "E10007"
  std::string first_name;
  std::string last_name;
  std::string email;      // first.last@domain (lower case)
  Role role = Role::kAccountExecutive;
  std::string segment;    // "smb" | "enterprise" | "" (VP, mixed director)
  int manager = -1;       // index into Org::people; -1 at the top
  int team = -1;          // index of the rep's (or manager's) manager slot
  std::string time_zone;  // IANA
  absl::CivilDay start_date;
  VendorIds ids;
  // Reps.
  Weakness weakness = Weakness::kNone;
  bool new_hire = false;  // started in the current month: not enough data
  bool star = false;      // weakness kNone and not a new hire: an "A player"
  // Managers.
  CoachingHabit habit = CoachingHabit::kNotAManager;
  // Systems used by the person's team.
  CrmSystem crm = CrmSystem::kSalesforce;
  DialerSystem dialer = DialerSystem::kOutreach;
  CalendarSystem calendar = CalendarSystem::kGoogle;
  // Monthly quota in whole USD at full productivity (0: none, e.g. SDRs).
  int64_t monthly_quota_usd = 0;

  std::string display_name() const { return first_name + " " + last_name; }
};

// Tenant-level vendor identities (connector sources).
struct VendorTenant {
  std::string salesforce_org_id;   // 00D...
  int64_t hubspot_portal_id = 0;
  std::string gong_workspace_id;
  int64_t salesloft_team_id = 0;
  std::string outreach_org;        // instance name
  std::string microsoft_tenant_id; // GUID
  uint64_t id_salt = 0;            // salt of every generated id
};

struct Org {
  SimOptions options;
  Window window;
  VendorTenant vendor;
  std::vector<Person> people;  // VP first, then directors, managers, reps

  std::vector<int> Reps() const;
  std::vector<int> Managers() const;
  std::vector<int> ReportsOf(int manager) const;
};

// Builds the org for `options` (assumed valid: ValidateOptions).
Org BuildOrg(const SimOptions& options);

}  // namespace cs::simulate
