#include "tools/simulate/truth.h"

#include <algorithm>
#include <cmath>

#include "tools/simulate/profiles.h"

namespace cs::simulate {
namespace {

using Json = nlohmann::ordered_json;

double Round(double v, int digits) {
  const double f = std::pow(10.0, digits);
  return std::round(v * f) / f;
}

double Ratio(double num, double den) { return den > 0 ? Round(num / den, 4) : 0.0; }

// What happened for one rep inside [window.start, window.end).
struct RepStats {
  int64_t dials = 0, connects = 0, booked = 0, meetings_held = 0, discovery_held = 0;
  int64_t opportunities = 0, won = 0, lost = 0, won_usd = 0, slips = 0;
  double discount_pct_sum = 0;
  std::vector<double> cycle_days;
  int64_t conversations = 0;
  double talk = 0, questions = 0, monologue = 0;
  int64_t one_on_one_minutes = 0, one_on_ones = 0, micro_sessions = 0;
};

std::map<int, RepStats> Collect(const Org& org, const World& w) {
  std::map<int, RepStats> s;
  auto in = [&](absl::Time t) { return t >= org.window.start && t < org.window.end; };
  for (const Dial& d : w.dials) {
    RepStats& r = s[d.rep];
    ++r.dials;
    r.connects += d.disposition == Disposition::kConnected || d.disposition == Disposition::kMeetingBooked;
    r.booked += d.disposition == Disposition::kMeetingBooked;
  }
  for (const Meeting& m : w.meetings) {
    if (m.cancelled || !in(m.start)) continue;
    if (m.kind == MeetingKind::kCustomer) {
      ++s[m.organizer].meetings_held;
      s[m.organizer].discovery_held += m.deal < 0;  // booked by a dial, before any deal
    }
    if (m.kind != MeetingKind::kOneOnOne || m.declined_by >= 0) continue;
    RepStats& r = s[m.internal[1]];
    r.one_on_one_minutes += absl::ToInt64Minutes(m.end - m.start);
    ++(m.micro_coaching ? r.micro_sessions : r.one_on_ones);
  }
  for (const Deal& d : w.deals) {
    RepStats& r = s[d.owner];
    r.opportunities += in(d.created_at);
    for (const DealStep& st : d.steps) {
      if (!in(st.at)) continue;
      r.slips += st.kind == DealStepKind::kCloseDate;
      if (st.kind != DealStepKind::kClose) continue;
      if (st.stage == Stage::kClosedLost) {
        ++r.lost;
        continue;
      }
      ++r.won;
      r.won_usd += st.amount_usd;
      r.discount_pct_sum += st.discount_bps / 100.0;
      r.cycle_days.push_back(absl::ToDoubleHours(st.at - d.created_at) / 24.0);
    }
  }
  for (const Conversation& c : w.conversations) {
    RepStats& r = s[c.rep];
    ++r.conversations;
    r.talk += c.talk_ratio;
    r.questions += c.question_rate_per_hour;
    r.monologue += c.longest_monologue_s;
  }
  return s;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return Round(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, 1);
}

Json Generated(const RepStats& r, double months) {
  const double conv = static_cast<double>(r.conversations);
  return {{"dials", r.dials},
          {"connects", r.connects},
          {"connect_rate", Ratio(r.connects, r.dials)},
          {"meetings_booked_by_dial", r.booked},
          {"customer_meetings_held", r.meetings_held},
          {"discovery_meetings_held", r.discovery_held},
          {"opportunities_created", r.opportunities},
          {"opportunities_per_discovery_meeting", Ratio(r.opportunities, r.discovery_held)},
          {"deals_won", r.won},
          {"deals_lost", r.lost},
          {"win_rate", Ratio(r.won, r.won + r.lost)},
          {"won_amount_usd", r.won_usd},
          {"avg_won_discount_pct", r.won ? Round(r.discount_pct_sum / r.won, 2) : 0.0},
          {"median_cycle_days", Median(r.cycle_days)},
          {"close_date_slips", r.slips},
          {"conversations", r.conversations},
          {"avg_talk_ratio", conv ? Round(r.talk / conv, 3) : 0.0},
          {"avg_question_rate_per_hour", conv ? Round(r.questions / conv, 1) : 0.0},
          {"avg_longest_monologue_s", conv ? Round(r.monologue / conv, 0) : 0.0},
          {"one_on_ones_held", r.one_on_ones},
          {"micro_coaching_held", r.micro_sessions},
          {"coaching_minutes_per_month", Round(r.one_on_one_minutes / months, 0)}};
}

std::string_view TierHint(const Person& p) {
  if (p.new_hire) return "new";
  if (p.star) return "A";
  if (p.weakness == Weakness::kLowActivity || p.weakness == Weakness::kPoorClosing) return "C";
  return "B";
}

std::string_view CrmName(CrmSystem s) { return s == CrmSystem::kSalesforce ? "salesforce" : "hubspot"; }

Json PersonJson(const Simulation& sim, const Person& p) {
  const Org& org = sim.org();
  Json j = {{"person_id", p.person_id},
            {"name", p.display_name()},
            {"email", p.email},
            {"role", RoleName(p.role)},
            {"segment", p.segment},
            {"manager_id", p.manager >= 0 ? org.people[p.manager].person_id : ""},
            {"time_zone", p.time_zone},
            {"start_date", absl::FormatCivilTime(p.start_date)}};
  if (IsRep(p.role)) {
    j["weakness"] = WeaknessName(p.weakness);
    j["expected_competency"] = CompetencyFor(p.weakness);
    j["data_sufficient"] = DataSufficient(sim, p);
    j["new_hire"] = p.new_hire;
    j["star"] = p.star;
    j["tier_hint"] = TierHint(p);
  }
  if (p.role == Role::kManager) j["coaching_habit"] = HabitName(p.habit);
  if (p.role == Role::kManager || IsRep(p.role)) {
    j["systems"] = {{"crm", CrmName(p.crm)},
                    {"dialer", p.dialer == DialerSystem::kSalesloft ? "salesloft" : "outreach"},
                    {"calendar", p.calendar == CalendarSystem::kGoogle ? "google" : "microsoft"},
                    {"calls", "gong"}};
  }
  j["vendor_ids"] = {{"salesforce", p.ids.salesforce}, {"hubspot", p.ids.hubspot},
                     {"gong", p.ids.gong},             {"salesloft", p.ids.salesloft},
                     {"outreach", p.ids.outreach},     {"microsoft", p.ids.microsoft}};
  return j;
}

Json Totals(const SimTotals& t) {
  return {{"records", t.records},
          {"per_topic", t.per_topic},
          {"per_vendor", t.per_vendor},
          {"per_ce_type", t.per_ce_type},
          {"duplicated_records", t.duplicates},
          {"delayed_records", t.delayed},
          {"late_crm_updates", t.late_updates},
          {"gap_events", t.gap_events},
          {"parser_observations", t.observations},
          {"canonical_events_at_most", t.canonical_events_at_most}};
}

}  // namespace

bool DataSufficient(const Simulation& sim, const Person& rep) {
  if (rep.new_hire || !IsRep(rep.role)) return false;
  const Org& org = sim.org();
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(rep.time_zone, &tz)) tz = absl::UTCTimeZone();
  const absl::CivilMonth last(org.window.end_day - 1);
  const absl::Time from =
      absl::FromCivil(absl::CivilDay(last - (kRecommendationWindowMonths - 1)), tz);
  const absl::Time to = absl::FromCivil(absl::CivilDay(last + 1), tz);
  auto in = [&](absl::Time t) { return t >= from && t < to && t < org.window.end; };
  int64_t calls = 0;
  for (const Dial& d : sim.world().dials) calls += d.rep == rep.index && in(d.dialed_at);
  if (calls < kMinWindowCalls) return false;
  if (rep.role != Role::kAccountExecutive) return true;
  int64_t closed = 0;
  for (const Deal& d : sim.world().deals) {
    if (d.owner != rep.index) continue;
    for (const DealStep& s : d.steps) closed += s.kind == DealStepKind::kClose && in(s.at);
  }
  return closed >= kMinWindowClosedDeals;
}

Json CompetencyMap() {
  Json m = Json::object();
  for (Weakness w : kAllWeaknesses) m[std::string(WeaknessName(w))] = CompetencyFor(w);
  return m;
}

Json GroundTruth(const Simulation& sim) {
  const Org& org = sim.org();
  const double months = absl::ToDoubleHours(org.window.end - org.window.start) / 24.0 / 30.44;
  const std::map<int, RepStats> stats = Collect(org, sim.world());
  Json people = Json::array();
  for (const Person& p : org.people) {
    Json j = PersonJson(sim, p);
    if (IsRep(p.role)) {
      auto it = stats.find(p.index);
      j["generated"] = Generated(it == stats.end() ? RepStats() : it->second, months);
    }
    people.push_back(std::move(j));
  }
  return {{"seed", org.options.seed},
          {"tenant", org.options.tenant},
          {"email_domain", org.options.email_domain},
          {"window", {{"first_day", absl::FormatCivilTime(org.window.first_day)},
                      {"end_day_exclusive", absl::FormatCivilTime(org.window.end_day)},
                      {"crm_history_start", absl::FormatTime("%Y-%m-%d", org.window.crm_start, absl::UTCTimeZone())}}},
          {"competency_map", CompetencyMap()},
          {"people", std::move(people)},
          {"totals", Totals(sim.totals())}};
}

}  // namespace cs::simulate
