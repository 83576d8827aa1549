#include "tools/simulate/org_weakness.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace cs::simulate {
namespace {

// Reps of `pool` in a seeded order, account executives first.
std::vector<int> AesFirst(const Org& org, std::vector<int> pool, Rng& rng) {
  rng.Shuffle(pool);
  std::stable_partition(pool.begin(), pool.end(), [&](int i) {
    return org.people[i].role == Role::kAccountExecutive;
  });
  return pool;
}

void PickStars(Org& org, Rng& rng, int count) {
  int picked = 0;
  for (int m : org.Managers()) {
    if (org.people[m].habit != CoachingHabit::kStarsOnly) continue;
    for (int r : AesFirst(org, org.ReportsOf(m), rng)) {
      if (picked >= std::min(2, count)) break;
      org.people[r].star = true;
      ++picked;
    }
  }
  std::vector<int> pool = org.Reps();
  rng.Shuffle(pool);
  std::vector<int> teams_used;
  // First pass: at most one more star per team; second pass: anyone.
  for (int pass = 0; pass < 2 && picked < count; ++pass) {
    for (int r : pool) {
      Person& p = org.people[r];
      if (picked >= count) break;
      if (p.star) continue;
      bool team_has = std::find(teams_used.begin(), teams_used.end(), p.team) != teams_used.end();
      if (pass == 0 && team_has) continue;
      p.star = true;
      teams_used.push_back(p.team);
      ++picked;
    }
  }
}

void PickNewHires(Org& org, Rng& rng, int count) {
  std::vector<int> pool;
  for (int r : org.Reps()) {
    if (!org.people[r].star) pool.push_back(r);
  }
  const absl::CivilDay month_start(absl::CivilMonth(org.window.end_day));
  std::vector<int> teams_used;
  int picked = 0;
  for (int pass = 0; pass < 2 && picked < count; ++pass) {
    for (int r : AesFirst(org, pool, rng)) {
      Person& p = org.people[r];
      if (picked >= count) break;
      if (p.new_hire) continue;
      bool team_has = std::find(teams_used.begin(), teams_used.end(), p.team) != teams_used.end();
      if (pass == 0 && team_has) continue;
      p.new_hire = true;
      p.start_date = std::max(month_start, org.window.end_day - static_cast<int>(rng.Int(5, 12)));
      teams_used.push_back(p.team);
      ++picked;
    }
  }
}

// Peers (same role and segment) are each other's benchmark, so each peer
// group must hold as many different weaknesses as it can: the count inside
// the group decides first, the org-wide count second.
void SpreadWeaknesses(Org& org, Rng& rng) {
  std::vector<Weakness> tie_order(std::begin(kAllWeaknesses), std::end(kAllWeaknesses));
  rng.Shuffle(tie_order);
  std::map<std::string, std::vector<int>> in_group;  // "role/segment" -> count per weakness
  std::vector<int> global(8, 0);
  std::vector<int> pool;
  for (int r : org.Reps()) {
    if (!org.people[r].star && !org.people[r].new_hire) pool.push_back(r);
  }
  rng.Shuffle(pool);
  // SDRs first: they can take fewer weaknesses, so they go while all are even.
  std::stable_partition(pool.begin(), pool.end(),
                        [&](int i) { return org.people[i].role == Role::kSdr; });
  for (int r : pool) {
    Person& p = org.people[r];
    std::vector<int>& group = in_group[std::string(RoleName(p.role)) + "/" + p.segment];
    group.resize(8, 0);
    Weakness best = Weakness::kNone;
    auto key = [&](Weakness w) {
      return std::make_pair(group[static_cast<int>(w)], global[static_cast<int>(w)]);
    };
    for (Weakness w : tie_order) {
      bool applicable = p.role == Role::kAccountExecutive ||
                        std::find(std::begin(kSdrWeaknesses), std::end(kSdrWeaknesses), w) !=
                            std::end(kSdrWeaknesses);
      if (applicable && (best == Weakness::kNone || key(w) < key(best))) best = w;
    }
    p.weakness = best;
    ++group[static_cast<int>(best)];
    ++global[static_cast<int>(best)];
  }
}

}  // namespace

void AssignWeaknesses(Org& org, Rng& rng) {
  const int reps = static_cast<int>(org.Reps().size());
  PickStars(org, rng, std::max(1, reps / 10));
  PickNewHires(org, rng, reps >= 6 ? std::max(1, reps / 13) : 0);
  SpreadWeaknesses(org, rng);
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kVp: return "vp";
    case Role::kDirector: return "director";
    case Role::kManager: return "frontline_manager";
    case Role::kSdr: return "sdr";
    case Role::kAccountExecutive: return "account_executive";
  }
  return "account_executive";
}

std::string_view WeaknessName(Weakness w) {
  switch (w) {
    case Weakness::kNone: return "none";
    case Weakness::kLowActivity: return "low_activity";
    case Weakness::kPoorConnectRate: return "poor_connect_rate";
    case Weakness::kWeakDiscovery: return "weak_discovery";
    case Weakness::kPoorClosing: return "poor_closing";
    case Weakness::kHeavyDiscounting: return "heavy_discounting";
    case Weakness::kLongCycles: return "long_cycles";
    case Weakness::kTalksTooMuch: return "talks_too_much";
  }
  return "none";
}

std::string_view CompetencyFor(Weakness w) {
  switch (w) {
    case Weakness::kNone: return "";
    case Weakness::kLowActivity: return "prospecting_volume";
    case Weakness::kPoorConnectRate: return "connecting";
    case Weakness::kWeakDiscovery: return "discovery_qualification";
    case Weakness::kPoorClosing: return "closing";
    case Weakness::kHeavyDiscounting: return "negotiation";
    case Weakness::kLongCycles: return "pipeline_velocity";
    case Weakness::kTalksTooMuch: return "listening_questioning";
  }
  return "";
}

std::string_view HabitName(CoachingHabit h) {
  switch (h) {
    case CoachingHabit::kNotAManager: return "";
    case CoachingHabit::kHeavy: return "heavy";
    case CoachingHabit::kBarely: return "barely";
    case CoachingHabit::kStarsOnly: return "stars_only";
    case CoachingHabit::kModerate: return "moderate";
  }
  return "";
}

}  // namespace cs::simulate
