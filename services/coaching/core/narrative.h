#pragma once

// The words of a recommendation: a rationale a manager can read aloud (the
// evidence, the gain, the arithmetic), the plan template and the monthly
// 1:1 agenda filled with the rep's own numbers. Pure text from numbers.

#include <string>
#include <string_view>
#include <vector>

#include "coachstream/v1/coaching_service.pb.h"
#include "services/coaching/core/funnel.h"
#include "services/coaching/core/options.h"
#include "services/coaching/core/recommender.h"
#include "services/coaching/core/window.h"

namespace cs::coaching {

struct NarrativeContext {
  const CoachingCoreOptions* options = nullptr;
  const CompetencyLibrary* library = nullptr;
  const DriverWindow* window = nullptr;
  const FunnelModel* model = nullptr;
  std::string rep_name;      // display name, else the rep id
  std::string window_label;  // "2024-04..2024-06"
};

// "$24,000" for USD; "24,000 EUR" for currencies without a symbol here.
std::string FormatMoney(double minor, const CoachingCoreOptions& options);
// A driver's value in its unit: "9.0%", "85 days", "$25,000", "12 a month".
std::string FormatDriverValue(std::string_view driver, double value, const CoachingCoreOptions& options);

// Opening sentence of the rationale for the diagnosis layer.
std::string LayerIntro(const NarrativeContext& ctx, const Recommendation& r, const Candidate& focus);
// Evidence, gain and arithmetic of one candidate.
std::string CandidateRationale(const NarrativeContext& ctx, const Candidate& c);
// One or two sentences for the team board: the main evidence and the gain.
std::string BriefRationale(const NarrativeContext& ctx, const Candidate& c);
// "Next biggest: Discovery and qualification (about $8,000 a month)."
std::string RunnersUpSentence(const NarrativeContext& ctx, const std::vector<Candidate>& runners_up);

// The target for the plan: target_gap_fraction of the way from the rep's
// value to the benchmark, or to the peers' p75 when the rep is already at
// the median (higher-is-better drivers), and at least min_target_improvement
// better than the rep's value.
double TargetValue(const DriverWindow& window, std::string_view driver, const RecommenderOptions& options);

// Rounds a target to what a person would write down: a tenth of a point
// for ratios, whole units otherwise.
double RoundTarget(std::string_view driver, double value);

coachstream::v1::PlanTemplate MakePlanTemplate(const NarrativeContext& ctx, const Competency& focus);

// The monthly 1:1 agenda after Roberge (DOMAIN.md): led by questions,
// starting from what went well, ending with "what help do you need from me?".
std::vector<std::string> MakeAgenda(const NarrativeContext& ctx, const Candidate& focus,
                                    const coachstream::v1::PlanTemplate& plan);

}  // namespace cs::coaching
