#include "services/metrics/core/agg_ops.h"

#include <gtest/gtest.h>

#include "google/protobuf/util/message_differencer.h"

namespace cs::metrics {
namespace {

using coachstream::v1::RepPeriodAgg;
using google::protobuf::FieldDescriptor;

// Every field of RepPeriodAgg set to a distinct non-zero value.
RepPeriodAgg EveryFieldSet() {
  RepPeriodAgg agg;
  const google::protobuf::Reflection* r = agg.GetReflection();
  const google::protobuf::Descriptor* d = agg.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const int64_t v = 10 + f->number();
    if (f->number() == RepPeriodAgg::kScheduledDaysFieldNumber) {
      AddScheduled(&agg, 19000, 1, 2, 30);
    } else if (!f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
      r->SetInt64(&agg, f, v);
    } else if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
      r->AddInt64(&agg, f, v);
      r->AddInt64(&agg, f, v + 1);
    } else if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
      r->AddInt32(&agg, f, static_cast<int32_t>(v));
    } else {
      ADD_FAILURE() << "SumAgg does not know how to add field " << f->name();
    }
  }
  return agg;
}

TEST(AggOpsTest, SumAggAddsEveryField) {
  const RepPeriodAgg one = EveryFieldSet();
  RepPeriodAgg sum;
  SumAgg(one, &sum);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(sum, one)) << sum.DebugString();
  SumAgg(one, &sum);
  EXPECT_EQ(sum.calls_made(), 2 * one.calls_made());
  EXPECT_EQ(sum.stage_advanced(1), 2 * one.stage_advanced(1));
  EXPECT_EQ(sum.won_cycle_days_size(), 2);           // samples concatenate
  ASSERT_EQ(sum.scheduled_days_size(), 1);           // days merge
  EXPECT_EQ(sum.scheduled_days(0).one_on_one_minutes(), 60);
}

TEST(AggOpsTest, ScheduledDaysStaySortedAndDropZeroRows) {
  RepPeriodAgg agg;
  AddScheduled(&agg, 20, 1, 0, 0);
  AddScheduled(&agg, 10, 1, 0, 0);
  AddScheduled(&agg, 15, 0, 1, 30);
  ASSERT_EQ(agg.scheduled_days_size(), 3);
  EXPECT_EQ(agg.scheduled_days(0).day(), 10);
  EXPECT_EQ(agg.scheduled_days(2).day(), 20);
  AddScheduled(&agg, 15, 0, -1, -30);
  EXPECT_EQ(agg.scheduled_days_size(), 2);
}

TEST(AggOpsTest, WeekPartsStaySortedAndPointersStayValid) {
  coachstream::v1::RepMonthBucket bucket;
  RepPeriodAgg* w27 = WeekPartOf(&bucket, 2024, 27);
  w27->set_calls_made(1);
  RepPeriodAgg* w26 = WeekPartOf(&bucket, 2024, 26);
  w26->set_calls_made(2);
  EXPECT_EQ(WeekPartOf(&bucket, 2024, 27), w27);
  EXPECT_EQ(bucket.weeks(0).week(), 26);
  EXPECT_EQ(bucket.weeks(1).agg().calls_made(), 1);
  w27->set_calls_made(5);
  EXPECT_EQ(bucket.weeks(1).agg().calls_made(), 5);
}

}  // namespace
}  // namespace cs::metrics
