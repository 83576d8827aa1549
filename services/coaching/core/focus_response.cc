// CoachingCore: RecommendFocusSkillResponse assembly (evidence, rationale,
// plan template, agenda).

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/coaching_core.h"
#include "services/coaching/core/narrative.h"

namespace cs::coaching {
namespace {

using coachstream::v1::DriverEvidence;
using coachstream::v1::RecommendFocusSkillResponse;

void AddEvidence(const DriverWindow& window, const std::string& driver,
                 coachstream::v1::SkillCandidate* out) {
  for (const DriverEvidence& e : out->evidence()) {
    if (e.driver() == driver) return;
  }
  const WindowValue* v = window.Find(driver);
  DriverEvidence* e = out->add_evidence();
  e->set_driver(driver);
  if (v == nullptr) return;  // named, with no data: the evidence says so
  e->set_rep_value(v->value);
  e->set_raw_value(v->raw);
  e->set_benchmark(v->benchmark);
  e->set_sample_size(v->trials > 0 ? static_cast<int64_t>(v->trials) : v->sample_size);
  e->set_peers(v->peers);
}

}  // namespace

coachstream::v1::SkillCandidate CoachingCore::ToProto(const RepContext& ctx, const Candidate& c) const {
  coachstream::v1::SkillCandidate out;
  out.set_competency_id(c.competency->id);
  out.set_competency_name(c.competency->name);
  out.set_bookings_gain_minor(c.bookings_gain_minor);
  out.set_attainment_gain_points(c.attainment_gain_points);
  for (const CompetencyDriver& d : c.competency->drivers) {
    if (d.AppliesTo(ctx.role)) AddEvidence(ctx.window, d.driver, &out);
  }
  // A behaviour claim moves its lever's driver: that is evidence too.
  for (const DriverMove& m : c.gain.moves) AddEvidence(ctx.window, m.driver, &out);
  return out;
}

std::string CoachingCore::BriefRationale(const RepContext& ctx, const Candidate& c) const {
  const NarrativeContext n{&options_, &library_, &ctx.window, &ctx.model, ctx.name, ctx.spec.label};
  return cs::coaching::BriefRationale(n, c);
}

RecommendFocusSkillResponse CoachingCore::BuildResponse(const RepContext& ctx, const Recommendation& r,
                                                        const std::string& note) const {
  RecommendFocusSkillResponse out;
  if (r.insufficient) {
    out.set_status(coachstream::v1::RECOMMENDATION_STATUS_INSUFFICIENT_DATA);
    for (const std::string& m : r.missing_data) out.add_missing_data(m);
    out.set_rationale(absl::StrCat(note, "Not enough data to recommend a focus skill for ", ctx.name, " (",
                                   ctx.spec.label, "): ", absl::StrJoin(r.missing_data, "; "),
                                   ". A guess would not be fair to the rep."));
    return out;
  }
  const NarrativeContext n{&options_, &library_, &ctx.window, &ctx.model, ctx.name, ctx.spec.label};
  const Candidate& focus = r.ranked.front();
  const std::vector<Candidate> runners(
      r.ranked.begin() + 1,
      r.ranked.begin() + std::min<size_t>(r.ranked.size(), 1 + options_.recommender.max_runners_up));
  out.set_status(coachstream::v1::RECOMMENDATION_STATUS_RECOMMENDED);
  *out.mutable_focus() = ToProto(ctx, focus);
  for (const Candidate& c : runners) *out.add_runners_up() = ToProto(ctx, c);
  std::vector<std::string> text = {note + LayerIntro(n, r, focus), CandidateRationale(n, focus),
                                   RunnersUpSentence(n, runners)};
  if (r.kept_previous) {
    text.push_back(absl::StrCat("This is the focus recommended earlier this month; the largest gain now (",
                                r.ranked.size() > 1 ? r.ranked[1].competency->name : "", ") is not enough ",
                                "ahead to change course."));
  }
  std::erase(text, std::string());
  out.set_rationale(absl::StrJoin(text, " "));
  *out.mutable_plan_template() = MakePlanTemplate(n, *focus.competency);
  for (std::string& q : MakeAgenda(n, focus, out.plan_template())) out.add_agenda(std::move(q));
  out.set_diagnosis_layer(std::string(DiagnosisLayerName(r.layer)));
  return out;
}

RecommendFocusSkillResponse CoachingCore::BuildAccepted(const RepContext& ctx, const FocusRecord& focus,
                                                        const Recommendation& others) const {
  RecommendFocusSkillResponse out;
  out.set_status(coachstream::v1::RECOMMENDATION_STATUS_ACCEPTED);
  const Competency* c = library_.Find(focus.competency_id);
  if (c == nullptr) {
    out.mutable_focus()->set_competency_id(focus.competency_id);
    out.mutable_focus()->set_competency_name(focus.competency_id);
    out.set_rationale(absl::StrCat("The accepted focus \"", focus.competency_id,
                                   "\" is not in the current competency library (", library_.version(),
                                   ")."));
    return out;
  }
  const NarrativeContext n{&options_, &library_, &ctx.window, &ctx.model, ctx.name, ctx.spec.label};
  const Candidate candidate = Evaluate(*c, ctx.window, ctx.model, options_.recommender);
  *out.mutable_focus() = ToProto(ctx, candidate);
  const int max_runners = options_.recommender.max_runners_up;
  for (size_t i = 0; i < others.ranked.size() && static_cast<int>(i) < max_runners; ++i) {
    *out.add_runners_up() = ToProto(ctx, others.ranked[i]);
  }
  for (const std::string& m : others.missing_data) out.add_missing_data(m);
  out.set_rationale(absl::StrCat("Focus for ", FormatPeriod(ctx.month), " accepted on ",
                                 absl::FormatTime("%Y-%m-%d", focus.accepted_at, Zone(ctx.tenant)), ": ",
                                 c->name, ". ", CandidateRationale(n, candidate)));
  coachstream::v1::PlanTemplate plan = MakePlanTemplate(n, *c);
  if (!focus.target_driver.empty()) {
    plan.set_target_driver(focus.target_driver);
    plan.set_target_value(focus.target_value);  // the target agreed at acceptance stays put
  }
  *out.mutable_plan_template() = plan;
  for (std::string& q : MakeAgenda(n, candidate, out.plan_template())) out.add_agenda(std::move(q));
  if (!others.insufficient) out.set_diagnosis_layer(std::string(DiagnosisLayerName(others.layer)));
  return out;
}

}  // namespace cs::coaching
