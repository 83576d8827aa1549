#pragma once

// Deterministic, hand-computable reps for unit tests: every count is the
// expected value of the funnel (no sampling noise), scaled by the fraction
// of the month elapsed.

#include <string>
#include <utility>
#include <vector>

#include "coachstream/v1/metrics_service.pb.h"
#include "tests/services/coaching/fakes.h"

namespace cs::coaching::testing {

struct RepSpec {
  std::string id;
  std::string name;
  std::string manager = "mgr-1";
  std::string segment = "mid-market";
  coachstream::v1::Role role = coachstream::v1::ROLE_ACCOUNT_EXECUTIVE;
  // Per full month.
  double calls = 500;
  double connect = 0.2;
  double meeting = 0.33;                    // meetings booked per connected call
  double show = 0.9;                        // meetings held per booked
  double opp = 0.6;                         // opportunities per meeting held
  double conv[4] = {0.85, 0.8, 0.75, 0.6};  // qualification, discovery, proposal, negotiation
  double deal_size = 1'500'000;             // minor units
  double discount_bps = 1000;
  double cycle_days = 80;
  double talk = 0.45;
  double questions = 11;
  double monologue = 75;
  double next_step = 0.6;
  double slips = 2;
  double stalled = 2;
  double open_deals = 20;
  double quota = 9'000'000;
  // Bookings are won deals x deal size times this (to set attainment).
  double bookings_factor = 1.0;

  double win_rate() const { return conv[0] * conv[1] * conv[2] * conv[3]; }
};

coachstream::v1::RepDrivers MakeRepDrivers(const RepSpec& spec, double elapsed);

// Sets the rep's drivers for each (month, elapsed fraction).
void AddRep(FakeMetricsSource* metrics, const RepSpec& spec,
            const std::vector<std::pair<std::string, double>>& months);

// The default test window at DefaultNow(): April and May full, June 24.5/30.
std::vector<std::pair<std::string, double>> DefaultMonths();

// `n` identical median peers "peer-1".."peer-n" with the default RepSpec.
void AddPeers(FakeMetricsSource* metrics, int n, const std::string& segment = "mid-market");

}  // namespace cs::coaching::testing
