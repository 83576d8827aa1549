// Coaching as it shows in calendars: 1:1s between a manager and one rep
// (weekly or occasional, plus <= 30-minute micro-coaching on one deal), per
// the manager's habit; and the internal meetings around them (team pipeline
// reviews, directors' and the VP's staff meetings).

#include <algorithm>

#include "absl/strings/str_format.h"
#include "tools/simulate/activity_internal.h"

namespace cs::simulate::internal {
namespace {

struct Cadence {
  int every_weeks = 0;        // recurring 1:1 every N weeks (0: none)
  int one_on_one_minutes = 0;
  double micro_per_week = 0;  // mean micro-coaching sessions per week
  int micro_min = 15, micro_max = 30;
  double cancel_rate = 0.05;
};

Cadence CadenceFor(CoachingHabit habit, const Person& rep) {
  Cadence c;
  switch (habit) {
    case CoachingHabit::kHeavy:  // ~3 h of 1:1s a month plus ~3 deal reviews a week
      c = {1, 45, 3.0, 20, 30, 0.04};
      break;
    case CoachingHabit::kModerate:
      c = {2, 30, 0.8, 15, 20, 0.10};
      break;
    case CoachingHabit::kBarely:
      c = {6, 30, 0.0, 15, 15, 0.25};
      break;
    case CoachingHabit::kStarsOnly:
      if (rep.star) c = {1, 45, 2.0, 20, 30, 0.04};
      break;
    case CoachingHabit::kNotAManager:
      break;
  }
  return c;
}

absl::CivilDay MondayOnOrBefore(absl::CivilDay d) {
  while (absl::GetWeekday(d) != absl::Weekday::monday) --d;
  return d;
}

// Google recurring instances are "<series>_<UTC start>"; Graph occurrences
// have ids of their own.
std::string InstanceId(Builder& b, CalendarSystem system, const std::string& series,
                       absl::Time start) {
  if (system == CalendarSystem::kMicrosoft) return b.ids.CalendarEvent(system);
  return series + "_" + absl::FormatTime("%Y%m%dT%H%M%SZ", start, absl::UTCTimeZone());
}

// An open deal of `rep` at `t`, or -1.
int OpenDealAt(const Builder& b, const std::vector<int>& deals, absl::Time t, Rng& rng) {
  std::vector<int> open;
  for (int i : deals) {
    const Deal& d = b.world.deals[i];
    const bool closed = d.steps.back().kind == DealStepKind::kClose && d.steps.back().at <= t;
    if (d.created_at < t && !closed) open.push_back(i);
  }
  return open.empty() ? -1 : rng.Pick(open);
}

// A 1:1 with exactly the manager (organizer) and the rep.
Meeting OneOnOne(const Person& mgr, const Person& rep, absl::Time start, int minutes) {
  Meeting m;
  m.system = mgr.calendar;
  m.kind = MeetingKind::kOneOnOne;
  m.organizer = mgr.index;
  m.internal = {mgr.index, rep.index};
  m.start = start;
  m.end = start + absl::Minutes(minutes);
  return m;
}

// Per manager-rep pair: the recurring series and its state.
struct Series {
  std::string id;
  absl::Time created;
  int weekday = 0;  // 1 = Tuesday ... 4 = Friday
  int slot = 0;     // minutes after local midnight
  int phase = 0;    // which weeks of every_weeks carry the 1:1
};

// One instance of the recurring 1:1 (some cancelled, a few declined).
void RecurringInstance(Builder& b, const Person& mgr, const Person& rep, const Cadence& c,
                       const Series& s, absl::CivilDay monday, Rng& rng) {
  Meeting m = OneOnOne(mgr, rep, LocalTime(monday + s.weekday, s.slot, b.Zone(mgr.time_zone)),
                       c.one_on_one_minutes);
  m.title = "1:1 " + mgr.first_name + " / " + rep.first_name;
  m.series_id = s.id;
  m.id = InstanceId(b, mgr.calendar, s.id, m.start);
  m.created_at = s.created;
  m.synced_at = std::max(s.created, m.start - absl::Hours(24 * 7));
  const absl::Time change = std::max(m.synced_at + absl::Minutes(5), m.start - absl::Hours(rng.Int(1, 30)));
  if (rng.Chance(c.cancel_rate)) {
    m.cancelled = true;
    m.changed_at = change;
  } else if (rng.Chance(0.03)) {
    m.declined_by = rep.index;
    m.changed_at = change;
  }
  b.AddMeeting(std::move(m));
}

// A <= 30-minute micro-coaching session on one of the rep's open deals.
void MicroSession(Builder& b, const Person& mgr, const Person& rep, const Cadence& c,
                  const std::vector<int>& deals, absl::CivilDay monday, absl::Time not_before, Rng& rng) {
  const absl::Time start = BusinessSlot(monday + static_cast<int>(rng.Int(0, 4)), b.Zone(mgr.time_zone), rng);
  if (start < not_before) return;
  Meeting m = OneOnOne(mgr, rep, start, static_cast<int>(5 * rng.Int(c.micro_min / 5, c.micro_max / 5)));
  m.micro_coaching = true;
  m.deal = OpenDealAt(b, deals, m.start, rng);
  m.title = m.deal >= 0 ? "Deal review: " + b.world.deals[m.deal].name : "Call review: " + rep.first_name;
  m.created_at = m.start - absl::Hours(rng.Int(2, 48));
  b.AddMeeting(std::move(m));
}

void OneOnOnes(Builder& b, const Person& mgr, const Person& rep, const std::vector<int>& deals) {
  const Cadence c = CadenceFor(mgr.habit, rep);
  Rng rng = Rng::Derive(b.org.options.seed, "coaching", static_cast<uint64_t>(rep.index));
  const absl::TimeZone tz = b.Zone(mgr.time_zone);
  const absl::CivilDay first = std::max(b.org.window.first_day, rep.start_date);
  const absl::Time first_time = absl::FromCivil(first, tz);
  Series s;
  s.created = first_time - absl::Hours(24 * rng.Int(1, 10));
  s.id = b.ids.CalendarEvent(mgr.calendar);
  s.weekday = static_cast<int>(rng.Int(1, 4));
  s.slot = 9 * 60 + 30 * static_cast<int>(rng.Int(0, 14));
  s.phase = static_cast<int>(rng.Int(0, std::max(0, c.every_weeks - 1)));
  int week = 0;
  for (absl::CivilDay monday = MondayOnOrBefore(first); monday < b.org.window.end_day + 7;
       monday += 7, ++week) {
    const bool due = c.every_weeks > 0 && week % c.every_weeks == s.phase;
    if (due && LocalTime(monday + s.weekday, s.slot, tz) >= first_time) {
      RecurringInstance(b, mgr, rep, c, s, monday, rng);
    }
    const int micro = std::min(5, rng.Poisson(c.micro_per_week));
    for (int i = 0; i < micro; ++i) MicroSession(b, mgr, rep, c, deals, monday, first_time, rng);
  }
}

// A weekly internal meeting of `organizer` with `invitees` (some declines).
void WeeklyInternal(Builder& b, const Person& organizer, const std::vector<int>& invitees,
                    int weekday, int minutes_of_day, int length, const std::string& title) {
  Rng rng = Rng::Derive(b.org.options.seed, "internal", static_cast<uint64_t>(organizer.index));
  const absl::TimeZone tz = b.Zone(organizer.time_zone);
  const absl::Time created = b.org.window.start - absl::Hours(24 * 30);
  const std::string series = b.ids.CalendarEvent(organizer.calendar);
  for (absl::CivilDay monday = MondayOnOrBefore(b.org.window.first_day);
       monday < b.org.window.end_day + 7; monday += 7) {
    Meeting m;
    m.system = organizer.calendar;
    m.kind = MeetingKind::kInternal;
    m.organizer = organizer.index;
    m.internal = {organizer.index};
    m.start = LocalTime(monday + weekday, minutes_of_day, tz);
    if (m.start < b.org.window.start) continue;
    for (int i : invitees) {
      if (absl::FromCivil(b.org.people[i].start_date, tz) <= m.start) m.internal.push_back(i);
    }
    if (m.internal.size() < 3) continue;  // two people would make it a 1:1
    m.end = m.start + absl::Minutes(length);
    m.title = title;
    m.series_id = series;
    m.id = InstanceId(b, organizer.calendar, series, m.start);
    m.created_at = created;
    m.synced_at = std::max({created, m.start - absl::Hours(24 * 7), b.org.window.start});
    if (rng.Chance(0.2)) {
      m.declined_by = m.internal[1 + rng.Int(0, static_cast<int64_t>(m.internal.size()) - 2)];
      m.changed_at = m.synced_at + absl::Hours(rng.Int(1, 100));
      if (m.changed_at >= m.start) m.changed_at = m.synced_at + absl::Minutes(30);
    }
    b.AddMeeting(std::move(m));
  }
}

}  // namespace

void GenerateCoaching(Builder& b) {
  std::map<int, std::vector<int>> deals_by_owner;
  for (size_t i = 0; i < b.world.deals.size(); ++i) {
    deals_by_owner[b.world.deals[i].owner].push_back(static_cast<int>(i));
  }
  for (int m : b.org.Managers()) {
    const Person& mgr = b.org.people[m];
    const std::vector<int> team = b.org.ReportsOf(m);
    for (int r : team) OneOnOnes(b, mgr, b.org.people[r], deals_by_owner[r]);
    WeeklyInternal(b, mgr, team, 0, 10 * 60, 45, mgr.first_name + "'s team: pipeline review");
  }
  for (const Person& p : b.org.people) {
    if (p.role != Role::kDirector && p.role != Role::kVp) continue;
    const bool vp = p.role == Role::kVp;
    WeeklyInternal(b, p, b.org.ReportsOf(p.index), vp ? 2 : 1, 11 * 60, 60,
                   vp ? "Sales leadership forecast" : p.first_name + "'s staff meeting");
  }
}

}  // namespace cs::simulate::internal
