#include "tests/services/coaching/synthetic_org.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"

namespace cs::coaching::testing {
namespace {

using coachstream::v1::DriverValue;
using coachstream::v1::RepDrivers;

// A rep's true rates (per full month for volumes). Reference ranges from
// DOMAIN.md: win rate 15-40%, median cycle ~80-90 days, winning reps talk
// ~43% of a call.
struct Truth {
  double calls = 500;
  double connect = 0.20;
  double meeting = 0.33;                    // meetings booked per connected call
  double show = 0.9;                        // meetings held per meeting booked
  double opp = 0.6;                         // opportunities per meeting held
  double conv[4] = {0.85, 0.8, 0.75, 0.6};  // qualification, discovery, proposal, negotiation
  double deal_size = 1'500'000;             // minor units ($15,000)
  double discount_bps = 1000;
  double cycle_days = 80;
  double talk = 0.45;
  double questions = 11;  // per hour
  double monologue = 75;  // seconds
  double next_step = 0.6;
  double slips = 2;    // per month
  double stalled = 2;  // open deals stalled at month end
};

constexpr double kQuotaMinor = 8'000'000;  // $80,000 a month
constexpr const char* kStages[4] = {"stage_conversion_qualification", "stage_conversion_discovery",
                                    "stage_conversion_proposal", "stage_conversion_negotiation"};

class Sim {
 public:
  explicit Sim(uint64_t seed) : rng_(seed) {}

  double Normal(double mean, double sd) { return std::normal_distribution<double>(mean, sd)(rng_); }
  double Uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  double Talent(double sd) { return std::exp(Normal(0, sd)); }
  int64_t Poisson(double mean) { return mean <= 0 ? 0 : std::poisson_distribution<int64_t>(mean)(rng_); }
  int64_t Binomial(int64_t n, double p) {
    return n <= 0 ? 0 : std::binomial_distribution<int64_t>(n, std::clamp(p, 0.0, 1.0))(rng_);
  }

 private:
  std::mt19937_64 rng_;
};

Truth MakeTruth(Weakness w, Sim& sim) {
  Truth t;
  // Talent noise: every rep differs a little from the median everywhere.
  t.calls *= sim.Talent(0.12);
  for (double* rate : {&t.connect, &t.meeting, &t.opp, &t.conv[0], &t.conv[1], &t.conv[2], &t.conv[3]}) {
    *rate = std::min(0.95, *rate * sim.Talent(0.08));
  }
  t.deal_size *= sim.Talent(0.08);
  t.discount_bps *= sim.Talent(0.10);
  t.cycle_days *= sim.Talent(0.08);
  t.talk *= sim.Talent(0.06);
  t.questions *= sim.Talent(0.08);
  t.monologue *= sim.Talent(0.08);
  switch (w) {
    case Weakness::kLowActivity:
      t.calls *= sim.Uniform(0.3, 0.55);
      break;
    case Weakness::kPoorConnect:
      t.connect *= sim.Uniform(0.4, 0.6);
      break;
    case Weakness::kWeakDiscovery:
      t.opp *= sim.Uniform(0.45, 0.6);
      t.conv[0] *= 0.85;
      t.conv[1] *= 0.75;
      break;
    case Weakness::kPoorClosing:
      t.conv[3] *= sim.Uniform(0.4, 0.55);
      break;
    case Weakness::kHeavyDiscount:
      t.discount_bps *= 2.5;
      t.deal_size *= sim.Uniform(0.55, 0.7);
      break;
    case Weakness::kLongCycle:
      t.cycle_days *= sim.Uniform(1.8, 2.3);
      t.slips *= 3;
      t.stalled *= 3;
      break;
    case Weakness::kTalksTooMuch:
      t.talk = std::min(0.9, 0.70 * sim.Talent(0.05));
      t.questions *= 0.5;
      t.monologue *= 2.2;
      t.meeting *= sim.Uniform(0.5, 0.65);
      break;
  }
  return t;
}

DriverValue Value(const std::string& driver, double numerator, double denominator, int64_t sample,
                  const std::string& unit) {
  DriverValue v = Rate(driver, numerator, denominator, sample);
  v.set_unit(unit);
  return v;
}

void AddCallDrivers(const Truth& t, double f, Sim& sim, RepDrivers* rep, int64_t* connected_out) {
  const int64_t calls = sim.Poisson(t.calls * f);
  const int64_t connected = sim.Binomial(calls, t.connect);
  double talk = 0, questions = 0, monologue = 0;
  for (int64_t i = 0; i < connected; ++i) {
    talk += std::clamp(sim.Normal(t.talk, 0.08), 0.05, 0.95);
    questions += std::max(0.0, sim.Normal(t.questions, 3));
    monologue += std::max(5.0, sim.Normal(t.monologue, 25));
  }
  *rep->add_drivers() = Value("calls_made", calls, 1, calls, "count");
  *rep->add_drivers() = Value("calls_connected", connected, 1, connected, "count");
  *rep->add_drivers() = Value("connect_rate", connected, calls, calls, "ratio");
  *rep->add_drivers() = Value("talk_ratio", talk, connected, connected, "ratio");
  *rep->add_drivers() = Value("question_rate", questions, connected, connected, "per_hour");
  *rep->add_drivers() = Value("longest_monologue", monologue, connected, connected, "seconds");
  const int64_t next_steps = sim.Binomial(connected, t.next_step);
  *rep->add_drivers() = Value("next_step_rate", next_steps, connected, connected, "ratio");
  *connected_out = connected;
}

// Deals created this month run through the stages and close (a steady-state
// simplification: this month's closes look like this month's cohort).
void AddDealDrivers(const Truth& t, double f, int64_t connected, bool no_deals, Sim& sim, RepDrivers* rep) {
  const int64_t booked = sim.Binomial(connected, std::min(1.0, t.meeting));
  const int64_t held = sim.Binomial(booked, t.show);
  const int64_t opps = no_deals ? 0 : sim.Binomial(held, t.opp);
  *rep->add_drivers() = Value("meetings_booked", booked, 1, booked, "count");
  *rep->add_drivers() = Value("customer_meetings_held", held, 1, held, "count");
  *rep->add_drivers() = Value("first_meetings_held", held, 1, held, "count");  // all first meetings
  *rep->add_drivers() = Value("opportunities_created", opps, 1, opps, "count");
  int64_t n = opps;
  for (int s = 0; s < 4; ++s) {
    const int64_t advanced = sim.Binomial(n, t.conv[s]);
    *rep->add_drivers() = Value(kStages[s], advanced, n, n, "ratio");
    n = advanced;
  }
  const int64_t won = n, lost = opps - won;
  double won_amount = 0, lost_amount = 0, discount = 0;
  std::vector<double> cycles;
  for (int64_t i = 0; i < opps; ++i) {
    const double amount = std::round(t.deal_size * std::exp(sim.Normal(-0.045, 0.3)));
    if (i < won) {
      won_amount += amount;
      discount += std::clamp(sim.Normal(t.discount_bps, 300), 0.0, 9000.0);
      cycles.push_back(std::round(t.cycle_days * std::exp(sim.Normal(0, 0.35))));
    } else {
      lost_amount += amount;
    }
  }
  *rep->add_drivers() = Value("deals_won", won, 1, won, "count");
  *rep->add_drivers() = Value("deals_lost", lost, 1, lost, "count");
  *rep->add_drivers() = Value("win_rate_count", won, opps, opps, "ratio");
  *rep->add_drivers() = Value("win_rate_amount", won_amount, won_amount + lost_amount, opps, "ratio");
  *rep->add_drivers() = Value("avg_won_deal_size", won_amount, won, won, "minor_units");
  *rep->add_drivers() = Value("avg_discount", discount, won, won, "bps");
  const double median = cycles.empty() ? 0 : Quantile(cycles, 0.5);
  *rep->add_drivers() = Value("median_cycle_days", median, cycles.empty() ? 0 : 1, won, "days");
  *rep->add_drivers() = Value("bookings", won_amount, 1, won, "minor_units");
  *rep->add_drivers() = Value("quota", kQuotaMinor, 1, 1, "minor_units");
  *rep->add_drivers() = Value("attainment", won_amount, kQuotaMinor, won, "ratio");
  const int64_t slips = sim.Poisson(t.slips * f);
  const int64_t open = sim.Poisson(20);
  *rep->add_drivers() = Value("close_date_slips", slips, 1, slips, "count");
  *rep->add_drivers() = Value("stalled_deals", sim.Poisson(t.stalled), 1, open, "count");
  *rep->add_drivers() = Value("open_deals", open, 1, open, "count");
  *rep->add_drivers() = Value("open_pipeline", open * t.deal_size, 1, open, "minor_units");
}

RepDrivers SimulateMonth(const SyntheticRep& r, const Truth& t, double f, const std::string& segment,
                         const std::string& manager, Sim& sim) {
  RepDrivers rep;
  rep.set_rep_id(r.rep_id);
  rep.set_display_name(absl::StrCat("Rep ", r.rep_id));
  rep.set_manager_id(manager);
  rep.set_role(coachstream::v1::ROLE_ACCOUNT_EXECUTIVE);
  rep.set_segment(segment);
  int64_t connected = 0;
  AddCallDrivers(t, f, sim, &rep, &connected);
  AddDealDrivers(t, f, connected, r.shortage == DataShortage::kNoClosedDeals, sim, &rep);
  return rep;
}

}  // namespace

std::string_view ExpectedCompetency(Weakness w) {
  switch (w) {
    case Weakness::kLowActivity:
      return "prospecting_volume";
    case Weakness::kPoorConnect:
      return "connecting";
    case Weakness::kWeakDiscovery:
      return "discovery_qualification";
    case Weakness::kPoorClosing:
      return "closing";
    case Weakness::kHeavyDiscount:
      return "negotiation";
    case Weakness::kLongCycle:
      return "pipeline_velocity";
    case Weakness::kTalksTooMuch:
      return "listening_questioning";
  }
  return "";
}

std::string_view WeaknessName(Weakness w) {
  switch (w) {
    case Weakness::kLowActivity:
      return "low activity";
    case Weakness::kPoorConnect:
      return "poor connect rate";
    case Weakness::kWeakDiscovery:
      return "weak discovery";
    case Weakness::kPoorClosing:
      return "poor closing";
    case Weakness::kHeavyDiscount:
      return "heavy discounting";
    case Weakness::kLongCycle:
      return "long cycles";
    case Weakness::kTalksTooMuch:
      return "talks too much";
  }
  return "";
}

std::vector<SyntheticRep> GenerateOrg(const SyntheticOrgOptions& o, FakeMetricsSource* metrics) {
  Sim sim(o.seed);
  std::vector<SyntheticRep> reps;
  int next = 0;
  auto add = [&](Weakness w, DataShortage shortage) {
    reps.push_back({absl::StrCat("r", ++next), w, shortage});
  };
  for (int i = 0; i < o.reps_per_weakness; ++i) {
    for (Weakness w : kAllWeaknesses) add(w, DataShortage::kNone);
  }
  for (int i = 0; i < o.new_hires; ++i) add(kAllWeaknesses[i % 7], DataShortage::kNewHire);
  for (int i = 0; i < o.without_deals; ++i) add(kAllWeaknesses[(i + 3) % 7], DataShortage::kNoClosedDeals);
  for (int i = 0; i < o.tiny_segment; ++i) add(kAllWeaknesses[(i + 5) % 7], DataShortage::kTinySegment);
  metrics->SetManager(o.manager_id, "");
  for (const SyntheticRep& r : reps) {
    const Truth truth = MakeTruth(r.weakness, sim);
    const std::string segment = r.shortage == DataShortage::kTinySegment ? "strategic" : "mid-market";
    for (size_t m = 0; m < o.months.size(); ++m) {
      const bool last = m + 1 == o.months.size();
      double f = last ? o.last_month_elapsed : 1.0;
      if (r.shortage == DataShortage::kNewHire) {
        if (!last) continue;  // started this month
        f = 3.0 / 400;        // a handful of calls so far
      }
      metrics->SetRep(FormatPeriod(o.months[m]), SimulateMonth(r, truth, f, segment, o.manager_id, sim));
    }
  }
  return reps;
}

}  // namespace cs::coaching::testing
