#pragma once

// The focus-skill decision for one rep and month, as a pure function of the
// rep's driver window (window.h) and the competency library.
//
//  1. Small-sample honesty: below the data minimums (calls, closed deals,
//     peers) the answer is "insufficient data" with what is missing.
//  2. Funnel sensitivity: every competency that applies to the rep's role
//     gets its bookings gain (funnel.h); they are ranked by it. When the rep
//     is at or above the peer median on everything, the gains are computed
//     against the peers' 75th percentile instead (a stretch goal).
//  3. Layered diagnosis (DOMAIN.md: results, then effort, then skill): if a
//     will competency's outcome driver (calls made) is below effort_floor of
//     the peer median, that competency is the focus whatever conversion
//     says ("effort"); otherwise the largest gain is, labelled "results"
//     when the rep is on target over the window, else "skill".
//  4. Hysteresis: a previous unaccepted recommendation stays the focus
//     unless the new leader's gain beats its current gain by more than
//     hysteresis_margin (no flip-flop on noise).

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "coachstream/v1/person.pb.h"
#include "services/coaching/core/competency_library.h"
#include "services/coaching/core/funnel.h"
#include "services/coaching/core/options.h"
#include "services/coaching/core/window.h"

namespace cs::coaching {

enum class DiagnosisLayer { kResults, kEffort, kSkill };
std::string_view DiagnosisLayerName(DiagnosisLayer layer);  // "results", "effort", "skill"

struct Candidate {
  const Competency* competency = nullptr;
  CompetencyGain gain;
  double bookings_gain_minor = 0;     // per month; 0 when the model is incomplete
  double attainment_gain_points = 0;  // of the monthly quota; 0 without a quota
  bool stretch = false;               // gains against the peers' p75, not the median
};

struct RecommendInput {
  const CompetencyLibrary* library = nullptr;
  const DriverWindow* window = nullptr;
  coachstream::v1::Role role = coachstream::v1::ROLE_UNSPECIFIED;
  std::string window_label;  // "2024-04..2024-06", for missing-data messages
  // The previous unaccepted recommendation of this rep-month (hysteresis).
  std::optional<std::string> previous;
  // Competencies already mastered this month (their objective was met).
  std::set<std::string> excluded;
};

struct Recommendation {
  bool insufficient = false;
  std::vector<std::string> missing_data;
  DiagnosisLayer layer = DiagnosisLayer::kSkill;
  std::vector<Candidate> ranked;  // the focus first; empty when insufficient
  bool kept_previous = false;     // hysteresis kept the previous focus
  // The will driver that failed the effort check ("calls_made"), if any.
  std::string effort_driver;
};

Recommendation Recommend(const RecommendInput& input, const FunnelModel& model,
                         const RecommenderOptions& options);

// The candidate for one competency (an accepted focus), against the median.
Candidate Evaluate(const Competency& competency, const DriverWindow& window, const FunnelModel& model,
                   const RecommenderOptions& options);

// What is missing for a recommendation; empty when the data suffices.
std::vector<std::string> MissingData(const RecommendInput& input, const RecommenderOptions& options);

}  // namespace cs::coaching
