// The shape of the synthetic org: sizes, the management chain, weaknesses,
// coaching habits, and vendor identities.

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "tests/tools/simulate/sim_fixture.h"
#include "tools/simulate/org_model.h"

namespace cs::simulate {
namespace {

std::map<Role, int> CountRoles(const Org& org) {
  std::map<Role, int> n;
  for (const Person& p : org.people) ++n[p.role];
  return n;
}

TEST(OrgTest, DefaultSizes) {
  const Org org = BuildOrg(SimOptions{});
  std::map<Role, int> n = CountRoles(org);
  EXPECT_EQ(n[Role::kVp], 1);
  EXPECT_EQ(n[Role::kDirector], 2);
  EXPECT_EQ(n[Role::kManager], 5);
  EXPECT_EQ(n[Role::kSdr] + n[Role::kAccountExecutive], 40);
  EXPECT_EQ(n[Role::kSdr], 10);
  int smb = 0, enterprise = 0;
  for (int r : org.Reps()) (org.people[r].segment == "smb" ? smb : enterprise)++;
  EXPECT_EQ(smb, 24);
  EXPECT_EQ(enterprise, 16);
}

// Every chain ends at the VP, with the expected role at each level.
void ExpectChain(const Org& org) {
  for (const Person& p : org.people) {
    if (p.role == Role::kVp) {
      EXPECT_EQ(p.manager, -1);
      continue;
    }
    ASSERT_GE(p.manager, 0) << p.person_id;
    const Role boss = org.people[p.manager].role;
    if (IsRep(p.role)) {
      EXPECT_EQ(boss, Role::kManager) << p.person_id;
    }
    if (p.role == Role::kManager) {
      EXPECT_EQ(boss, Role::kDirector) << p.person_id;
    }
    if (p.role == Role::kDirector) {
      EXPECT_EQ(boss, Role::kVp) << p.person_id;
    }
    if (IsRep(p.role)) {
      EXPECT_EQ(p.segment, org.people[p.manager].segment);
    }
  }
}

TEST(OrgTest, ManagementChain) {
  ExpectChain(BuildOrg(SimOptions{}));
  SimOptions big;
  big.reps = 300;
  big.managers = 30;
  big.directors = 5;
  ExpectChain(BuildOrg(big));
  SimOptions tiny;
  tiny.reps = 3;
  tiny.managers = 1;
  tiny.directors = 1;
  ExpectChain(BuildOrg(tiny));
}

TEST(OrgTest, WeaknessesSpreadAndMapToCompetencies) {
  const Org org = BuildOrg(SimOptions{});
  std::map<Weakness, int> n;
  int stars = 0, new_hires = 0;
  for (int r : org.Reps()) {
    const Person& p = org.people[r];
    ++n[p.weakness];
    stars += p.star;
    new_hires += p.new_hire;
    EXPECT_FALSE(p.star && p.new_hire);
    if (p.star || p.new_hire) {
      EXPECT_EQ(p.weakness, Weakness::kNone);
    }
    if (p.role == Role::kSdr) {
      EXPECT_NE(p.weakness, Weakness::kTalksTooMuch);
      EXPECT_NE(p.weakness, Weakness::kPoorClosing);
      EXPECT_NE(p.weakness, Weakness::kHeavyDiscounting);
      EXPECT_NE(p.weakness, Weakness::kLongCycles);
    }
  }
  EXPECT_EQ(stars, 4);
  EXPECT_EQ(new_hires, 3);
  for (Weakness w : kAllWeaknesses) {
    EXPECT_GE(n[w], 3) << WeaknessName(w);
    EXPECT_LE(n[w], 7) << WeaknessName(w);
    EXPECT_FALSE(CompetencyFor(w).empty());
  }
  EXPECT_EQ(CompetencyFor(Weakness::kTalksTooMuch), "listening_questioning");
  EXPECT_EQ(CompetencyFor(Weakness::kHeavyDiscounting), "negotiation");
}

TEST(OrgTest, NewHiresStartInTheCurrentMonth) {
  const Org org = BuildOrg(SimOptions{});
  for (int r : org.Reps()) {
    const Person& p = org.people[r];
    if (!p.new_hire) {
      EXPECT_LT(p.start_date, org.window.first_day);
      continue;
    }
    EXPECT_EQ(absl::CivilMonth(p.start_date), absl::CivilMonth(org.options.end_day));
    EXPECT_LT(p.start_date, org.options.end_day);
  }
}

// Peers (same role and segment) benchmark each other: no weakness may take
// over a peer group.
TEST(OrgTest, WeaknessesSpreadInsidePeerGroups) {
  for (uint64_t seed : {42, 1, 2, 3}) {
    SimOptions o;
    o.seed = seed;
    const Org org = BuildOrg(o);
    std::map<std::string, std::map<Weakness, int>> groups;
    std::map<std::string, int> sizes;
    for (int r : org.Reps()) {
      const Person& p = org.people[r];
      if (p.star || p.new_hire) continue;
      const std::string group = std::string(RoleName(p.role)) + "/" + p.segment;
      ++groups[group][p.weakness];
      ++sizes[group];
    }
    for (const auto& [group, counts] : groups) {
      const int options = group.starts_with("sdr") ? 3 : 7;
      const int most = (sizes[group] + options - 1) / options;
      for (const auto& [w, n] : counts) EXPECT_LE(n, most) << group << " " << WeaknessName(w);
    }
  }
}

TEST(OrgTest, CoachingHabits) {
  const Org org = BuildOrg(SimOptions{});
  std::map<CoachingHabit, int> n;
  for (int m : org.Managers()) {
    const Person& mgr = org.people[m];
    ++n[mgr.habit];
    if (mgr.habit != CoachingHabit::kStarsOnly) continue;
    int stars = 0;
    for (int r : org.ReportsOf(m)) stars += org.people[r].star;
    EXPECT_GE(stars, 1) << "the stars-only manager needs stars to coach";
  }
  EXPECT_EQ(n[CoachingHabit::kHeavy], 1);
  EXPECT_EQ(n[CoachingHabit::kBarely], 1);
  EXPECT_EQ(n[CoachingHabit::kStarsOnly], 1);
  EXPECT_EQ(n[CoachingHabit::kModerate], 2);
}

bool ValidSalesforceId(const std::string& id) {
  if (id.size() != 18) return false;
  static constexpr std::string_view kSuffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  for (int chunk = 0; chunk < 3; ++chunk) {
    int flags = 0;
    for (int j = 0; j < 5; ++j) {
      const char c = id[chunk * 5 + j];
      if (c >= 'A' && c <= 'Z') flags |= 1 << j;
    }
    if (id[15 + chunk] != kSuffix[flags]) return false;
  }
  return true;
}

TEST(OrgTest, IdentitiesAreUniqueAndVendorShaped) {
  const Org org = BuildOrg(SimOptions{});
  std::map<std::string, std::set<std::string>> seen;
  for (const Person& p : org.people) {
    const std::pair<const char*, std::string> ids[] = {
        {"person", p.person_id},       {"email", p.email},         {"salesforce", p.ids.salesforce},
        {"hubspot", p.ids.hubspot},    {"gong", p.ids.gong},       {"salesloft", p.ids.salesloft},
        {"outreach", p.ids.outreach},  {"microsoft", p.ids.microsoft}};
    for (const auto& [system, id] : ids) {
      EXPECT_FALSE(id.empty()) << system;
      EXPECT_TRUE(seen[system].insert(id).second) << system << " " << id;
    }
    EXPECT_TRUE(ValidSalesforceId(p.ids.salesforce)) << p.ids.salesforce;
    EXPECT_EQ(p.ids.salesforce.substr(0, 3), "005");
    EXPECT_EQ(p.ids.gong.size(), 19u);
    EXPECT_TRUE(p.email.ends_with("@acme.example")) << p.email;
  }
}

TEST(OrgTest, OptionsAreValidated) {
  EXPECT_TRUE(ValidateOptions(SimOptions{}).ok());
  SimOptions o;
  o.managers = 1;
  o.directors = 2;
  EXPECT_FALSE(ValidateOptions(o).ok());
  o = SimOptions{};
  o.reps = 2;
  EXPECT_FALSE(ValidateOptions(o).ok());
  o = SimOptions{};
  o.months = 0;
  EXPECT_FALSE(ValidateOptions(o).ok());
  o = SimOptions{};
  o.tenant = "bad tenant";
  EXPECT_FALSE(ValidateOptions(o).ok());
  o = SimOptions{};
  o.email_domain = "UPPER.example";
  EXPECT_FALSE(ValidateOptions(o).ok());
}

TEST(OrgTest, DefaultWindow) {
  const Window w = WindowOf(SimOptions{});
  EXPECT_EQ(w.first_day, absl::CivilDay(2026, 7, 1));
  EXPECT_EQ(w.end_day, absl::CivilDay(2026, 11, 20));
  EXPECT_LT(w.crm_start, w.start);
}

}  // namespace
}  // namespace cs::simulate
