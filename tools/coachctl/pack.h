#pragma once

// The monthly 1:1 pack: one self-contained HTML page a manager opens before
// the monthly coaching session (DOMAIN.md, after Roberge): the rep's drivers
// against the peer benchmark, the focus driver's trend, the gap to goal, the
// focus skill and why, the plan's objectives and progress, deals for
// micro-coaching, and the agenda questions with the rep's numbers.
//
// RenderPack is a pure function of PackData: inline CSS and SVG only, no
// script, no external asset; all text is HTML-escaped. Every part of the
// data may be empty; the page then says what is missing.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "coachstream/v1/coaching_service.pb.h"
#include "coachstream/v1/metrics_service.pb.h"

namespace cs::coachctl {

struct PackData {
  std::string tenant;
  std::string month;                                  // "2024-06"
  absl::Time generated_at = absl::UnixEpoch();        // shown on the page; "now" for deal ages
  coachstream::v1::RepDrivers rep;                    // the month's drivers (rep_id at least)
  std::vector<coachstream::v1::Benchmark> benchmarks; // the rep's peer group, same month
  std::string focus_driver;                           // the trend's driver ("" = none)
  std::string focus_unit;                             // its unit ("ratio", ...)
  std::vector<coachstream::v1::DriverPoint> history;  // focus driver, oldest first
  coachstream::v1::RecommendFocusSkillResponse recommendation;
  std::optional<coachstream::v1::CoachingPlan> plan;
  std::optional<coachstream::v1::BoardRow> board_row;  // tier, gap, micro-coaching candidates
  std::vector<coachstream::v1::OpenDeal> open_deals;  // candidates when there is no board row
};

std::string RenderPack(const PackData& data);

// Micro-coaching candidates from open deals when the team board is not
// available: close-date slips and days without activity, highest first, at
// most `limit`.
std::vector<coachstream::v1::MicroCoachingCandidate> CandidatesFromDeals(
    const std::vector<coachstream::v1::OpenDeal>& deals, absl::Time now, size_t limit);

// Gap to goal from the month's drivers (quota, bookings, open pipeline, win
// rate) when the board row does not carry one.
coachstream::v1::GapToGoal GapFromDrivers(const coachstream::v1::RepDrivers& rep);

}  // namespace cs::coachctl
