// CoachingCore: construction, shared loading, and the focus-skill RPCs.

#include "services/coaching/core/coaching_core.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/base/status.h"
#include "services/coaching/core/absl_compat.h"
#include "services/coaching/core/narrative.h"
#include "services/coaching/core/store_keys.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching {

using coachstream::v1::AcceptFocusSkillRequest;
using coachstream::v1::AcceptFocusSkillResponse;
using coachstream::v1::RecommendFocusSkillRequest;
using coachstream::v1::RecommendFocusSkillResponse;

absl::StatusOr<std::unique_ptr<CoachingCore>> CoachingCore::Create(CoachingCoreOptions options,
                                                                   CompetencyLibrary library,
                                                                   MetricsSource& metrics,
                                                                   CoachingStore& store, const Clock& clock) {
  CS_RETURN_IF_ERROR(ValidateOptions(options));
  return std::unique_ptr<CoachingCore>(
      new CoachingCore(std::move(options), std::move(library), metrics, store, clock));
}

CoachingCore::CoachingCore(CoachingCoreOptions options, CompetencyLibrary library, MetricsSource& metrics,
                           CoachingStore& store, const Clock& clock)
    : options_(std::move(options)),
      library_(std::move(library)),
      metrics_(metrics),
      store_(store),
      clock_(clock) {
  // Validated in Create.
  absl::LoadTimeZone(options_.default_time_zone, &default_zone_);
  for (const auto& [tenant, name] : options_.tenant_time_zones) {
    absl::TimeZone tz;
    absl::LoadTimeZone(name, &tz);
    tenant_zones_[tenant] = tz;
  }
}

absl::TimeZone CoachingCore::Zone(std::string_view tenant) const {
  auto it = tenant_zones_.find(std::string(tenant));
  return it == tenant_zones_.end() ? default_zone_ : it->second;
}

absl::Status CoachingCore::CheckMonthNotTooFar(std::string_view field, const Period& month,
                                               std::string_view tenant) const {
  // Planning the next month is fine; further out there is nothing to base it on.
  const Period next = NextPeriod(PeriodOf(PeriodKind::kMonth, clock_.Now(), Zone(tenant)));
  if (next < month) {
    return FieldError(field, absl::StrCat("\"", FormatPeriod(month), "\" is more than a month ahead"));
  }
  return absl::OkStatus();
}

CoachingCore::RepContext CoachingCore::MakeContext(std::string tenant, std::string rep, const Period& month,
                                                   WindowSpec spec, WindowData data) const {
  RepContext ctx;
  ctx.tenant = std::move(tenant);
  ctx.rep = std::move(rep);
  ctx.month = month;
  ctx.spec = std::move(spec);
  ctx.data = std::move(data);
  ctx.window = DriverWindow::Build(ctx.data, options_.recommender);
  ctx.model = FunnelModel::Build(ctx.window, options_.recommender);
  ctx.role = ctx.window.identity().role();
  ctx.name = ctx.window.identity().display_name().empty() ? ctx.rep : ctx.window.identity().display_name();
  return ctx;
}

absl::StatusOr<CoachingCore::RepContext> CoachingCore::LoadRep(const std::string& tenant,
                                                               const std::string& rep, const Period& month) {
  WindowSpec spec = MakeWindow(month, options_.recommender.window_months, clock_.Now(), Zone(tenant));
  CS_ASSIGN_OR_RETURN(WindowData data, FetchRepWindow(metrics_, tenant, rep, spec));
  return MakeContext(tenant, rep, month, std::move(spec), std::move(data));
}

absl::StatusOr<CoachingCore::FocusState> CoachingCore::LoadFocusState(const std::string& tenant,
                                                                      const std::string& rep,
                                                                      const std::string& month) const {
  FocusState state;
  const std::string focus_key = FocusKey(tenant, month, rep);
  CS_ASSIGN_OR_RETURN(std::optional<std::string> focus, store_.Get(focus_key));
  if (focus) {
    CS_ASSIGN_OR_RETURN(FocusRecord record, DecodeFocusRecord(*focus, focus_key));
    state.focus = std::move(record);
  }
  const std::string memo_key = MemoKey(tenant, rep, month);
  CS_ASSIGN_OR_RETURN(std::optional<std::string> memo, store_.Get(memo_key));
  if (memo) {
    CS_ASSIGN_OR_RETURN(RecommendationMemo m, DecodeMemo(*memo, memo_key));
    state.memo = std::move(m);
  }
  CS_ASSIGN_OR_RETURN(state.plan, LoadPlan(tenant, rep, month));
  return state;
}

RecommendInput CoachingCore::MakeInput(const RepContext& ctx, const FocusState& state) const {
  RecommendInput input;
  input.library = &library_;
  input.window = &ctx.window;
  input.role = ctx.role;
  input.window_label = ctx.spec.label;
  if (state.focus) {
    // The accepted (or mastered) focus is not offered again this month.
    input.excluded.insert(state.focus->competency_id);
  } else if (state.memo) {
    input.previous = state.memo->competency_id;
  }
  return input;
}

absl::Status CoachingCore::MarkObjectiveMet(const RepContext& ctx) {
  absl::MutexLock lock(&write_mu_);
  const std::string key = FocusKey(ctx.tenant, FormatPeriod(ctx.month), ctx.rep);
  CS_ASSIGN_OR_RETURN(std::optional<std::string> bytes, store_.Get(key));
  if (!bytes) return absl::OkStatus();  // withdrawn meanwhile
  CS_ASSIGN_OR_RETURN(FocusRecord record, DecodeFocusRecord(*bytes, key));
  if (record.objective_met_at) return absl::OkStatus();
  record.objective_met_at = clock_.Now();
  return store_.Write({StoreWrite::Put(key, EncodeFocusRecord(record))});
}

absl::Status CoachingCore::RememberRecommendation(const RepContext& ctx, const Recommendation& r,
                                                  const std::optional<RecommendationMemo>& memo) {
  if (r.insufficient || r.ranked.empty()) return absl::OkStatus();
  const std::string& id = r.ranked.front().competency->id;
  if (memo && memo->competency_id == id) return absl::OkStatus();
  absl::MutexLock lock(&write_mu_);
  RecommendationMemo next{id, clock_.Now()};
  return store_.Write(
      {StoreWrite::Put(MemoKey(ctx.tenant, ctx.rep, FormatPeriod(ctx.month)), EncodeMemo(next))});
}

absl::Status CoachingCore::SaveAcceptedFocus(const RepContext& ctx, FocusRecord* record) {
  const std::string month = FormatPeriod(ctx.month);
  absl::MutexLock lock(&write_mu_);
  CS_ASSIGN_OR_RETURN(std::optional<coachstream::v1::CoachingPlan> plan,
                      LoadPlan(ctx.tenant, ctx.rep, month));
  if (plan && plan->competency_id() != record->competency_id) {
    return absl::FailedPreconditionError(absl::StrCat("competency_id: the plan for ", month, " is for \"",
                                                      plan->competency_id(),
                                                      "\"; create a new plan to change the month's focus"));
  }
  const std::string key = FocusKey(ctx.tenant, month, ctx.rep);
  CS_ASSIGN_OR_RETURN(std::optional<std::string> existing, store_.Get(key));
  if (existing) {
    CS_ASSIGN_OR_RETURN(FocusRecord current, DecodeFocusRecord(*existing, key));
    // Accepting the same focus again changes nothing (its target stays).
    if (current.competency_id == record->competency_id && !current.objective_met_at) *record = current;
  }
  return store_.Write({StoreWrite::Put(key, EncodeFocusRecord(*record)),
                       StoreWrite::Delete(MemoKey(ctx.tenant, ctx.rep, month))});
}

absl::StatusOr<RecommendFocusSkillResponse> CoachingCore::RecommendFocusSkill(
    const RecommendFocusSkillRequest& request) {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("rep_id", request.rep_id()));
  CS_ASSIGN_OR_RETURN(Period month, ParseMonth("month", request.month()));
  CS_RETURN_IF_ERROR(CheckMonthNotTooFar("month", month, request.tenant_id()));
  CS_ASSIGN_OR_RETURN(RepContext ctx, LoadRep(request.tenant_id(), request.rep_id(), month));
  CS_ASSIGN_OR_RETURN(FocusState state, LoadFocusState(ctx.tenant, ctx.rep, FormatPeriod(month)));
  PeriodDriversCache cache(metrics_, ctx.tenant);
  cache.Preload(ctx.rep, ctx.data);
  if (state.focus && !state.focus->objective_met_at) {
    CS_ASSIGN_OR_RETURN(bool met, FocusObjectiveMet(ctx, state, cache));
    if (!met) {
      const Recommendation others = Recommend(MakeInput(ctx, state), ctx.model, options_.recommender);
      return BuildAccepted(ctx, *state.focus, others);
    }
    CS_RETURN_IF_ERROR(MarkObjectiveMet(ctx));
    state.focus->objective_met_at = clock_.Now();
  }
  std::string note;
  if (state.focus) {
    const Competency* met = library_.Find(state.focus->competency_id);
    note = absl::StrCat("The objective of this month's focus (", met ? met->name : state.focus->competency_id,
                        ") is met; the next skill: ");
  }
  const Recommendation r = Recommend(MakeInput(ctx, state), ctx.model, options_.recommender);
  if (!state.focus) CS_RETURN_IF_ERROR(RememberRecommendation(ctx, r, state.memo));
  return BuildResponse(ctx, r, note);
}

absl::StatusOr<AcceptFocusSkillResponse> CoachingCore::AcceptFocusSkill(
    const AcceptFocusSkillRequest& request) {
  CS_RETURN_IF_ERROR(CheckId("tenant_id", request.tenant_id()));
  CS_RETURN_IF_ERROR(CheckId("rep_id", request.rep_id()));
  CS_ASSIGN_OR_RETURN(Period month, ParseMonth("month", request.month()));
  CS_RETURN_IF_ERROR(CheckMonthNotTooFar("month", month, request.tenant_id()));
  const Competency* chosen = nullptr;
  if (!request.competency_id().empty()) {
    chosen = library_.Find(request.competency_id());
    if (chosen == nullptr) {
      return FieldError("competency_id", absl::StrCat("unknown competency \"", request.competency_id(),
                                                      "\" in library ", library_.version()));
    }
  }
  CS_ASSIGN_OR_RETURN(RepContext ctx, LoadRep(request.tenant_id(), request.rep_id(), month));
  const std::string month_text = FormatPeriod(month);
  CS_ASSIGN_OR_RETURN(FocusState state, LoadFocusState(ctx.tenant, ctx.rep, month_text));
  if (chosen == nullptr) {
    if (state.focus && !state.focus->objective_met_at) {
      AcceptFocusSkillResponse response;  // already accepted: idempotent
      response.set_competency_id(state.focus->competency_id);
      return response;
    }
    const Recommendation r = Recommend(MakeInput(ctx, state), ctx.model, options_.recommender);
    if (r.insufficient) {
      return absl::FailedPreconditionError(
          absl::StrCat("competency_id: there is no recommendation to accept (insufficient data: ",
                       absl::StrJoin(r.missing_data, "; "), "); name the competency to accept"));
    }
    chosen = r.ranked.front().competency;
  } else if (!chosen->AppliesTo(ctx.role)) {
    return FieldError("competency_id",
                      absl::StrCat("\"", chosen->id, "\" does not apply to role ", Av(RoleName(ctx.role))));
  }
  FocusRecord record;
  record.competency_id = chosen->id;
  record.source = "accept";
  record.target_driver = chosen->TargetDriverFor(ctx.role);
  record.target_value = RoundTarget(record.target_driver,
                                    TargetValue(ctx.window, record.target_driver, options_.recommender));
  record.accepted_at = clock_.Now();
  CS_RETURN_IF_ERROR(SaveAcceptedFocus(ctx, &record));
  AcceptFocusSkillResponse response;
  response.set_competency_id(record.competency_id);
  return response;
}

}  // namespace cs::coaching
