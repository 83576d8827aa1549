#pragma once

// The drivers the coaching core understands: the names the metrics service
// publishes (services/metrics/core/drivers.cc and its DRIVERS.md are the
// source of truth; the names here must match them exactly), plus two rates
// the coaching core derives from counts, and how each driver takes part in
// the bookings model (funnel.h).
//
// The funnel, after Roberge (DOMAIN.md): activity -> connects -> meetings ->
// opportunities -> wins -> revenue per deal, within the cycle time. Each
// stage is a "lever"; a driver that measures a lever can move it.

#include <optional>
#include <span>
#include <string_view>

namespace cs::coaching {

namespace driver {
// Activity.
inline constexpr std::string_view kCallsMade = "calls_made";
inline constexpr std::string_view kCallsConnected = "calls_connected";
inline constexpr std::string_view kConnectRate = "connect_rate";
inline constexpr std::string_view kCustomerMeetingsHeld = "customer_meetings_held";
inline constexpr std::string_view kFirstMeetingsHeld = "first_meetings_held";
inline constexpr std::string_view kMeetingsBooked = "meetings_booked";
// Pipeline.
inline constexpr std::string_view kOpportunitiesCreated = "opportunities_created";
inline constexpr std::string_view kPipelineCreated = "pipeline_created";
inline constexpr std::string_view kOpenPipeline = "open_pipeline";
inline constexpr std::string_view kOpenDeals = "open_deals";
inline constexpr std::string_view kPipelineCoverage = "pipeline_coverage";
// Conversion.
inline constexpr std::string_view kStageConversionProspecting = "stage_conversion_prospecting";
inline constexpr std::string_view kStageConversionQualification = "stage_conversion_qualification";
inline constexpr std::string_view kStageConversionDiscovery = "stage_conversion_discovery";
inline constexpr std::string_view kStageConversionProposal = "stage_conversion_proposal";
inline constexpr std::string_view kStageConversionNegotiation = "stage_conversion_negotiation";
inline constexpr std::string_view kDealsWon = "deals_won";
inline constexpr std::string_view kDealsLost = "deals_lost";
inline constexpr std::string_view kWinRateCount = "win_rate_count";
inline constexpr std::string_view kWinRateAmount = "win_rate_amount";
inline constexpr std::string_view kAvgWonDealSize = "avg_won_deal_size";
inline constexpr std::string_view kMedianCycleDays = "median_cycle_days";
inline constexpr std::string_view kExpectedCycleDays = "expected_cycle_days";
inline constexpr std::string_view kAvgDiscount = "avg_discount";
inline constexpr std::string_view kCloseDateSlips = "close_date_slips";
inline constexpr std::string_view kStalledDeals = "stalled_deals";
// Call behaviour.
inline constexpr std::string_view kTalkRatio = "talk_ratio";
inline constexpr std::string_view kLongestMonologue = "longest_monologue";
inline constexpr std::string_view kQuestionRate = "question_rate";
inline constexpr std::string_view kNextStepRate = "next_step_rate";
// Coaching received.
inline constexpr std::string_view kCoachingMinutes = "coaching_minutes";
inline constexpr std::string_view kSessionsOneOnOne = "sessions_one_on_one";
inline constexpr std::string_view kSessionsMicro = "sessions_micro";
inline constexpr std::string_view kMicroCoachingPerWeek = "micro_coaching_per_week";
// Outcome.
inline constexpr std::string_view kBookings = "bookings";
inline constexpr std::string_view kQuota = "quota";
inline constexpr std::string_view kAttainment = "attainment";
// Derived here from counts (not published by the metrics service).
inline constexpr std::string_view kMeetingRate = "meeting_rate";  // meetings_booked / calls_connected
inline constexpr std::string_view kOpportunityRate =
    "opportunity_rate";  // opportunities_created / first_meetings_held
}  // namespace driver

// Stages of the bookings model (funnel.h). kNone: not part of it.
enum class Lever { kNone, kActivity, kConnect, kMeeting, kOpportunity, kWin, kDealSize, kCycle };

// How a driver's monthly values combine over a window of months, and
// whether it is shrunk toward the peer benchmark (shrinkage.h).
enum class DriverKind {
  kCount,       // a count or amount per month: window value = sum / months elapsed
  kSnapshot,    // a level at the period end (open pipeline): window value = latest month
  kRate,        // numerator / denominator of trials: sums, shrunk toward the benchmark
  kAmountRate,  // numerator / denominator of amounts (win rate by amount): sums, shrunk
                // with sample_size (deals) as the weight
  kRatio,       // numerator / denominator that is not a rate of trials: sums, never shrunk
  kMedian,      // a median of per-deal samples: sample-weighted mean of months, shrunk
};

// What one unit of a shrinkable driver's sample is: the prior strength of
// the shrinkage is counted in these units (RecommenderOptions).
enum class Trial { kNone, kCall, kMeeting, kDeal };

enum class Direction { kHigherIsBetter, kLowerIsBetter };

// How moving a driver from one value to another changes its lever (funnel.h).
enum class Transform {
  kNone,
  kProportional,      // the lever is proportional to the driver
  kPriceRealisation,  // a discount in basis points: the lever scales with (1 - discount)
  kCycleLanding,      // a cycle time: the lever scales with the share landing in the horizon
  kWinStage,          // a stage conversion: a component of the win rate, which takes its
                      // share of the win-rate gap (funnel.h)
};

struct DriverInfo {
  std::string_view name;
  std::string_view unit;   // the metrics service's unit string ("ratio", "bps", ...)
  std::string_view label;  // plain language for rationales: "connect rate"
  DriverKind kind;
  Trial trial;
  Direction direction;  // the natural direction; the library may not contradict it
  Lever lever;
  Transform transform;
  // Derived drivers only: the count drivers of the quotient.
  std::string_view numerator_driver = {};
  std::string_view denominator_driver = {};

  bool derived() const { return !numerator_driver.empty(); }
};

// Every known driver in a stable order.
std::span<const DriverInfo> AllDrivers();
// nullptr when unknown.
const DriverInfo* FindDriverInfo(std::string_view name);

// "activity", "connect", ...; ParseLever is the inverse (kNone for "none").
std::string_view LeverName(Lever lever);
std::optional<Lever> ParseLever(std::string_view name);

// The driver that measures a lever as a whole ("connect_rate" for kConnect).
std::string_view LeverDriver(Lever lever);

// True if `value` is strictly worse than `benchmark` in `direction`.
bool IsWorse(Direction direction, double value, double benchmark);

}  // namespace cs::coaching
