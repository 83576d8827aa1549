#include "services/metrics/core/agg_ops.h"

#include <algorithm>
#include <cstdlib>
#include <utility>
#include <vector>

#include "google/protobuf/reflection.h"

namespace cs::metrics {

using coachstream::v1::RepPeriodAgg;
using coachstream::v1::ScheduledDayCounts;

void AddAt(google::protobuf::RepeatedField<int64_t>* counters, int index, int64_t delta) {
  while (counters->size() <= index) counters->Add(0);
  counters->Set(index, counters->Get(index) + delta);
}

void AddScheduled(RepPeriodAgg* agg, int32_t day, int32_t customer_meetings, int32_t one_on_ones,
                  int32_t one_on_one_minutes, int32_t first_meetings) {
  auto* days = agg->mutable_scheduled_days();
  int pos = 0;
  while (pos < days->size() && days->Get(pos).day() < day) ++pos;
  if (pos == days->size() || days->Get(pos).day() != day) {
    days->Add()->set_day(day);
    // Move the new row from the end to its sorted position.
    for (int i = days->size() - 1; i > pos; --i) days->SwapElements(i, i - 1);
  }
  ScheduledDayCounts* row = days->Mutable(pos);
  row->set_customer_meetings(row->customer_meetings() + customer_meetings);
  row->set_one_on_ones(row->one_on_ones() + one_on_ones);
  row->set_one_on_one_minutes(row->one_on_one_minutes() + one_on_one_minutes);
  row->set_first_meetings(row->first_meetings() + first_meetings);
  if (row->customer_meetings() == 0 && row->one_on_ones() == 0 && row->one_on_one_minutes() == 0 &&
      row->first_meetings() == 0) {
    days->DeleteSubrange(pos, 1);
  }
}

void AddCycleSample(RepPeriodAgg* agg, int32_t cycle_days, int max_samples) {
  if (cycle_days >= 0 && agg->won_cycle_days_size() < max_samples) {
    agg->add_won_cycle_days(cycle_days);
  } else {
    agg->set_won_cycle_unsampled(agg->won_cycle_unsampled() + 1);
  }
}

void RemoveCycleSample(RepPeriodAgg* agg, int32_t cycle_days) {
  auto* samples = agg->mutable_won_cycle_days();
  if (cycle_days >= 0) {
    auto it = std::find(samples->begin(), samples->end(), cycle_days);
    if (it != samples->end()) {
      samples->erase(it);
      return;
    }
  }
  agg->set_won_cycle_unsampled(agg->won_cycle_unsampled() - 1);
}

namespace {

// The square of an amount in hundreds of minor units, saturating (a sum of
// squares is a spread estimate: precision below one unit does not matter,
// and the same input always gives the same term, so removal is exact).
int64_t AmountSquare(int64_t amount_minor) {
  constexpr int64_t kMaxRoot = 3'000'000'000;  // (3e9)^2 < 2^63
  const int64_t hundreds = std::min(kMaxRoot, std::abs(amount_minor) / 100);
  return hundreds * hundreds;
}

}  // namespace

void AddWon(RepPeriodAgg* agg, int64_t amount_minor, int32_t discount_bps, int sign) {
  const int64_t discount = discount_bps;
  agg->set_won_amount_minor(agg->won_amount_minor() + sign * amount_minor);
  agg->set_won_discount_bps_sum(agg->won_discount_bps_sum() + sign * discount);
  agg->set_won_amount_sq_hundreds(agg->won_amount_sq_hundreds() + sign * AmountSquare(amount_minor));
  agg->set_won_discount_bps_sq(agg->won_discount_bps_sq() + sign * discount * discount);
}

void MoveOpenDeal(RepPeriodAgg* agg, int sign, int64_t amount_minor, int32_t day) {
  agg->set_open_pipeline_delta_minor(agg->open_pipeline_delta_minor() + sign * amount_minor);
  agg->set_open_deals_delta(agg->open_deals_delta() + sign);
  agg->set_open_deal_day_sum_delta(agg->open_deal_day_sum_delta() + int64_t{sign} * day);
}

RepPeriodAgg* WeekPartOf(coachstream::v1::RepMonthBucket* bucket, int iso_year, int week) {
  auto* parts = bucket->mutable_weeks();
  const auto key = std::make_pair(iso_year, week);
  int pos = 0;
  while (pos < parts->size() && std::make_pair(parts->Get(pos).iso_year(), parts->Get(pos).week()) < key) ++pos;
  if (pos < parts->size() && parts->Get(pos).iso_year() == iso_year && parts->Get(pos).week() == week) {
    return parts->Mutable(pos)->mutable_agg();
  }
  coachstream::v1::WeekPart* part = parts->Add();
  part->set_iso_year(iso_year);
  part->set_week(week);
  for (int i = parts->size() - 1; i > pos; --i) parts->SwapElements(i, i - 1);
  return part->mutable_agg();
}

void SumAgg(const RepPeriodAgg& from, RepPeriodAgg* into) {
  // Reflection keeps this in step with new fields; it runs on the query
  // path only. agg_ops_test checks that every field kind is covered.
  const google::protobuf::Reflection* r = from.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(from, &fields);
  for (const google::protobuf::FieldDescriptor* f : fields) {
    using google::protobuf::FieldDescriptor;
    if (!f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
      r->SetInt64(into, f, r->GetInt64(*into, f) + r->GetInt64(from, f));
    } else if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
      const auto add = r->GetRepeatedFieldRef<int64_t>(from, f);
      auto counters = r->GetMutableRepeatedFieldRef<int64_t>(into, f);
      for (int i = 0; i < add.size(); ++i) {
        while (counters.size() <= i) counters.Add(0);
        counters.Set(i, counters.Get(i) + add.Get(i));
      }
    } else if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
      auto samples = r->GetMutableRepeatedFieldRef<int32_t>(into, f);
      for (int32_t v : r->GetRepeatedFieldRef<int32_t>(from, f)) samples.Add(v);
    } else if (f->number() == RepPeriodAgg::kScheduledDaysFieldNumber) {
      for (const ScheduledDayCounts& row : from.scheduled_days()) {
        AddScheduled(into, row.day(), row.customer_meetings(), row.one_on_ones(), row.one_on_one_minutes(),
                     row.first_meetings());
      }
    }
  }
}

}  // namespace cs::metrics
