// Deal lifecycles: stage plan, close-date slips, discounts, the customer
// meetings that move a deal along, and the deliberate CRM nasties (one GAP
// event, out-of-order close-date updates).

#include <algorithm>
#include <cmath>

#include "tools/simulate/activity_internal.h"
#include "tools/simulate/names.h"

namespace cs::simulate::internal {
namespace {

constexpr int kMaxSlips = 6;

struct DealPlan {
  bool won = false;
  int reached = 0;                 // last open stage entered: 0 qualification .. 3 negotiation
  absl::Time stage_at[4];          // [0] = created
  absl::Time close_at = absl::InfiniteFuture();
};

// Business time near `t` (the workday of t, a random slot), never before `floor`.
absl::Time Near(absl::Time t, absl::Time floor, absl::TimeZone tz, Rng& rng) {
  absl::Time slot = BusinessSlot(WorkdayOf(t, tz), tz, rng);
  return std::max(slot, floor + absl::Minutes(rng.Int(30, 120)));
}

// CRM edits happen at any second, not on the meeting grid.
absl::Time Jitter(absl::Time t, Rng& rng) { return t + absl::Milliseconds(rng.Int(0, 899'999)); }

DealPlan Plan(const RepProfile& p, bool smb, bool won, absl::Time created, absl::TimeZone tz, Rng& rng) {
  DealPlan plan;
  plan.won = won;
  const double days = std::max(smb ? 5.0 : 15.0, rng.LogNormal(p.cycle_median_days, p.cycle_sigma));
  const double f[5] = {0, rng.Uniform(0.08, 0.16), rng.Uniform(0.35, 0.5), rng.Uniform(0.62, 0.8), 1};
  double end_fraction = 1.0;
  if (plan.won) {
    plan.reached = 3;
  } else {
    std::vector<double> w(p.loss_stage_weights.begin(), p.loss_stage_weights.end());
    plan.reached = static_cast<int>(rng.Weighted(w));
    end_fraction = f[plan.reached] + (f[plan.reached + 1] - f[plan.reached]) * rng.Uniform(0.5, 1.0);
  }
  plan.stage_at[0] = created;
  for (int k = 1; k <= plan.reached; ++k) {
    plan.stage_at[k] = Jitter(Near(created + absl::Hours(24 * days * f[k]), plan.stage_at[k - 1], tz, rng), rng);
  }
  plan.close_at = Jitter(Near(created + absl::Hours(24 * days * end_fraction), plan.stage_at[plan.reached], tz, rng), rng);
  return plan;
}

int64_t RoundAmount(double usd, bool smb) {
  const double unit = smb ? 500 : 1000;
  return static_cast<int64_t>(std::max(1.0, std::round(usd / unit)) * unit);
}

DealStep Step(absl::Time at, DealStepKind kind) {
  DealStep s;
  s.at = at;
  s.kind = kind;
  return s;
}


// Close-date slips: while the deal is open past its close date, the rep
// pushes the date out by two to five weeks.
void AddSlips(Deal& d, absl::CivilDay close_date, const DealPlan& plan, absl::Time horizon,
              absl::TimeZone tz, Rng& rng) {
  for (int i = 0; i < kMaxSlips; ++i) {
    absl::Time t = BusinessSlot(WorkdayOf(absl::FromCivil(close_date - static_cast<int>(rng.Int(0, 3)), tz), tz), tz, rng);
    t = Jitter(std::max(t, d.created_at + absl::Hours(20)), rng);
    if (t >= plan.close_at || t >= horizon) return;
    close_date += static_cast<int>(rng.Int(14, 35));
    DealStep s = Step(t, DealStepKind::kCloseDate);
    s.close_date = close_date;
    d.steps.push_back(s);
  }
}

void AddDiscount(Deal& d, const RepProfile& p, const DealPlan& plan, Rng& rng) {
  if (plan.reached < 3 || (!plan.won && !rng.Chance(0.5))) return;
  const bool heavy = p.discount_pct_mean > 15;
  if (!heavy && !rng.Chance(0.5)) return;
  const double pct = Clamp(rng.Normal(p.discount_pct_mean, p.discount_pct_sd), 1, 45);
  const absl::Duration room = plan.close_at - plan.stage_at[3];
  DealStep s = Step(plan.stage_at[3] + room * rng.Uniform(0.2, 0.6), DealStepKind::kDiscount);
  s.discount_bps = static_cast<int>(std::lround(pct * 4)) * 25;  // quarter-percent steps
  d.steps.push_back(s);
}

void BuildSteps(Deal& d, const RepProfile& p, const DealPlan& plan, bool smb, absl::TimeZone tz,
                absl::Time horizon, Rng& rng) {
  DealStep create = Step(d.created_at, DealStepKind::kCreate);
  create.amount_usd = RoundAmount(rng.LogNormal(p.deal_median_usd, 0.35), smb);
  const double expected = p.forecast_cycle_days * rng.Uniform(0.8, 1.2);
  create.close_date = absl::ToCivilDay(d.created_at, tz) + static_cast<int>(std::lround(expected));
  d.steps.push_back(create);
  for (int k = 1; k <= plan.reached; ++k) {
    DealStep s = Step(plan.stage_at[k], DealStepKind::kStage);
    s.stage = static_cast<Stage>(k);
    d.steps.push_back(s);
  }
  if (plan.reached >= 2) {
    if (d.crm == CrmSystem::kSalesforce) {
      d.steps.push_back(Step(plan.stage_at[2] + absl::Minutes(rng.Int(3, 40)), DealStepKind::kLineItem));
    }
    if (rng.Chance(0.35)) {
      // Re-estimated after the proposal, always before any discount.
      const absl::Time next = plan.reached >= 3 ? plan.stage_at[3] : plan.close_at;
      const absl::Time at = plan.stage_at[2] + std::min(absl::Hours(rng.Int(20, 60)),
                                                        (next - plan.stage_at[2]) * 0.6);
      DealStep s = Step(at, DealStepKind::kAmount);
      s.amount_usd = RoundAmount(create.amount_usd * rng.Uniform(0.85, 1.2), smb);
      if (s.at < plan.close_at) d.steps.push_back(s);
    }
  }
  AddDiscount(d, p, plan, rng);
  AddSlips(d, create.close_date, plan, horizon, tz, rng);
  if (plan.close_at != absl::InfiniteFuture()) {
    DealStep s = Step(plan.close_at, DealStepKind::kClose);
    s.stage = plan.won ? Stage::kClosedWon : Stage::kClosedLost;
    s.close_date = absl::ToCivilDay(plan.close_at, tz);
    d.steps.push_back(s);
  }
}

// Sorts the steps and fills each with the deal's state after it.
void Finalize(Deal& d) {
  std::stable_sort(d.steps.begin(), d.steps.end(),
                   [](const DealStep& a, const DealStep& b) { return a.at < b.at; });
  DealStep state = d.steps.front();
  for (DealStep& s : d.steps) {
    switch (s.kind) {
      case DealStepKind::kCreate: break;
      case DealStepKind::kStage: state.stage = s.stage; break;
      case DealStepKind::kCloseDate: state.close_date = s.close_date; break;
      case DealStepKind::kAmount: state.amount_usd = s.amount_usd; break;
      case DealStepKind::kLineItem: case DealStepKind::kGap: break;
      case DealStepKind::kDiscount: {
        const double net = state.amount_usd * (1.0 - s.discount_bps / 10000.0);
        state.amount_usd = static_cast<int64_t>(std::llround(net / 10.0) * 10);
        state.discount_bps = s.discount_bps;
        s.amount_changed = true;
        break;
      }
      case DealStepKind::kClose:
        s.close_date_changed = s.close_date != state.close_date;
        state.stage = s.stage;
        state.close_date = s.close_date;
        break;
    }
    const bool late = s.deliver_late;
    const bool amount_changed = s.amount_changed, date_changed = s.close_date_changed;
    const DealStepKind kind = s.kind;
    const absl::Time at = s.at;
    s = state;
    s.kind = kind;
    s.at = at;
    s.deliver_late = late;
    s.amount_changed = amount_changed;
    s.close_date_changed = date_changed;
  }
}

}  // namespace

namespace {

Meeting DealMeeting(Builder& b, const Deal& d, int deal_index, absl::Time start, int minutes,
                    std::string_view what, Rng& rng) {
  const Person& owner = b.org.people[d.owner];
  const Account& a = b.world.accounts[d.account];
  Meeting m;
  m.system = owner.calendar;
  m.kind = MeetingKind::kCustomer;
  m.organizer = owner.index;
  m.internal = {owner.index};
  m.account = d.account;
  const int n = static_cast<int>(rng.Int(1, static_cast<int64_t>(a.contacts.size())));
  for (int i = 0; i < n; ++i) m.contacts.push_back(i);
  m.deal = deal_index;
  m.title = std::string(what) + ": " + a.name;
  m.start = start;
  m.end = start + absl::Minutes(minutes);
  m.created_at = std::max(d.created_at + absl::Minutes(10), start - absl::Hours(rng.Int(20, 140)));
  if (rng.Chance(0.05)) {
    m.cancelled = true;
    m.changed_at = std::max(m.created_at + absl::Minutes(45), start - absl::Hours(rng.Int(1, 20)));
  }
  return m;
}

void AddDealMeetings(Builder& b, const Deal& d, int deal_index, const DealPlan& plan,
                     const RepProfile& p, absl::TimeZone tz, Rng& rng) {
  const bool smb = b.org.people[d.owner].segment == "smb";
  const int minutes = smb ? 30 : static_cast<int>(rng.Int(3, 4)) * 15;
  static constexpr std::string_view kWhat[] = {"", "Demo", "Proposal review", "Negotiation"};
  std::vector<absl::Time> starts;
  for (int k = 1; k <= plan.reached; ++k) {
    starts.push_back(Near(plan.stage_at[k] - absl::Hours(rng.Int(4, 40)), plan.stage_at[k - 1], tz, rng));
    b.AddMeeting(DealMeeting(b, d, deal_index, starts.back(), minutes, kWhat[k], rng));
  }
  if (plan.won) {
    starts.push_back(Near(plan.close_at - absl::Hours(rng.Int(4, 60)), plan.stage_at[3], tz, rng));
    b.AddMeeting(DealMeeting(b, d, deal_index, starts.back(), minutes, "Contract review", rng));
  }
  // Follow-ups keep an active deal warm; lost deals go quiet before the loss.
  absl::Time stop = std::min(plan.close_at, b.org.window.end);
  if (!plan.won) stop -= absl::Hours(24 * rng.Int(7, 15));
  for (absl::Time t = d.created_at;;) {
    t += absl::Hours(24 * rng.LogNormal(p.followup_gap_days, 0.35));
    if (t >= stop) break;
    absl::Time start = Near(t, d.created_at, tz, rng);
    bool near_stage = false;
    for (absl::Time s : starts) near_stage |= absl::AbsDuration(s - start) < absl::Hours(36);
    if (!near_stage) b.AddMeeting(DealMeeting(b, d, deal_index, start, minutes, "Follow-up", rng));
  }
}

// The deliberate CRM nasties, placed on the first suitable deals.
void AddNasties(Builder& b, Deal& d, const DealPlan& plan) {
  const bool sf = d.crm == CrmSystem::kSalesforce;
  int& ooo = sf ? b.out_of_order_sf_to_place : b.out_of_order_hubspot_to_place;
  const absl::Time t0 = d.created_at + (std::min(plan.close_at, b.org.window.end) - d.created_at) * 0.3;
  if (ooo > 0 && d.created_at > b.org.window.start + absl::Hours(24 * 7) &&
      t0 > d.created_at + absl::Hours(24) && t0 < b.org.window.end - absl::Hours(48)) {
    // Two quick close-date edits; the older one is delivered after the newer.
    const absl::CivilDay base = d.steps.front().close_date;
    DealStep first = Step(t0, DealStepKind::kCloseDate);
    first.close_date = base + 7;
    first.deliver_late = true;
    DealStep second = Step(t0 + absl::Minutes(10), DealStepKind::kCloseDate);
    second.close_date = base + 21;
    d.steps.push_back(first);
    d.steps.push_back(second);
    --ooo;
  }
  if (sf && b.gaps_to_place > 0 && plan.reached >= 1 && plan.stage_at[1] > b.org.window.start &&
      plan.stage_at[1] < b.org.window.end - absl::Hours(48)) {
    d.steps.push_back(Step(plan.stage_at[1] + absl::Seconds(3), DealStepKind::kGap));
    --b.gaps_to_place;
  }
}

}  // namespace

void GenerateDeal(Builder& b, int rep, const RepProfile& profile, int account, absl::Time created,
                  bool won, Rng& rng) {
  if (created >= b.org.window.end) return;
  const Person& owner = b.org.people[rep];
  const absl::TimeZone tz = b.Zone(owner.time_zone);
  const bool smb = owner.segment == "smb";
  Deal d;
  d.crm = owner.crm;
  d.owner = rep;
  d.account = account;
  d.id = d.crm == CrmSystem::kSalesforce ? b.ids.Opportunity() : b.ids.HubspotDeal();
  if (d.crm == CrmSystem::kSalesforce) d.line_item_id = b.ids.LineItem();
  d.name = b.world.accounts[account].name + " - " + std::string(rng.Pick(DealTails()));
  d.created_at = Jitter(created, rng);
  const DealPlan plan = Plan(profile, smb, won, d.created_at, tz, rng);
  BuildSteps(d, profile, plan, smb, tz, b.org.window.end, rng);
  AddNasties(b, d, plan);
  Finalize(d);
  std::erase_if(d.steps, [&](const DealStep& s) { return s.at >= b.org.window.end; });
  const int index = static_cast<int>(b.world.deals.size());
  AddDealMeetings(b, d, index, plan, profile, tz, rng);
  b.world.deals.push_back(std::move(d));
}

}  // namespace cs::simulate::internal
