#include "tests/services/coaching/fixtures.h"

#include "absl/strings/str_cat.h"

namespace cs::coaching::testing {
namespace {

using coachstream::v1::DriverValue;

constexpr const char* kStages[4] = {"stage_conversion_qualification", "stage_conversion_discovery",
                                    "stage_conversion_proposal", "stage_conversion_negotiation"};

void Add(coachstream::v1::RepDrivers* rep, const std::string& driver, double numerator, double denominator,
         double sample, const std::string& unit) {
  DriverValue v = Rate(driver, numerator, denominator, static_cast<int64_t>(sample + 0.5));
  v.set_unit(unit);
  *rep->add_drivers() = std::move(v);
}

}  // namespace

coachstream::v1::RepDrivers MakeRepDrivers(const RepSpec& s, double f) {
  coachstream::v1::RepDrivers rep;
  rep.set_rep_id(s.id);
  rep.set_display_name(s.name.empty() ? s.id : s.name);
  rep.set_manager_id(s.manager);
  rep.set_role(s.role);
  rep.set_segment(s.segment);
  const double calls = s.calls * f, connected = calls * s.connect;
  const double booked = connected * s.meeting, held = booked * s.show, opps = held * s.opp;
  Add(&rep, "calls_made", calls, 1, calls, "count");
  Add(&rep, "calls_connected", connected, 1, connected, "count");
  Add(&rep, "connect_rate", connected, calls, calls, "ratio");
  Add(&rep, "talk_ratio", s.talk * connected, connected, connected, "ratio");
  Add(&rep, "question_rate", s.questions * connected, connected, connected, "per_hour");
  Add(&rep, "longest_monologue", s.monologue * connected, connected, connected, "seconds");
  Add(&rep, "next_step_rate", s.next_step * connected, connected, connected, "ratio");
  Add(&rep, "meetings_booked", booked, 1, booked, "count");
  Add(&rep, "customer_meetings_held", held, 1, held, "count");
  Add(&rep, "first_meetings_held", held, 1, held, "count");
  Add(&rep, "opportunities_created", opps, 1, opps, "count");
  double n = opps;
  for (int i = 0; i < 4; ++i) {
    Add(&rep, kStages[i], n * s.conv[i], n, n, "ratio");
    n *= s.conv[i];
  }
  const double won = n, lost = opps - won, won_amount = won * s.deal_size * s.bookings_factor;
  Add(&rep, "deals_won", won, 1, won, "count");
  Add(&rep, "deals_lost", lost, 1, lost, "count");
  Add(&rep, "win_rate_count", won, opps, opps, "ratio");
  Add(&rep, "win_rate_amount", won_amount, won_amount + lost * s.deal_size, opps, "ratio");
  Add(&rep, "avg_won_deal_size", won_amount, won, won, "minor_units");
  Add(&rep, "avg_discount", s.discount_bps * won, won, won, "bps");
  Add(&rep, "median_cycle_days", s.cycle_days, won > 0 ? 1 : 0, won, "days");
  Add(&rep, "bookings", won_amount, 1, won, "minor_units");
  Add(&rep, "quota", s.quota, 1, 1, "minor_units");
  Add(&rep, "attainment", won_amount, s.quota, won, "ratio");
  Add(&rep, "close_date_slips", s.slips * f, 1, s.slips * f, "count");
  Add(&rep, "stalled_deals", s.stalled, 1, s.open_deals, "count");
  Add(&rep, "open_deals", s.open_deals, 1, s.open_deals, "count");
  Add(&rep, "open_pipeline", s.open_deals * s.deal_size, 1, s.open_deals, "minor_units");
  return rep;
}

void AddRep(FakeMetricsSource* metrics, const RepSpec& spec,
            const std::vector<std::pair<std::string, double>>& months) {
  for (const auto& [month, f] : months) metrics->SetRep(month, MakeRepDrivers(spec, f));
}

std::vector<std::pair<std::string, double>> DefaultMonths() {
  return {{"2024-04", 1.0}, {"2024-05", 1.0}, {"2024-06", 24.5 / 30}};  // DefaultNow()
}

void AddPeers(FakeMetricsSource* metrics, int n, const std::string& segment) {
  for (int i = 1; i <= n; ++i) {
    RepSpec peer;
    peer.id = absl::StrCat(segment == "mid-market" ? "" : segment + "-", "peer-", i);
    peer.segment = segment;
    AddRep(metrics, peer, DefaultMonths());
  }
}

}  // namespace cs::coaching::testing
