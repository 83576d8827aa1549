#include "services/coaching/core/driver_catalog.h"

namespace cs::coaching {
namespace {

using D = Direction;
using K = DriverKind;
using L = Lever;
using T = Transform;

constexpr D kUp = D::kHigherIsBetter;
constexpr D kDown = D::kLowerIsBetter;

// Units and names follow services/metrics/core/drivers.cc.
const DriverInfo kDrivers[] = {
    {driver::kCallsMade, "count", "call volume", K::kCount, Trial::kNone, kUp, L::kActivity,
     T::kProportional},
    {driver::kCallsConnected, "count", "connected-call volume", K::kCount, Trial::kNone, kUp, L::kNone,
     T::kNone},
    {driver::kConnectRate, "ratio", "connect rate", K::kRate, Trial::kCall, kUp, L::kConnect,
     T::kProportional},
    {driver::kCustomerMeetingsHeld, "count", "customer-meeting volume", K::kCount, Trial::kNone, kUp,
     L::kNone, T::kNone},
    {driver::kFirstMeetingsHeld, "count", "first-meeting volume", K::kCount, Trial::kNone, kUp, L::kNone,
     T::kNone},
    {driver::kMeetingsBooked, "count", "meetings-booked volume", K::kCount, Trial::kNone, kUp, L::kNone,
     T::kNone},
    {driver::kOpportunitiesCreated, "count", "opportunity volume", K::kCount, Trial::kNone, kUp, L::kNone,
     T::kNone},
    {driver::kPipelineCreated, "minor_units", "pipeline created", K::kCount, Trial::kNone, kUp, L::kNone,
     T::kNone},
    {driver::kOpenPipeline, "minor_units", "open pipeline", K::kSnapshot, Trial::kNone, kUp, L::kNone,
     T::kNone},
    {driver::kOpenDeals, "count", "open-deal count", K::kSnapshot, Trial::kNone, kUp, L::kNone, T::kNone},
    {driver::kPipelineCoverage, "ratio", "pipeline coverage", K::kSnapshot, Trial::kNone, kUp, L::kNone,
     T::kNone},
    {driver::kStageConversionProspecting, "ratio", "prospecting-stage conversion", K::kRate, Trial::kDeal,
     kUp, L::kWin, T::kWinStage},
    {driver::kStageConversionQualification, "ratio", "qualification-stage conversion", K::kRate, Trial::kDeal,
     kUp, L::kWin, T::kWinStage},
    {driver::kStageConversionDiscovery, "ratio", "discovery-stage conversion", K::kRate, Trial::kDeal, kUp,
     L::kWin, T::kWinStage},
    {driver::kStageConversionProposal, "ratio", "proposal-stage conversion", K::kRate, Trial::kDeal, kUp,
     L::kWin, T::kWinStage},
    {driver::kStageConversionNegotiation, "ratio", "negotiation-stage conversion", K::kRate, Trial::kDeal,
     kUp, L::kWin, T::kWinStage},
    {driver::kDealsWon, "count", "won-deal count", K::kCount, Trial::kNone, kUp, L::kNone, T::kNone},
    {driver::kDealsLost, "count", "lost-deal count", K::kCount, Trial::kNone, kDown, L::kNone, T::kNone},
    {driver::kWinRateCount, "ratio", "win rate", K::kRate, Trial::kDeal, kUp, L::kWin, T::kProportional},
    {driver::kWinRateAmount, "ratio", "win rate by amount", K::kAmountRate, Trial::kDeal, kUp, L::kNone,
     T::kNone},
    {driver::kAvgWonDealSize, "minor_units", "average won deal size", K::kRate, Trial::kDeal, kUp,
     L::kDealSize, T::kProportional},
    {driver::kMedianCycleDays, "days", "median sales cycle", K::kMedian, Trial::kDeal, kDown, L::kCycle,
     T::kCycleLanding},
    // Not a lever (yet): deals lost late make a poor closer's deals last as
    // long as a slow rep's, so as an outcome of pipeline velocity it traded
    // a long-cycle miss for a poor-closing one (README, focus accuracy).
    {driver::kExpectedCycleDays, "days", "sales cycle with open deals counted", K::kRate, Trial::kDeal, kDown,
     L::kNone, T::kNone},
    {driver::kAvgDiscount, "bps", "average discount", K::kRate, Trial::kDeal, kDown, L::kDealSize,
     T::kPriceRealisation},
    {driver::kCloseDateSlips, "count", "close-date slip count", K::kCount, Trial::kNone, kDown, L::kNone,
     T::kNone},
    {driver::kStalledDeals, "count", "stalled-deal count", K::kSnapshot, Trial::kNone, kDown, L::kNone,
     T::kNone},
    {driver::kTalkRatio, "ratio", "talk ratio", K::kRate, Trial::kCall, kDown, L::kNone, T::kNone},
    {driver::kLongestMonologue, "seconds", "longest monologue", K::kRate, Trial::kCall, kDown, L::kNone,
     T::kNone},
    {driver::kQuestionRate, "per_hour", "question rate", K::kRate, Trial::kCall, kUp, L::kNone, T::kNone},
    {driver::kNextStepRate, "ratio", "next-step rate", K::kRate, Trial::kCall, kUp, L::kNone, T::kNone},
    {driver::kCoachingMinutes, "minutes", "coaching time", K::kCount, Trial::kNone, kUp, L::kNone, T::kNone},
    {driver::kSessionsOneOnOne, "count", "1:1 count", K::kCount, Trial::kNone, kUp, L::kNone, T::kNone},
    {driver::kSessionsMicro, "count", "micro-coaching count", K::kCount, Trial::kNone, kUp, L::kNone,
     T::kNone},
    {driver::kMicroCoachingPerWeek, "per_week", "micro-coaching rate", K::kRatio, Trial::kNone, kUp, L::kNone,
     T::kNone},
    {driver::kBookings, "minor_units", "bookings", K::kCount, Trial::kNone, kUp, L::kNone, T::kNone},
    {driver::kQuota, "minor_units", "quota", K::kCount, Trial::kNone, kUp, L::kNone, T::kNone},
    {driver::kAttainment, "ratio", "attainment", K::kRatio, Trial::kNone, kUp, L::kNone, T::kNone},
    {driver::kMeetingRate, "ratio", "booking rate (meetings per connected call)", K::kRate, Trial::kCall, kUp,
     L::kMeeting, T::kProportional, driver::kMeetingsBooked, driver::kCallsConnected},
    {driver::kOpportunityRate, "ratio", "opportunity rate (opportunities per first meeting)", K::kRate,
     Trial::kMeeting, kUp, L::kOpportunity, T::kProportional, driver::kOpportunitiesCreated,
     driver::kFirstMeetingsHeld},
};

struct LeverEntry {
  Lever lever;
  std::string_view name;
  std::string_view driver;
};

const LeverEntry kLevers[] = {
    {Lever::kNone, "none", ""},
    {Lever::kActivity, "activity", driver::kCallsMade},
    {Lever::kConnect, "connect", driver::kConnectRate},
    {Lever::kMeeting, "meeting", driver::kMeetingRate},
    {Lever::kOpportunity, "opportunity", driver::kOpportunityRate},
    {Lever::kWin, "win", driver::kWinRateCount},
    {Lever::kDealSize, "deal_size", driver::kAvgWonDealSize},
    {Lever::kCycle, "cycle", driver::kMedianCycleDays},
};

}  // namespace

std::span<const DriverInfo> AllDrivers() { return kDrivers; }

const DriverInfo* FindDriverInfo(std::string_view name) {
  for (const DriverInfo& info : kDrivers) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

std::string_view LeverName(Lever lever) {
  for (const LeverEntry& e : kLevers) {
    if (e.lever == lever) return e.name;
  }
  return "none";
}

std::optional<Lever> ParseLever(std::string_view name) {
  for (const LeverEntry& e : kLevers) {
    if (e.name == name) return e.lever;
  }
  return std::nullopt;
}

std::string_view LeverDriver(Lever lever) {
  for (const LeverEntry& e : kLevers) {
    if (e.lever == lever) return e.driver;
  }
  return "";
}

bool IsWorse(Direction direction, double value, double benchmark) {
  return direction == Direction::kHigherIsBetter ? value < benchmark : value > benchmark;
}

}  // namespace cs::coaching
