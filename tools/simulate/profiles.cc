#include "tools/simulate/profiles.h"

#include "tools/simulate/rng.h"

namespace cs::simulate {
namespace {

// Segment baselines of an ordinary ("B") rep.
RepProfile Baseline(const Person& rep) {
  RepProfile p;
  const bool smb = rep.segment == "smb";
  if (rep.role == Role::kSdr) {
    p.dials_per_day = 48;
    p.connect_rate = 0.13;
    p.book_rate = smb ? 0.20 : 0.12;
  } else {  // AEs also get their team's SDR bookings
    p.dials_per_day = smb ? 18 : 8;
    p.connect_rate = smb ? 0.15 : 0.12;
    p.book_rate = smb ? 0.24 : 0.26;
  }
  p.no_show_rate = 0.08;
  p.opp_rate = smb ? 0.55 : 0.50;
  p.win_rate = smb ? 0.30 : 0.25;
  p.loss_stage_weights = {0.35, 0.30, 0.20, 0.15};
  p.cycle_median_days = smb ? 32 : 84;
  p.cycle_sigma = 0.30;
  p.followup_gap_days = smb ? 6 : 8;
  p.deal_median_usd = smb ? 14000 : 95000;
  p.discount_pct_mean = 5;
  p.discount_pct_sd = 3;
  p.talk_ratio = 0.55;
  p.longest_monologue_s = 105;
  p.question_rate_per_hour = 13;
  p.interactivity = 5.5;
  p.patience_s = 0.8;
  return p;
}

// +-`spread` relative noise, so peers are not identical.
void Jitter(RepProfile& p, Rng& rng, double spread) {
  auto j = [&](double& v) { v *= rng.Uniform(1.0 - spread, 1.0 + spread); };
  j(p.dials_per_day);
  j(p.connect_rate);
  j(p.book_rate);
  j(p.opp_rate);
  j(p.win_rate);
  j(p.cycle_median_days);
  j(p.deal_median_usd);
  j(p.longest_monologue_s);
  j(p.question_rate_per_hour);
  p.talk_ratio += rng.Uniform(-0.03, 0.03);
}

// A players: a bit better everywhere, and they listen (~43% talk time).
void MakeStar(RepProfile& p) {
  p.dials_per_day *= 1.15;
  p.connect_rate *= 1.2;
  p.book_rate *= 1.15;
  p.opp_rate *= 1.15;
  p.win_rate *= 1.3;
  p.cycle_median_days *= 0.85;
  p.deal_median_usd *= 1.1;
  p.discount_pct_mean = 3;
  p.talk_ratio = 0.43;
  p.longest_monologue_s = 70;
  p.question_rate_per_hour = 18;
  p.interactivity = 7;
  p.patience_s = 1.1;
}

void ApplyWeakness(const Person& rep, Weakness w, RepProfile& p) {
  switch (w) {
    case Weakness::kNone: break;
    case Weakness::kLowActivity: p.dials_per_day *= 0.4; break;
    case Weakness::kPoorConnectRate: p.connect_rate *= 0.4; break;
    case Weakness::kWeakDiscovery:
      // AEs: held discovery meetings turn into opportunities; SDRs (no
      // deals): connected calls turn into meetings booked.
      if (rep.role == Role::kSdr) {
        p.book_rate *= 0.45;
      } else {
        p.opp_rate *= 0.35;
      }
      break;
    case Weakness::kPoorClosing:
      p.win_rate *= 0.25;
      p.loss_stage_weights = {0.05, 0.15, 0.40, 0.40};  // they lose late, at the close
      break;
    case Weakness::kHeavyDiscounting:  // big discounts on smaller deals
      p.discount_pct_mean = 27;
      p.discount_pct_sd = 5;
      p.deal_median_usd *= 0.7;
      break;
    case Weakness::kLongCycles:
      p.cycle_median_days *= 1.9;
      p.followup_gap_days *= 2.8;     // gaps beyond the 14-day stall threshold
      p.forecast_cycle_days *= 0.8;   // and optimistic close dates: many slips
      break;
    case Weakness::kTalksTooMuch:
      // Conversion drops above ~65% talk time (DOMAIN.md): a rep who talks
      // over the prospect on a connected call books fewer meetings from it.
      p.book_rate *= 0.55;
      p.talk_ratio = 0.76;
      p.longest_monologue_s = 250;
      p.question_rate_per_hour = 4.5;
      p.interactivity = 3;
      p.patience_s = 0.4;
      break;
  }
}

}  // namespace

RepProfile ProfileFor(const Person& rep, uint64_t seed) {
  Rng rng = Rng::Derive(seed, "profile", static_cast<uint64_t>(rep.index));
  RepProfile p = Baseline(rep);
  Jitter(p, rng, 0.08);
  if (rep.star) MakeStar(p);
  p.forecast_cycle_days = p.cycle_median_days;
  ApplyWeakness(rep, rep.weakness, p);
  p.connect_rate = Clamp(p.connect_rate, 0.01, 0.9);
  p.win_rate = Clamp(p.win_rate, 0.02, 0.9);
  p.talk_ratio = Clamp(p.talk_ratio, 0.2, 0.95);
  return p;
}

}  // namespace cs::simulate
