// CoachingCore: did coaching work? (GetCoachingImpact).

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/status.h"
#include "services/coaching/core/coaching_core.h"
#include "services/coaching/core/impact.h"
#include "services/coaching/core/objectives.h"
#include "services/coaching/core/store_keys.h"
#include "services/coaching/core/validation.h"

namespace cs::coaching {
namespace {

using coachstream::v1::RepDrivers;

// One driver's monthly values for reps over a range, from GetDriverHistory
// (two histories for a derived driver), cached per rep.
class HistoryCache {
 public:
  HistoryCache(MetricsSource& metrics, std::string tenant, std::string driver, Period from, Period to)
      : metrics_(metrics), tenant_(std::move(tenant)), driver_(std::move(driver)), from_(from), to_(to) {}

  // The value in `month`, or nullopt without data (a rate with no trials).
  absl::StatusOr<std::optional<double>> Value(const std::string& rep, const Period& month) {
    auto it = values_.find(rep);
    if (it == values_.end()) {
      CS_ASSIGN_OR_RETURN(auto loaded, Load(rep));
      it = values_.emplace(rep, std::move(loaded)).first;
    }
    auto v = it->second.find(FormatPeriod(month));
    return v == it->second.end() ? std::nullopt : std::optional<double>(v->second);
  }

 private:
  absl::StatusOr<std::map<std::string, RepDrivers>> Fetch(const std::string& rep, std::string_view driver) {
    coachstream::v1::GetDriverHistoryRequest request;
    request.set_tenant_id(tenant_);
    request.set_rep_id(rep);
    request.set_driver(std::string(driver));
    request.set_from_period(FormatPeriod(from_));
    request.set_to_period(FormatPeriod(to_));
    absl::StatusOr<coachstream::v1::GetDriverHistoryResponse> r = metrics_.GetDriverHistory(request);
    if (!r.ok()) return MetricsError(r.status(), "GetDriverHistory");
    std::map<std::string, RepDrivers> out;
    for (const auto& point : r->points()) *out[point.period()].add_drivers() = point.value();
    return out;
  }

  absl::StatusOr<std::map<std::string, double>> Load(const std::string& rep) {
    const DriverInfo* info = FindDriverInfo(driver_);
    std::map<std::string, RepDrivers> months;
    for (std::string_view d :
         info->derived() ? std::vector<std::string_view>{info->numerator_driver, info->denominator_driver}
                         : std::vector<std::string_view>{info->name}) {
      CS_ASSIGN_OR_RETURN(auto part, Fetch(rep, d));
      for (auto& [period, drivers] : part) months[period].MergeFrom(drivers);
    }
    std::map<std::string, double> out;
    for (const auto& [period, drivers] : months) {
      std::optional<coachstream::v1::DriverValue> v = PeriodDriverValue(drivers, driver_);
      const bool level = info->kind != DriverKind::kCount && info->kind != DriverKind::kSnapshot;
      if (v && (!level || v->denominator() > 0)) out[period] = v->value();
    }
    return out;
  }

  MetricsSource& metrics_;
  const std::string tenant_, driver_;
  const Period from_, to_;
  std::map<std::string, std::map<std::string, double>> values_;
};

// Who was coached on one competency in which months: the focus records.
struct CoachingRecord {
  std::map<std::string, std::vector<Period>> in_range;  // rep -> coached months in [from, to]
  std::set<std::pair<std::string, Period>> any;         // (rep, month) in [from - 1, to + offset]
};

absl::StatusOr<CoachingRecord> LoadCoaching(const CoachingStore& store, const std::string& tenant,
                                            const std::string& competency, const Period& from,
                                            const Period& to, int offset) {
  CoachingRecord out;
  Period last = to;
  for (int i = 0; i < offset; ++i) last = NextPeriod(last);
  for (Period m = PrevPeriod(from); m <= last; m = NextPeriod(m)) {
    absl::Status error;
    CS_RETURN_IF_ERROR(store.Scan(FocusMonthPrefix(tenant, FormatPeriod(m)),
                                  [&](std::string_view key, std::string_view value) {
                                    absl::StatusOr<FocusRecord> r = DecodeFocusRecord(value, key);
                                    if (!r.ok()) {
                                      error = r.status();
                                      return false;
                                    }
                                    if (r->competency_id != competency) return true;
                                    const std::string rep = LastKeyComponent(key);
                                    out.any.insert({rep, m});
                                    if (from <= m && m <= to) out.in_range[rep].push_back(m);
                                    return true;
                                  }));
    CS_RETURN_IF_ERROR(error);
  }
  return out;
}

// One GetCoachingImpact computation: episodes of the coached reps and
// their comparable peers, with per-request caches.
class ImpactStudy {
 public:
  ImpactStudy(MetricsSource& metrics, const std::string& tenant, const std::string& driver,
              const Period& from, const Period& to, const ImpactOptions& options, CoachingRecord coaching)
      : metrics_(metrics),
        tenant_(tenant),
        options_(options),
        coaching_(std::move(coaching)),
        history_(metrics, tenant, driver, PrevPeriod(from), Shift(to, options.after_offset_months)),
        identity_(metrics, tenant) {}

  absl::StatusOr<DidResult> Run() {
    for (const auto& [rep, months] : coaching_.in_range) {
      for (const Period& start : EpisodeStarts(months)) CS_RETURN_IF_ERROR(AddEpisode(rep, start));
    }
    return DifferenceInDifferences(coached_, uncoached_);
  }

 private:
  static Period Shift(Period p, int months) {
    for (int i = 0; i < months; ++i) p = NextPeriod(p);
    return p;
  }

  // Coached on the competency in [start - 1, start + offset].
  bool CoachedAround(const std::string& rep, const Period& start) const {
    for (Period m = PrevPeriod(start); m <= Shift(start, options_.after_offset_months); m = NextPeriod(m)) {
      if (coaching_.any.count({rep, m}) > 0) return true;
    }
    return false;
  }

  // Appends rep's before/after change to `out` when both months have a value.
  absl::Status AddChange(const std::string& rep, const Period& start, std::vector<DriverChange>* out) {
    CS_ASSIGN_OR_RETURN(std::optional<double> before, history_.Value(rep, PrevPeriod(start)));
    CS_ASSIGN_OR_RETURN(std::optional<double> after,
                        history_.Value(rep, Shift(start, options_.after_offset_months)));
    if (before && after) out->push_back({rep, *before, *after});
    return absl::OkStatus();
  }

  absl::Status AddEpisode(const std::string& rep, const Period& start) {
    CS_RETURN_IF_ERROR(AddChange(rep, start, &coached_));
    CS_ASSIGN_OR_RETURN(const RepDrivers* me, identity_.Get(rep, start));
    CS_ASSIGN_OR_RETURN(const coachstream::v1::GetTeamDriversResponse* pool, Pool(*me, start));
    if (pool == nullptr) return absl::OkStatus();
    for (const RepDrivers& peer : pool->reps()) {
      if (peer.rep_id() == rep || peer.role() != me->role() || peer.segment() != me->segment()) continue;
      if (CoachedAround(peer.rep_id(), start) || !peer_pairs_.insert({peer.rep_id(), start}).second) continue;
      CS_RETURN_IF_ERROR(AddChange(peer.rep_id(), start, &uncoached_));
    }
    return absl::OkStatus();
  }

  // The subtree of the manager pool_levels_up above the rep's manager;
  // nullptr for a rep without a manager.
  absl::StatusOr<const coachstream::v1::GetTeamDriversResponse*> Pool(const RepDrivers& rep,
                                                                      const Period& month) {
    std::string root = rep.manager_id();
    for (int level = 0; level < options_.pool_levels_up && !root.empty(); ++level) {
      CS_ASSIGN_OR_RETURN(const RepDrivers* boss, identity_.Get(root, month));
      if (boss->manager_id().empty()) break;
      root = boss->manager_id();
    }
    if (root.empty()) return nullptr;
    const auto key = std::make_pair(root, FormatPeriod(month));
    auto it = teams_.find(key);
    if (it != teams_.end()) return &it->second;
    coachstream::v1::GetTeamDriversRequest request;
    request.set_tenant_id(tenant_);
    request.set_manager_id(root);
    request.set_period(key.second);
    absl::StatusOr<coachstream::v1::GetTeamDriversResponse> team = metrics_.GetTeamDrivers(request);
    if (!team.ok()) return MetricsError(team.status(), "GetTeamDrivers");
    return &(teams_[key] = *std::move(team));
  }

  MetricsSource& metrics_;
  const std::string tenant_;
  const ImpactOptions& options_;
  const CoachingRecord coaching_;
  HistoryCache history_;
  PeriodDriversCache identity_;
  std::map<std::pair<std::string, std::string>, coachstream::v1::GetTeamDriversResponse> teams_;
  std::set<std::pair<std::string, Period>> peer_pairs_;
  std::vector<DriverChange> coached_, uncoached_;
};

}  // namespace

absl::StatusOr<coachstream::v1::GetCoachingImpactResponse> CoachingCore::GetCoachingImpact(
    const coachstream::v1::GetCoachingImpactRequest& request) {
  const std::string& tenant = request.tenant_id();
  CS_RETURN_IF_ERROR(CheckId("tenant_id", tenant));
  if (request.competency_id().empty()) return FieldError("competency_id", "required");
  const Competency* competency = library_.Find(request.competency_id());
  if (competency == nullptr) {
    return FieldError("competency_id", absl::StrCat("unknown competency \"", request.competency_id(), "\""));
  }
  CS_ASSIGN_OR_RETURN(Period from, ParseMonth("from_month", request.from_month()));
  CS_ASSIGN_OR_RETURN(Period to, ParseMonth("to_month", request.to_month()));
  if (to < from) return FieldError("to_month", "is before from_month");
  int months = 0;
  for (Period m = from; m <= to && months <= options_.impact.max_months; m = NextPeriod(m)) ++months;
  if (months > options_.impact.max_months) {
    return FieldError("to_month",
                      absl::StrCat("the range is longer than ", options_.impact.max_months, " months"));
  }
  CS_ASSIGN_OR_RETURN(CoachingRecord coaching, LoadCoaching(store_, tenant, competency->id, from, to,
                                                            options_.impact.after_offset_months));
  // The competency's primary driver is its target driver.
  ImpactStudy study(metrics_, tenant, competency->target_driver, from, to, options_.impact,
                    std::move(coaching));
  CS_ASSIGN_OR_RETURN(DidResult did, study.Run());
  coachstream::v1::GetCoachingImpactResponse response;
  response.set_driver(competency->target_driver);
  response.set_coached_change(did.coached_change);
  response.set_uncoached_change(did.uncoached_change);
  response.set_difference_in_differences(did.difference_in_differences);
  response.set_coached_reps(did.coached_reps);
  response.set_uncoached_reps(did.uncoached_reps);
  return response;
}

}  // namespace cs::coaching
