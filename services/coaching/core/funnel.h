#pragma once

// Funnel sensitivity (DOMAIN.md, "what makes coachstream different" #1).
//
// The bookings model, per month, after Roberge's funnel:
//
//   bookings = calls made x connect rate x meetings per connected call
//            x opportunities per first meeting x win rate x average won deal size
//            x cycle factor
//
// with every rate shrunk toward the peer benchmark (shrinkage.h). The cycle
// factor is the share of a month's new deals that land within the horizon
// H (RecommenderOptions::cycle_horizon_days) relative to a rep at the peer
// median cycle: with median cycle T, half the deals take longer than T, so
// (taking cycle times as exponential, the maximum-entropy choice given only
// a central value) 1 - 2^(-H/T) of them land within H.
//
// A competency's gain: move its outcome drivers that are worse than the
// benchmark to the benchmark, hold everything else fixed, and re-evaluate.
// Because the model is a product, that is the modeled bookings times the
// product of the levers' multipliers. Two drivers of one competency on the
// same lever count once, by the larger multiplier, so a gap is never
// counted twice.
//
// The win rate is the product of the stage conversions, but a rep's
// per-stage samples are small while the win rate pools every closed deal.
// So the win-rate gap G = benchmark / rep (both shrunk) is the size of the
// prize, and each stage that is worse than peers takes a share of it in
// proportion to log(benchmark / rep) of that stage: a competency owning
// stages with shares s1, s2 gains G^(s1 + s2). The stages explain where
// the deals are lost; they can never add up to more than the win-rate gap.
//
// A competency without outcome drivers (listening: talk ratio, questions)
// claims its lever's gap only when its behaviour drivers show the rep worse
// than peers: the behaviour is then the likely cause.

#include <string>
#include <vector>

#include "services/coaching/core/competency_library.h"
#include "services/coaching/core/driver_catalog.h"
#include "services/coaching/core/options.h"
#include "services/coaching/core/window.h"

namespace cs::coaching {

// Share of deals with median cycle `cycle_days` that close within
// `horizon_days`: 1 - 2^(-horizon/cycle). 1 for a non-positive cycle.
double CycleLanding(double cycle_days, double horizon_days);

// Factor by which the driver's lever changes when the driver moves from
// `from` to `to`, clamped to [1/max, max] (RecommenderOptions::max_lever_multiplier).
double LeverMultiplier(const DriverInfo& info, double from, double to, const RecommenderOptions& options);

struct LeverState {
  Lever lever = Lever::kNone;
  std::string driver;
  double value = 0;      // the model's value of the lever (shrunk)
  double benchmark = 0;  // the peers'
  bool known = false;    // the rep or the peers have a value
};

class FunnelModel {
 public:
  static FunnelModel Build(const DriverWindow& window, const RecommenderOptions& options);

  // Every lever in funnel order.
  const std::vector<LeverState>& levers() const { return levers_; }
  // True when every lever is known; bookings() is 0 otherwise (an SDR's
  // funnel stops at meetings): gains are then relative only.
  bool complete() const { return complete_; }
  // Modeled monthly bookings in minor units.
  double bookings() const { return bookings_; }

 private:
  std::vector<LeverState> levers_;
  bool complete_ = false;
  double bookings_ = 0;
};

// One driver moved to its benchmark.
struct DriverMove {
  std::string driver;
  double from = 0;
  double to = 0;
  double multiplier = 1;  // of its lever
  double win_share = 0;   // stage conversions: the share of the win-rate gap
};

struct CompetencyGain {
  double multiplier = 1;  // modeled bookings multiply by this (>= 1)
  std::vector<DriverMove> moves;
  // The lever gap was claimed on behaviour evidence (no outcome drivers).
  bool behaviour_claim = false;
  // Behaviour drivers worse than peers by at least behaviour_min_gap.
  std::vector<std::string> behaviour_gaps;
};

// What a driver moves to: the peer median, or the peers' 75th percentile
// (a stretch goal; only for higher-is-better drivers, since the metrics
// service publishes no 25th percentile).
enum class GainTarget { kMedian, kP75 };

CompetencyGain EstimateGain(const Competency& competency, const DriverWindow& window,
                            const RecommenderOptions& options, GainTarget target = GainTarget::kMedian);

}  // namespace cs::coaching
