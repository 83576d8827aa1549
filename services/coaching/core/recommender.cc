#include "services/coaching/core/recommender.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "services/coaching/core/absl_compat.h"

namespace cs::coaching {
namespace {

constexpr double kNoGain = 1e-9;

bool UsesDealDrivers(const Competency* c, coachstream::v1::Role role) {
  for (const CompetencyDriver& d : c->drivers) {
    const DriverInfo* info = FindDriverInfo(d.driver);
    if (d.role == DriverRole::kOutcome && d.AppliesTo(role) && info != nullptr && info->trial == Trial::kDeal) {
      return true;
    }
  }
  return false;
}

std::vector<const Competency*> Applicable(const RecommendInput& input) {
  std::vector<const Competency*> out;
  for (const Competency& c : input.library->competencies()) {
    if (c.AppliesTo(input.role)) out.push_back(&c);
  }
  return out;
}

Candidate MakeCandidate(const Competency& c, CompetencyGain gain, const DriverWindow& window,
                        const FunnelModel& model) {
  Candidate cand;
  cand.competency = &c;
  cand.gain = std::move(gain);
  if (model.complete()) cand.bookings_gain_minor = model.bookings() * (cand.gain.multiplier - 1);
  if (window.monthly_quota() > 0) {
    cand.attainment_gain_points = 100 * cand.bookings_gain_minor / window.monthly_quota();
  }
  return cand;
}

// Ranks by gain; equal gains put a behaviour-backed claim (the cause)
// before an outcome (the symptom), then library order (stable sort).
void Rank(std::vector<Candidate>* candidates) {
  std::stable_sort(candidates->begin(), candidates->end(), [](const Candidate& a, const Candidate& b) {
    if (std::abs(a.gain.multiplier - b.gain.multiplier) > kNoGain) {
      return a.gain.multiplier > b.gain.multiplier;
    }
    return a.gain.behaviour_claim && !b.gain.behaviour_claim;
  });
}

std::vector<Candidate> RankAll(const RecommendInput& input, const FunnelModel& model,
                               const RecommenderOptions& options, GainTarget target) {
  std::vector<Candidate> out;
  for (const Competency* c : Applicable(input)) {
    if (input.excluded.count(c->id) > 0) continue;
    out.push_back(MakeCandidate(*c, EstimateGain(*c, *input.window, options, target), *input.window, model));
    out.back().stretch = target == GainTarget::kP75;
  }
  Rank(&out);
  return out;
}

// The will competency whose outcome driver is furthest below effort_floor
// of the peers, or nullptr when effort is fine.
const Competency* EffortFailure(const RecommendInput& input, const RecommenderOptions& options,
                                std::string* failed_driver) {
  const Competency* worst = nullptr;
  double worst_ratio = options.effort_floor;
  for (const Competency* c : Applicable(input)) {
    if (c->kind != CompetencyKind::kWill || input.excluded.count(c->id) > 0) continue;
    for (const CompetencyDriver& d : c->drivers) {
      const WindowValue* v = input.window->Find(d.driver);
      if (d.role != DriverRole::kOutcome || !d.AppliesTo(input.role) || v == nullptr || !v->has_benchmark) {
        continue;
      }
      if (v->benchmark <= 0) continue;
      const double ratio = d.better == Direction::kHigherIsBetter ? v->raw / v->benchmark
                                                                  : (v->raw > 0 ? v->benchmark / v->raw : 1);
      if (ratio < worst_ratio) {
        worst_ratio = ratio;
        worst = c;
        *failed_driver = d.driver;
      }
    }
  }
  return worst;
}

void MoveToFront(std::vector<Candidate>* ranked, std::string_view id) {
  auto it = std::find_if(ranked->begin(), ranked->end(),
                         [&](const Candidate& c) { return c.competency->id == id; });
  if (it != ranked->end()) std::rotate(ranked->begin(), it, it + 1);
}

// Keeps the previous focus unless the leader beats its gain by the margin.
bool ApplyHysteresis(const std::string& previous, const RecommenderOptions& options,
                     std::vector<Candidate>* ranked) {
  if (ranked->empty() || ranked->front().competency->id == previous) return false;
  auto it = std::find_if(ranked->begin(), ranked->end(),
                         [&](const Candidate& c) { return c.competency->id == previous; });
  if (it == ranked->end()) return false;
  const double previous_gain = it->gain.multiplier - 1;
  const double leader_gain = ranked->front().gain.multiplier - 1;
  if (previous_gain <= kNoGain || leader_gain > previous_gain * (1 + options.hysteresis_margin)) {
    return false;
  }
  std::rotate(ranked->begin(), it, it + 1);
  return true;
}

}  // namespace

std::string_view DiagnosisLayerName(DiagnosisLayer layer) {
  switch (layer) {
    case DiagnosisLayer::kResults:
      return "results";
    case DiagnosisLayer::kEffort:
      return "effort";
    case DiagnosisLayer::kSkill:
      return "skill";
  }
  return "skill";
}

std::vector<std::string> MissingData(const RecommendInput& input, const RecommenderOptions& options) {
  std::vector<std::string> missing;
  const DriverWindow& w = *input.window;
  const std::vector<const Competency*> applicable = Applicable(input);
  if (applicable.empty()) {
    missing.push_back(absl::StrCat("no competency in library ", input.library->version(), " applies to role ",
                                   Av(RoleName(input.role))));
  }
  const std::string& segment = w.identity().segment();
  if (input.role == coachstream::v1::ROLE_UNSPECIFIED && w.max_peers() == 0) {
    missing.push_back("no role for the rep in the org directory, so no peer group to compare with");
  } else if (w.max_peers() == 0) {
    missing.push_back(
        absl::StrCat("no peers in segment \"", segment, "\" (role ", Av(RoleName(input.role)), ")"));
  } else if (w.max_peers() < options.min_peers) {
    missing.push_back(absl::StrCat("only ", w.max_peers(), " peers in segment \"", segment, "\" (at least ",
                                   options.min_peers, " needed)"));
  }
  const int64_t calls = std::llround(w.Total(driver::kCallsMade));
  if (calls < options.min_window_calls) {
    missing.push_back(absl::StrCat("fewer than ", options.min_window_calls, " calls in ", input.window_label,
                                   " (", calls, ")"));
  }
  const bool needs_deals = std::any_of(applicable.begin(), applicable.end(),
                                       [&](const Competency* c) { return UsesDealDrivers(c, input.role); });
  const int64_t closed = std::llround(w.Total(driver::kDealsWon) + w.Total(driver::kDealsLost));
  if (needs_deals && closed < options.min_window_closed_deals) {
    missing.push_back(absl::StrCat("fewer than ", options.min_window_closed_deals, " closed deals in ",
                                   input.window_label, " (", closed, ")"));
  }
  return missing;
}

Candidate Evaluate(const Competency& competency, const DriverWindow& window, const FunnelModel& model,
                   const RecommenderOptions& options) {
  return MakeCandidate(competency, EstimateGain(competency, window, options), window, model);
}

Recommendation Recommend(const RecommendInput& input, const FunnelModel& model,
                         const RecommenderOptions& options) {
  Recommendation r;
  r.missing_data = MissingData(input, options);
  if (!r.missing_data.empty()) {
    r.insufficient = true;
    return r;
  }
  r.ranked = RankAll(input, model, options, GainTarget::kMedian);
  if (!r.ranked.empty() && r.ranked.front().gain.multiplier <= 1 + kNoGain) {
    r.ranked = RankAll(input, model, options, GainTarget::kP75);
  }
  if (r.ranked.empty()) {
    r.insufficient = true;
    r.missing_data.push_back("every applicable competency was already mastered this month");
    return r;
  }
  const Competency* effort = EffortFailure(input, options, &r.effort_driver);
  if (effort != nullptr) {
    r.layer = DiagnosisLayer::kEffort;
    MoveToFront(&r.ranked, effort->id);
    return r;  // effort before skill: no hysteresis can keep a skill focus
  }
  const double attainment = input.window->attainment();
  r.layer = attainment >= options.results_on_target ? DiagnosisLayer::kResults : DiagnosisLayer::kSkill;
  if (input.previous) r.kept_previous = ApplyHysteresis(*input.previous, options, &r.ranked);
  return r;
}

}  // namespace cs::coaching
