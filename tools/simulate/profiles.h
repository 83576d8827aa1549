#pragma once

// Funnel and conversation parameters of one rep: segment baselines (from
// DOMAIN.md's reference ranges), a little per-rep noise, then the injected
// weakness pushing exactly one driver far from the peer benchmark.

#include <array>
#include <cstdint>

#include "tools/simulate/org_model.h"

namespace cs::simulate {

struct RepProfile {
  // Prospecting (per working day / per dial).
  double dials_per_day = 0;
  double connect_rate = 0;   // dials that reach a person
  double book_rate = 0;      // connects that book a meeting
  double no_show_rate = 0;   // booked meetings cancelled before they happen
  // Deals (account executives only).
  double opp_rate = 0;       // held discovery meetings that become opportunities
  double win_rate = 0;       // opportunities won
  // Where lost deals die: qualification, discovery, proposal, negotiation.
  std::array<double, 4> loss_stage_weights{};
  double cycle_median_days = 0;    // created -> won
  double cycle_sigma = 0;          // log-normal spread
  double followup_gap_days = 0;    // mean gap between deal touches
  double forecast_cycle_days = 0;  // what the rep expects: first close date = created + this
  double deal_median_usd = 0;
  double discount_pct_mean = 0;    // on won deals
  double discount_pct_sd = 0;
  // Conversations (Gong interaction stats; means per rep).
  double talk_ratio = 0;           // 0..1
  double longest_monologue_s = 0;
  double question_rate_per_hour = 0;
  double interactivity = 0;        // 0..10
  double patience_s = 0;
};

// Deterministic in (seed, person index).
RepProfile ProfileFor(const Person& rep, uint64_t seed);

}  // namespace cs::simulate
