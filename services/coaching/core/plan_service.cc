// CoachingCore: plans and objectives (CreatePlan, GetPlan, ReviewObjective).

#include "absl/strings/str_cat.h"
#include "libs/base/status.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/coaching_core.h"
#include "services/coaching/core/narrative.h"
#include "services/coaching/core/objectives.h"
#include "services/coaching/core/plans.h"
#include "services/coaching/core/proto_time.h"
#include "services/coaching/core/store_keys.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching {

using coachstream::v1::CoachingPlan;
using coachstream::v1::Objective;

absl::StatusOr<std::optional<CoachingPlan>> CoachingCore::LoadPlan(const std::string& tenant,
                                                                   const std::string& rep,
                                                                   const std::string& month) const {
  const std::string key = PlanKey(tenant, rep, month);
  CS_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.Get(key));
  if (!bytes) return std::optional<CoachingPlan>();
  CoachingPlan plan;
  if (!plan.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("coaching state at key \"", key, "\" does not parse"));
  }
  return std::optional<CoachingPlan>(std::move(plan));
}

absl::Status CoachingCore::FillProgress(const std::string& tenant, const std::string& rep,
                                        PeriodDriversCache& cache, Objective* o) const {
  const DriverInfo* info = FindDriverInfo(o->target_driver());
  if (info == nullptr) {
    return absl::DataLossError(
        absl::StrCat("objective ", o->objective_id(), ": unknown driver ", o->target_driver()));
  }
  CS_ASSIGN_OR_RETURN(Period deadline, ParseAnyPeriod("deadline_period", o->deadline_period()));
  ObjectiveInputs in;
  CS_ASSIGN_OR_RETURN(const coachstream::v1::RepDrivers* current, cache.Get(rep, deadline));
  in.current = PeriodDriverValue(*current, o->target_driver());
  CS_ASSIGN_OR_RETURN(const coachstream::v1::RepDrivers* before, cache.Get(rep, PrevPeriod(deadline)));
  in.baseline = PeriodDriverValue(*before, o->target_driver());
  in.elapsed = ElapsedFraction(deadline, clock_.Now(), Zone(tenant));
  const ObjectiveStatus status = EvaluateObjective(*info, o->target_value(), in, options_.objectives);
  o->set_current_value(status.current_value);
  o->set_progress(status.progress);
  return absl::OkStatus();
}

absl::StatusOr<bool> CoachingCore::FocusObjectiveMet(const RepContext& ctx, const FocusState& state,
                                                     PeriodDriversCache& cache) const {
  const FocusRecord& focus = *state.focus;
  std::vector<Objective> objectives;
  if (state.plan && state.plan->competency_id() == focus.competency_id) {
    for (const Objective& o : state.plan->objectives()) {
      if (o.competency_id() == focus.competency_id) objectives.push_back(o);
    }
  }
  if (objectives.empty() && !focus.target_driver.empty()) {
    Objective o;
    o.set_target_driver(focus.target_driver);
    o.set_target_value(focus.target_value);
    o.set_deadline_period(FormatPeriod(ctx.month));
    objectives.push_back(std::move(o));
  }
  if (objectives.empty()) return false;
  for (Objective& o : objectives) {
    CS_RETURN_IF_ERROR(FillProgress(ctx.tenant, ctx.rep, cache, &o));
    if (o.progress() != coachstream::v1::OBJECTIVE_PROGRESS_MET) return false;
  }
  return true;
}

// Stores the plan (and accepts its competency as the month's focus) under
// the write lock. A replacement keeps when the plan was first made and
// when each kept objective was last reviewed.
absl::Status CoachingCore::SavePlan(const Competency& competency, CoachingPlan* plan_ptr) {
  absl::MutexLock lock(&write_mu_);
  CoachingPlan& plan = *plan_ptr;
  CS_ASSIGN_OR_RETURN(std::optional<CoachingPlan> existing,
                      LoadPlan(plan.tenant_id(), plan.rep_id(), plan.month()));
  *plan.mutable_created_at() = ToTimestamp(clock_.Now());
  if (existing) {
    *plan.mutable_created_at() = existing->created_at();
    if (plan.created_by().empty()) plan.set_created_by(existing->created_by());
    for (Objective& o : *plan.mutable_objectives()) {
      for (const Objective& old : existing->objectives()) {
        if (old.objective_id() == o.objective_id() && old.has_last_reviewed_at()) {
          *o.mutable_last_reviewed_at() = old.last_reviewed_at();
        }
      }
    }
  }
  const std::string focus_key = FocusKey(plan.tenant_id(), plan.month(), plan.rep_id());
  CS_ASSIGN_OR_RETURN(std::optional<std::string> focus_bytes, store_.Get(focus_key));
  FocusRecord focus;
  if (focus_bytes) {
    CS_ASSIGN_OR_RETURN(focus, DecodeFocusRecord(*focus_bytes, focus_key));
  }
  if (!focus_bytes || focus.competency_id != competency.id || focus.objective_met_at) {
    // A new focus, or a new plan for a mastered one: accepted afresh.
    focus = FocusRecord{competency.id, "plan", "", 0, clock_.Now(), std::nullopt};
  }
  // Without a plan the focus is tracked against its own target; with one,
  // against the plan's objectives. Keep the first as the fallback.
  for (auto o = plan.objectives().rbegin(); o != plan.objectives().rend(); ++o) {
    if (o->competency_id() != competency.id) continue;
    focus.target_driver = o->target_driver();
    focus.target_value = o->target_value();
  }
  CoachingPlan stored = plan;
  for (Objective& o : *stored.mutable_objectives()) {
    o.clear_current_value();  // computed on read, never stored
    o.clear_progress();
  }
  CS_RETURN_IF_ERROR(store_.Write(
      {StoreWrite::Put(PlanKey(plan.tenant_id(), plan.rep_id(), plan.month()), stored.SerializeAsString()),
       StoreWrite::Put(focus_key, EncodeFocusRecord(focus)),
       StoreWrite::Delete(MemoKey(plan.tenant_id(), plan.rep_id(), plan.month()))}));
  return absl::OkStatus();
}

absl::StatusOr<CoachingPlan> CoachingCore::CreatePlan(const coachstream::v1::CreatePlanRequest& request) {
  if (!request.has_plan()) return FieldError("plan", "required");
  CS_ASSIGN_OR_RETURN(CoachingPlan plan, NormalizePlan(request.plan(), library_, options_.objectives));
  CS_ASSIGN_OR_RETURN(Period month, ParseMonth("plan.month", plan.month()));
  CS_RETURN_IF_ERROR(CheckMonthNotTooFar("plan.month", month, plan.tenant_id()));
  plan.set_month(FormatPeriod(month));
  CS_ASSIGN_OR_RETURN(RepContext ctx, LoadRep(plan.tenant_id(), plan.rep_id(), month));
  const Competency& competency = *library_.Find(plan.competency_id());  // NormalizePlan checked it
  if (!competency.AppliesTo(ctx.role)) {
    return FieldError("plan.competency_id", absl::StrCat("\"", competency.id, "\" does not apply to role ",
                                                         Av(RoleName(ctx.role))));
  }
  if (plan.objectives_size() == 0) {
    // The plan template's target: the competency's target driver, part of
    // the way to the peer benchmark, by the end of the month.
    Objective* o = plan.add_objectives();
    o->set_competency_id(competency.id);
    o->set_target_driver(competency.target_driver);
    o->set_target_value(RoundTarget(competency.target_driver,
                                    TargetValue(ctx.window, competency.target_driver, options_.recommender)));
    o->set_deadline_period(plan.month());
    AssignObjectiveIds(&plan);
  }
  PeriodDriversCache cache(metrics_, plan.tenant_id());
  cache.Preload(plan.rep_id(), ctx.data);
  for (Objective& o : *plan.mutable_objectives())
    CS_RETURN_IF_ERROR(FillProgress(plan.tenant_id(), plan.rep_id(), cache, &o));

  CS_RETURN_IF_ERROR(SavePlan(competency, &plan));
  return plan;
}

absl::StatusOr<CoachingPlan> CoachingCore::GetPlan(const coachstream::v1::GetPlanRequest& request) {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("rep_id", request.rep_id()));
  CS_ASSIGN_OR_RETURN(Period month, ParseMonth("month", request.month()));
  CS_ASSIGN_OR_RETURN(std::optional<CoachingPlan> plan,
                      LoadPlan(request.tenant_id(), request.rep_id(), FormatPeriod(month)));
  if (!plan) {
    return absl::NotFoundError(
        absl::StrCat("no plan for rep ", request.rep_id(), " in ", FormatPeriod(month)));
  }
  PeriodDriversCache cache(metrics_, request.tenant_id());
  for (Objective& o : *plan->mutable_objectives()) {
    CS_RETURN_IF_ERROR(FillProgress(request.tenant_id(), request.rep_id(), cache, &o));
  }
  return *std::move(plan);
}

absl::StatusOr<Objective> CoachingCore::ReviewObjective(
    const coachstream::v1::ReviewObjectiveRequest& request) {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("rep_id", request.rep_id()));
  CS_ASSIGN_OR_RETURN(Period month, ParseMonth("month", request.month()));
  CS_RETURN_IF_ERROR(CheckId("objective_id", request.objective_id()));
  const std::string month_text = FormatPeriod(month);
  CS_ASSIGN_OR_RETURN(std::optional<CoachingPlan> plan,
                      LoadPlan(request.tenant_id(), request.rep_id(), month_text));
  if (!plan)
    return absl::NotFoundError(absl::StrCat("no plan for rep ", request.rep_id(), " in ", month_text));
  Objective* found = nullptr;
  for (Objective& o : *plan->mutable_objectives()) {
    if (o.objective_id() == request.objective_id()) found = &o;
  }
  if (found == nullptr) {
    return absl::NotFoundError(absl::StrCat("objective_id: no objective \"", request.objective_id(),
                                            "\" in the plan for ", month_text));
  }
  PeriodDriversCache cache(metrics_, request.tenant_id());
  CS_RETURN_IF_ERROR(FillProgress(request.tenant_id(), request.rep_id(), cache, found));
  *found->mutable_last_reviewed_at() = ToTimestamp(clock_.Now());

  absl::MutexLock lock(&write_mu_);
  // Re-read: the plan may have been replaced since.
  CS_ASSIGN_OR_RETURN(std::optional<CoachingPlan> current,
                      LoadPlan(request.tenant_id(), request.rep_id(), month_text));
  if (current) {
    for (Objective& o : *current->mutable_objectives()) {
      if (o.objective_id() == request.objective_id())
        *o.mutable_last_reviewed_at() = found->last_reviewed_at();
    }
    CS_RETURN_IF_ERROR(store_.Write({StoreWrite::Put(
        PlanKey(request.tenant_id(), request.rep_id(), month_text), current->SerializeAsString())}));
  }
  return *found;
}

}  // namespace cs::coaching
