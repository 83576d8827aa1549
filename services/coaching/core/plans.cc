#include "services/coaching/core/plans.h"

#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/status.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching {
namespace {

using coachstream::v1::CoachingPlan;
using coachstream::v1::Objective;

constexpr size_t kMaxObjectiveIdBytes = 64;

absl::Status CheckObjectiveId(const std::string& field, const std::string& id) {
  if (id.size() > kMaxObjectiveIdBytes) return FieldError(field, "longer than 64 bytes");
  for (char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return FieldError(field, "may contain only letters, digits, '-' and '_'");
  }
  return absl::OkStatus();
}

absl::Status NormalizeObjective(const std::string& field, const CoachingPlan& plan, const Period& month,
                                const CompetencyLibrary& library, Objective* o) {
  if (o->competency_id().empty()) o->set_competency_id(plan.competency_id());
  const Competency* c = library.Find(o->competency_id());
  if (c == nullptr) {
    return FieldError(field + ".competency_id", absl::StrCat("unknown competency \"", o->competency_id(),
                                                             "\" in library ", library.version()));
  }
  if (o->target_driver().empty()) return FieldError(field + ".target_driver", "required");
  if (c->FindDriver(o->target_driver()) == nullptr) {
    return FieldError(field + ".target_driver",
                      absl::StrCat("\"", o->target_driver(), "\" does not measure competency \"", c->id,
                                   "\" (use one of its drivers)"));
  }
  if (!std::isfinite(o->target_value()) || o->target_value() < 0) {
    return FieldError(field + ".target_value", "must be a finite number >= 0");
  }
  if (o->deadline_period().empty()) o->set_deadline_period(plan.month());
  CS_ASSIGN_OR_RETURN(Period deadline, ParseAnyPeriod(field + ".deadline_period", o->deadline_period()));
  if (PeriodEndDay(deadline) <= PeriodFirstDay(month)) {
    return FieldError(
        field + ".deadline_period",
        absl::StrCat("\"", o->deadline_period(), "\" ends before the plan's month ", plan.month()));
  }
  o->clear_current_value();
  o->clear_progress();
  o->clear_last_reviewed_at();
  return absl::OkStatus();
}

absl::Status CheckActivities(const CoachingPlan& plan, const ObjectiveOptions& options) {
  if (plan.activities_size() > options.max_activities) {
    return FieldError("plan.activities", absl::StrCat("more than ", options.max_activities, " activities"));
  }
  for (int i = 0; i < plan.activities_size(); ++i) {
    const std::string field = absl::StrCat("plan.activities[", i, "]");
    if (plan.activities(i).empty()) return FieldError(field, "must not be empty");
    if (static_cast<int>(plan.activities(i).size()) > options.max_activity_bytes) {
      return FieldError(field, absl::StrCat("longer than ", options.max_activity_bytes, " bytes"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

void AssignObjectiveIds(CoachingPlan* plan) {
  std::set<std::string> used;
  for (const Objective& o : plan->objectives()) used.insert(o.objective_id());
  int next = 1;
  for (Objective& o : *plan->mutable_objectives()) {
    if (!o.objective_id().empty()) continue;
    while (used.count(absl::StrCat("obj-", next)) > 0) ++next;
    o.set_objective_id(absl::StrCat("obj-", next));
    used.insert(o.objective_id());
  }
}

absl::StatusOr<CoachingPlan> NormalizePlan(const CoachingPlan& input, const CompetencyLibrary& library,
                                           const ObjectiveOptions& options) {
  CoachingPlan plan = input;
  CS_RETURN_IF_ERROR(CheckId("plan.tenant_id", plan.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("plan.rep_id", plan.rep_id()));
  CS_ASSIGN_OR_RETURN(Period month, ParseMonth("plan.month", plan.month()));
  if (plan.competency_id().empty()) return FieldError("plan.competency_id", "required");
  const Competency* c = library.Find(plan.competency_id());
  if (c == nullptr) {
    return FieldError("plan.competency_id", absl::StrCat("unknown competency \"", plan.competency_id(),
                                                         "\" in library ", library.version()));
  }
  if (!plan.created_by().empty()) CS_RETURN_IF_ERROR(CheckId("plan.created_by", plan.created_by()));
  CS_RETURN_IF_ERROR(CheckActivities(plan, options));
  if (plan.activities_size() == 0) {
    for (const std::string& a : c->activities) plan.add_activities(a);
  }
  if (plan.objectives_size() > options.max_objectives) {
    return FieldError("plan.objectives", absl::StrCat("more than ", options.max_objectives, " objectives"));
  }
  std::set<std::string> ids;
  for (int i = 0; i < plan.objectives_size(); ++i) {
    const std::string field = absl::StrCat("plan.objectives[", i, "]");
    Objective* o = plan.mutable_objectives(i);
    CS_RETURN_IF_ERROR(NormalizeObjective(field, plan, month, library, o));
    if (o->objective_id().empty()) continue;
    CS_RETURN_IF_ERROR(CheckObjectiveId(field + ".objective_id", o->objective_id()));
    if (!ids.insert(o->objective_id()).second) {
      return FieldError(field + ".objective_id", absl::StrCat("duplicate id \"", o->objective_id(), "\""));
    }
  }
  AssignObjectiveIds(&plan);
  return plan;
}

}  // namespace cs::coaching
