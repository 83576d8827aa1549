#pragma once

// Configuration of the coaching core, one struct per component (after
// LevelDB's options.h: every field has a default and states its unit).
// Defaults that come from published research cite it (see DOMAIN.md); the
// others are product choices and say so.

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "coachstream/v1/person.pb.h"

namespace cs::coaching {

// Focus-skill recommendation (recommender.h, funnel.h, shrinkage.h).
struct RecommenderOptions {
  // Months of data behind a recommendation for month M: M and the months
  // before it (M-2..M by default); months that have not begun are skipped
  // and the current month counts by the fraction elapsed, so early in a
  // month the previous full months carry the estimate. Default 3.
  int window_months = 3;

  // Empirical-Bayes prior strength, in pseudo-observations of the driver's
  // own trial unit: shrunk = (numerator + k * benchmark) / (denominator + k).
  // By default k is the one the metrics service estimates from the peers
  // themselves (Benchmark.prior_strength: within-rep over between-rep
  // variance), so that where reps really differ (one heavy discounter
  // among disciplined peers) a few deals speak. The values below cap it:
  // a peer group whose figures differ no more than sampling noise would
  // otherwise pool a clear outlier (2 wins in 21) with everyone else; and
  // they are the prior where the peers cannot tell (call-behaviour means,
  // derived rates, small peer groups). Use the peers' estimate. Default true.
  bool peer_prior_strength = true;
  // Calls (connect rate, talk ratio, ...). Default 20 calls.
  double prior_strength_calls = 20;
  // Meetings (opportunities per first meeting). Default 10 meetings.
  double prior_strength_meetings = 10;
  // Deals (win rate, stage conversion, deal size, discount, cycle). A prior
  // of k observations around a rate p has a spread of sqrt(p(1-p)/(k+1)):
  // k = 10 at a 30% win rate believes reps' true win rates lie within about
  // +/-14 points of the peers', which leaves a rep with 30 closed deals
  // three quarters of the weight. Default 10 deals.
  double prior_strength_deals = 10;
  // Per-driver override of the peers' estimate and the three above
  // (driver name -> k).
  absl::flat_hash_map<std::string, double> prior_strength_by_driver;

  // Below these minimums the answer is INSUFFICIENT_DATA with what is missing.
  // Calls over the window. Default 20.
  int64_t min_window_calls = 20;
  // Closed (won + lost) deals over the window, for roles whose competencies
  // use deal drivers. Default 3.
  int64_t min_window_closed_deals = 3;
  // Peers (reps of the same role and segment) behind the benchmarks. Default 3.
  int min_peers = 3;

  // Layered diagnosis (DOMAIN.md: results, then effort, then skill): a rep
  // whose will-competency outcome driver (calls made) is below this fraction
  // of the peer median has an effort problem, whatever the conversion rates
  // say. Default 0.7 (70% of peers; product choice).
  double effort_floor = 0.7;
  // Attainment of the pro-rated quota over the window at or above which the
  // results layer passes (the focus is then the largest upside). Default 1.0.
  double results_on_target = 1.0;

  // A behaviour driver (talk ratio, ...) is evidence when the rep's shrunk
  // value is worse than the benchmark by at least this relative margin.
  // Default 0.10 (10%).
  double behaviour_min_gap = 0.10;

  // Bookings model: the horizon over which a month's new deals count as
  // landing; with a median cycle of T days, 1 - 2^(-H/T) of them land. The
  // default is the median B2B SaaS cycle of 80-90 days (DOMAIN.md): 90 days.
  double cycle_horizon_days = 90;
  // Cap on one lever's multiplier, so that a near-zero rate does not promise
  // an unbounded gain. Default 3.0.
  double max_lever_multiplier = 3.0;

  // The plan's target: this fraction of the way from the rep's value to the
  // benchmark (1.0 = the benchmark). Default 0.5 (halfway; a month is short).
  double target_gap_fraction = 0.5;
  // ... and at least this much better than the rep's value, so that a focus
  // chosen for a rep already at the benchmark is not met on day one.
  // Default 0.10 (10%).
  double min_target_improvement = 0.10;
  // An unaccepted recommendation changes only when another competency's gain
  // beats the previous one's current gain by more than this fraction.
  // Default 0.25.
  double hysteresis_margin = 0.25;
  // Runners-up returned with the focus. Default 3.
  int max_runners_up = 3;
  // Micro-coaching sessions per rep per week in the plan's check-in cadence
  // (DOMAIN.md rule of thumb: about three). Default 3.
  int micro_sessions_per_week = 3;
};

// Plan objectives (objectives.h).
struct ObjectiveOptions {
  // A rate or average with fewer samples than this in the deadline period
  // is NO_DATA (a 1-of-1 connect rate is not 100%, and must not release an
  // accepted focus as "met"). Per trial unit: calls 20, meetings 5, deals 3.
  int64_t min_sample_calls = 20;
  int64_t min_sample_meetings = 5;
  int64_t min_sample_deals = 3;
  // Largest number of objectives and activities in a plan. Defaults 10 and 20.
  int max_objectives = 10;
  int max_activities = 20;
  // Longest activity text, in bytes. Default 500.
  int max_activity_bytes = 500;
};

// Coaching-session log (sessions.h).
struct SessionOptions {
  // Longest micro-coaching session (DOMAIN.md: at most 30 minutes on one
  // opportunity). Default 30 minutes.
  int max_micro_minutes = 30;
  // Longest monthly 1:1. Default 240 minutes (product choice).
  int max_one_on_one_minutes = 240;
  // occurred_at may be this far ahead of now (clock skew). Default 5 minutes.
  absl::Duration max_future_skew = absl::Minutes(5);
  // occurred_at may be at most this old. Keep it below the metrics service's
  // dedup_retention_days (400), which drops older sessions. Default 365 days.
  int max_age_days = 365;
};

// Team board (board.h).
struct BoardOptions {
  // Coaching time per rep per month (Sales Benchmark Index: 3+ hours a
  // month lifts attainment by over 22%). The manager's budget is this times
  // the number of reps on the board. Default 3.0 hours.
  double coaching_hours_per_rep = 3.0;
  // Relative share of the budget per tier ("move the middle": CEB research;
  // DOMAIN.md). Defaults A 0.5, B 1.5, C 0.5; reps without a tier 1.0.
  double weight_a = 0.5;
  double weight_b = 1.5;
  double weight_c = 0.5;
  double weight_untiered = 1.0;
  // Tier A: attainment of the pro-rated quota at least this. Default 1.0.
  double a_min_attainment = 1.0;
  // ... or in this top fraction of the team by attainment. Default 0.2.
  double a_top_fraction = 0.2;
  // Tier C: attainment below this. Default 0.5.
  double c_max_attainment = 0.5;
  // ... or in this bottom fraction of the team. Default 0.2.
  double c_bottom_fraction = 0.2;
  // Trend = this month's pro-rated attainment minus the previous months'.
  // A C rep trending up by at least this moves to B; an A rep trending down
  // by as much moves to B. Default 0.25 (25 points).
  double trend_threshold = 0.25;
  // Roles shown on the board (managers in a subtree are not coached here).
  // Default SDR, account executive, account manager.
  std::vector<coachstream::v1::Role> roles = {coachstream::v1::ROLE_SDR,
                                              coachstream::v1::ROLE_ACCOUNT_EXECUTIVE,
                                              coachstream::v1::ROLE_ACCOUNT_MANAGER};

  // Micro-coaching candidates (DOMAIN.md: <= 30 minutes on one opportunity).
  // Candidates per rep. Default 3.
  int max_micro_candidates = 3;
  // A deal without activity for this many days is stalled. Keep equal to the
  // metrics service's stalled_after_days. Default 14 days.
  int stalled_after_days = 14;
  // A deal at least this multiple of the rep's average deal size is large.
  // Default 1.5.
  double large_deal_multiple = 1.5;
  // Score weights (product choice): stalled per multiple of
  // stalled_after_days, per close-date slip, large per multiple of the
  // average, late stage (proposal, negotiation), close date already past.
  double stalled_weight = 1.0;
  double slip_weight = 0.75;
  double large_weight = 1.0;
  double late_stage_weight = 1.0;
  double overdue_weight = 1.0;
  // Each factor counts up to this many units (so one huge deal does not
  // hide every stalled one). Default 3.
  double max_factor_units = 3.0;
};

// Did coaching work? (impact.h).
struct ImpactOptions {
  // "After" is the coached month plus this many months (0 = the coached
  // month itself, 1 = the month after). Default 0.
  int after_offset_months = 0;
  // Comparable peers come from the subtree of the coached rep's manager,
  // this many levels up (0 = the manager's own team). Default 1.
  int pool_levels_up = 1;
  // Longest from_month..to_month range. Default 24 months.
  int max_months = 24;
};

struct CoachingCoreOptions {
  // IANA zone in which months are read (session months, elapsed fractions)
  // when the tenant has no entry below. Default "UTC". Keep equal to the
  // metrics service's default_time_zone.
  std::string default_time_zone = "UTC";
  absl::flat_hash_map<std::string, std::string> tenant_time_zones;
  // Rationale text: currency of amounts and minor units per major unit.
  // Defaults "USD" and 100.
  std::string currency_code = "USD";
  int minor_units_per_major = 100;

  RecommenderOptions recommender;
  ObjectiveOptions objectives;
  SessionOptions sessions;
  BoardOptions board;
  ImpactOptions impact;
};

// OK, or INVALID_ARGUMENT naming the field ("recommender.effort_floor: ...").
absl::Status ValidateOptions(const CoachingCoreOptions& options);

}  // namespace cs::coaching
