#pragma once

// Small mutators of RepPeriodAgg shared by the ingestion rules. Every
// credit has an exact inverse (a reversal subtracts what was added), which
// is what makes reopen, unlink and snapshot replacement exact.

#include <cstdint>

#include "coachstream/v1/metrics_state.pb.h"

namespace cs::metrics {

// Adds `delta` to element `index` of a repeated counter, growing it.
void AddAt(google::protobuf::RepeatedField<int64_t>* counters, int index, int64_t delta);

// Adds to the scheduled-meeting counts of civil day `day` (kept sorted,
// rows that fall to all-zero are removed).
void AddScheduled(coachstream::v1::RepPeriodAgg* agg, int32_t day, int32_t customer_meetings,
                  int32_t one_on_ones, int32_t one_on_one_minutes, int32_t first_meetings = 0);

// Adds a won deal's cycle days to the bounded sample, or counts it as
// unsampled when the sample is full (or cycle_days < 0: unknown).
void AddCycleSample(coachstream::v1::RepPeriodAgg* agg, int32_t cycle_days, int max_samples);
// Inverse of AddCycleSample: removes one sample of that value, else one unsampled.
void RemoveCycleSample(coachstream::v1::RepPeriodAgg* agg, int32_t cycle_days);

// Adds (sign +1) or removes (sign -1) one won deal's amount, discount and
// their squares.
void AddWon(coachstream::v1::RepPeriodAgg* agg, int64_t amount_minor, int32_t discount_bps, int sign);

// A deal enters (sign +1) or leaves (sign -1) the rep's open deals on
// civil day `day` with `amount_minor`: the open pipeline, the open count
// and the day sum behind open-deal-days move together.
void MoveOpenDeal(coachstream::v1::RepPeriodAgg* agg, int sign, int64_t amount_minor, int32_t day);

// The aggregate of ISO week (iso_year, week) in `bucket`, added (kept
// sorted) if missing. The returned pointer stays valid while the bucket
// lives: later additions only reorder element pointers.
coachstream::v1::RepPeriodAgg* WeekPartOf(coachstream::v1::RepMonthBucket* bucket, int iso_year, int week);

// into += from, field by field (see the RepPeriodAgg comment for how each
// kind of field adds). Used to assemble quarters and month-straddling weeks.
void SumAgg(const coachstream::v1::RepPeriodAgg& from, coachstream::v1::RepPeriodAgg* into);

}  // namespace cs::metrics
