#include "services/metrics/core/rep_inputs.h"

#include <algorithm>
#include <map>

#include "libs/base/status.h"
#include "services/metrics/core/agg_ops.h"
#include "services/metrics/core/keys.h"
#include "services/metrics/core/quota.h"

namespace cs::metrics {
namespace {

using coachstream::v1::OpenDealEntry;
using coachstream::v1::RepMonthBucket;
using coachstream::v1::RepPeriodAgg;
using coachstream::v1::WeekPart;
using coachstream::v1::RepRecord;

constexpr int64_t kSecondsPerDay = 86400;

// Changes of the period-end snapshots during one period.
struct Deltas {
  int64_t open_pipeline = 0;
  int64_t open_deals = 0;
  int64_t stalled = 0;
  int64_t open_deal_day_sum = 0;  // used for one period's own changes only

  void Add(const RepPeriodAgg& agg) {
    open_pipeline += agg.open_pipeline_delta_minor();
    open_deals += agg.open_deals_delta();
    stalled += agg.stalled_delta();
    open_deal_day_sum += agg.open_deal_day_sum_delta();
  }
  void Add(const Deltas& d) {
    open_pipeline += d.open_pipeline;
    open_deals += d.open_deals;
    stalled += d.stalled;
    open_deal_day_sum += d.open_deal_day_sum;
  }
};

// Days of period `p` that have begun by `today`.
int32_t ElapsedDays(const Period& p, absl::CivilDay today) {
  const absl::CivilDay first = PeriodFirstDay(p);
  if (today < first) return 0;
  return static_cast<int32_t>(std::min(PeriodEndDay(p), today + 1) - first);
}

// Open-deal-days of days [first, end) (civil day numbers) from the open
// count at `first` and the period's transitions: each deal open at the
// start counts end - first, one opened on day o adds end - o, one closed
// on day c takes back end - c. 0 for a period not begun.
int64_t OpenDealDays(int64_t open_at_start, int64_t open_delta, int64_t day_sum, int64_t first, int64_t end) {
  if (end <= first) return 0;
  return std::max<int64_t>(0, open_at_start * (end - first) + open_delta * end - day_sum);
}

// Index of `p` in the contiguous, sorted `periods`, or -1.
int IndexOf(const std::vector<Period>& periods, const Period& p) {
  auto it = std::lower_bound(periods.begin(), periods.end(), p);
  return it != periods.end() && *it == p ? static_cast<int>(it - periods.begin()) : -1;
}

// Aggregates of each period of the range, the running sums of the
// snapshot deltas up to each period's end and the period's open-deal-days
// (up to `today`), in one scan of the rep's month buckets (weeks and
// months: the sum of their parts; quarters: of their months).
absl::Status ScanAggregates(const StateScanner& scanner, std::string_view tenant, std::string_view rep,
                            const std::vector<Period>& periods, absl::CivilDay today,
                            std::vector<RepPeriodInputs>* out) {
  const PeriodKind kind = periods.front().kind;
  const Period& last = periods.back();
  const Period last_month = PeriodOfDay(PeriodKind::kMonth, PeriodEndDay(last) - 1);
  std::map<Period, Deltas> deltas;  // every period of the kind up to `last`
  bool tracked = true;  // the bucket being read records open-deal transition days
  auto credit = [&](const Period& p, const RepPeriodAgg& agg) {
    if (last < p) return;
    deltas[p].Add(agg);
    const int index = IndexOf(periods, p);
    if (index < 0) return;
    SumAgg(agg, &(*out)[index].agg);
    (*out)[index].has_agg = true;
    if (!tracked) (*out)[index].open_deal_days_known = false;
  };
  absl::Status status;
  CS_RETURN_IF_ERROR(scanner.Scan(AggRepPrefix(tenant, rep), [&](std::string_view key, std::string_view value) {
    Period month;
    if (!MonthFromAggKey(key, &month)) return true;
    if (last_month < month) return false;
    RepMonthBucket bucket;
    if (!bucket.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      status = absl::DataLossError("metrics state at key \"" + std::string(key) + "\" does not parse");
      return false;
    }
    // The month is the sum of its week parts (bucket.month() is a stale
    // copy in buckets written before 2026-12).
    const Period quarter{PeriodKind::kQuarter, month.year, (month.index - 1) / 3 + 1};
    tracked = bucket.open_deal_days();
    for (const WeekPart& part : bucket.weeks()) {
      credit(kind == PeriodKind::kWeek ? Period{PeriodKind::kWeek, part.iso_year(), part.week()}
             : kind == PeriodKind::kMonth ? month
                                          : quarter,
             part.agg());
    }
    return true;
  }));
  CS_RETURN_IF_ERROR(status);
  Deltas run;  // the running sums up to the period's start, then its end
  auto next = deltas.begin();
  for (size_t i = 0; i < periods.size(); ++i) {
    for (; next != deltas.end() && next->first < periods[i]; ++next) run.Add(next->second);
    const int64_t open_at_start = run.open_deals;
    Deltas own;
    if (next != deltas.end() && next->first == periods[i]) own = (next++)->second;
    run.Add(own);
    RepPeriodInputs& in = (*out)[i];
    in.open_pipeline_minor = run.open_pipeline;
    in.open_deals = run.open_deals;
    in.stalled_deals = run.stalled;
    const int64_t first = DayNumber(PeriodFirstDay(periods[i]));
    in.open_deal_days = OpenDealDays(open_at_start, own.open_deals, own.open_deal_day_sum, first,
                                     first + ElapsedDays(periods[i], today));
  }
  return absl::OkStatus();
}

// Last-activity instants (Unix seconds) of the rep's open deals.
absl::StatusOr<std::vector<int64_t>> OpenDealActivity(const StateScanner& scanner, std::string_view tenant,
                                                      std::string_view rep) {
  std::vector<int64_t> last_activity;
  absl::Status status;
  CS_RETURN_IF_ERROR(scanner.Scan(OpenDealPrefix(tenant, rep), [&](std::string_view key, std::string_view value) {
    OpenDealEntry entry;
    if (!entry.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      status = absl::DataLossError("metrics state at key \"" + std::string(key) + "\" does not parse");
      return false;
    }
    last_activity.push_back(entry.last_activity_s());
    return true;
  }));
  CS_RETURN_IF_ERROR(status);
  return last_activity;
}

}  // namespace

absl::TimeZone ResolveZone(const MetricsCoreOptions& options, std::string_view tenant,
                           const std::string& person_zone) {
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!person_zone.empty() && absl::LoadTimeZone(person_zone, &zone)) return zone;
  auto it = options.tenant_time_zones.find(std::string(tenant));
  absl::LoadTimeZone(it != options.tenant_time_zones.end() ? it->second : options.default_time_zone, &zone);
  return zone;
}

absl::StatusOr<std::optional<RepRecord>> LoadRepRecord(const StateReader& reader, std::string_view tenant,
                                                       std::string_view person_id) {
  CS_ASSIGN_OR_RETURN(std::optional<std::string> bytes, reader.Get(PersonKey(tenant, person_id)));
  if (!bytes) return std::optional<RepRecord>();
  RepRecord record;
  if (!record.ParseFromString(*bytes)) {
    return absl::DataLossError("directory record of \"" + std::string(person_id) + "\" does not parse");
  }
  return std::optional<RepRecord>(std::move(record));
}

absl::StatusOr<bool> HasAnyAggregate(const StateScanner& scanner, std::string_view tenant, std::string_view rep) {
  bool found = false;
  CS_RETURN_IF_ERROR(scanner.Scan(AggRepPrefix(tenant, rep), [&](std::string_view, std::string_view) {
    found = true;
    return false;
  }));
  return found;
}

absl::StatusOr<std::vector<RepPeriodInputs>> LoadRepInputs(const StateScanner& scanner,
                                                           const MetricsCoreOptions& options, absl::Time now,
                                                           std::string_view tenant, std::string_view rep,
                                                           const RepRecord* record, const Period& from,
                                                           const Period& to) {
  std::vector<Period> periods;
  for (Period p = from; !(to < p); p = NextPeriod(p)) periods.push_back(p);
  std::vector<RepPeriodInputs> out(periods.size());
  if (periods.empty()) return out;
  const absl::TimeZone zone = ResolveZone(options, tenant, record ? record->person().time_zone() : "");
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  CS_RETURN_IF_ERROR(ScanAggregates(scanner, tenant, rep, periods, today, &out));
  CS_ASSIGN_OR_RETURN(std::vector<int64_t> open_activity, OpenDealActivity(scanner, tenant, rep));

  const int64_t now_s = absl::ToUnixSeconds(now);
  const int64_t threshold = int64_t{options.stalled_after_days} * kSecondsPerDay;
  const bool active = record != nullptr && record->person().active() && !record->deleted();
  for (size_t i = 0; i < periods.size(); ++i) {
    RepPeriodInputs& in = out[i];
    const int64_t as_of_s = std::min(now_s, absl::ToUnixSeconds(PeriodEnd(periods[i], zone)));
    // Stalls still in progress: no activity since last + threshold.
    in.stalled_deals += std::count_if(open_activity.begin(), open_activity.end(),
                                      [&](int64_t last) { return last + threshold < as_of_s; });
    in.active = active || in.has_agg;
    in.role = record ? record->person().role() : coachstream::v1::ROLE_UNSPECIFIED;
    if (record) in.quota_minor = QuotaForPeriod(record->person(), periods[i]);
    in.as_of_day = DayNumber(today);
    in.elapsed_days = ElapsedDays(periods[i], today);
  }
  return out;
}

}  // namespace cs::metrics
