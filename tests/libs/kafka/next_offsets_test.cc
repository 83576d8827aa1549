#include <gtest/gtest.h>

#include "libs/kafka/consumer.h"

namespace cs::kafka {
namespace {

Message At(const std::string& topic, int32_t partition, int64_t offset) {
  Message m;
  m.topic = topic;
  m.partition = partition;
  m.offset = offset;
  return m;
}

TEST(NextOffsetsTest, OnePastTheHighestOffsetOfEachTopicPartition) {
  // Runs of one partition, a partition met again after another, the same
  // partition number on two topics, and offsets out of order within a run.
  std::vector<Message> batch = {At("a", 0, 5),  At("a", 0, 6), At("a", 1, 9), At("a", 0, 7),
                                At("b", 0, 40), At("b", 0, 3), At("a", 1, 8)};
  std::vector<TopicPartition> next = NextOffsets(batch);
  ASSERT_EQ(next.size(), 3u);
  EXPECT_EQ(next[0].topic, "a");
  EXPECT_EQ(next[0].partition, 0);
  EXPECT_EQ(next[0].offset, 8);
  EXPECT_EQ(next[1].topic, "a");
  EXPECT_EQ(next[1].partition, 1);
  EXPECT_EQ(next[1].offset, 10);
  EXPECT_EQ(next[2].topic, "b");
  EXPECT_EQ(next[2].partition, 0);
  EXPECT_EQ(next[2].offset, 41);
  EXPECT_TRUE(NextOffsets({}).empty());
}

// librdkafka's warning when a partition's fetch offset is gone from the
// broker, as 2.0 (Debian 12) and 2.1+ write it, and lines that are not it.
TEST(ParseOffsetResetTest, ReadsTopicPartitionAndTheOffsetThatWasGone) {
  OffsetReset r;
  ASSERT_TRUE(ParseOffsetReset("raw.calls.v1 [3]: offset reset (at offset 17, broker 1) to BEGINNING: fetch failed "
                               "due to requested offset not available on the broker: Broker: Offset out of range",
                               &r));
  EXPECT_EQ(r.topic, "raw.calls.v1");
  EXPECT_EQ(r.partition, 3);
  EXPECT_EQ(r.at, 17);
  EXPECT_NE(r.detail.find("Offset out of range"), std::string::npos);

  ASSERT_TRUE(ParseOffsetReset("a [b] c [12]: offset reset (at offset 10436673 (leader epoch 122), broker 70) to "
                               "offset BEGINNING (leader epoch -1): fetch failed",
                               &r));
  EXPECT_EQ(r.topic, "a [b] c");
  EXPECT_EQ(r.partition, 12);
  EXPECT_EQ(r.at, 10436673);

  ASSERT_TRUE(ParseOffsetReset("[thrd:main]: retention.test [0]: offset reset (at offset 0, broker 1) to cached "
                               "BEGINNING offset 291: fetch failed due to requested offset not available on the "
                               "broker: Broker: Offset out of range",
                               &r));
  EXPECT_EQ(r.topic, "retention.test");
  EXPECT_EQ(r.partition, 0);
  EXPECT_EQ(r.at, 0);
  EXPECT_EQ(r.detail.substr(0, 14), "retention.test");

  ASSERT_TRUE(ParseOffsetReset("t [0]: offset reset (at offset INVALID, broker -1) to END: no previously committed "
                               "offset available: Local: No offset stored",
                               &r));
  EXPECT_EQ(r.at, -1);

  EXPECT_FALSE(ParseOffsetReset("t [0]: fetch decide: updating to version 2", &r));
  EXPECT_FALSE(ParseOffsetReset("[0]: offset reset (at offset 1, broker 1) to END", &r));
  EXPECT_FALSE(ParseOffsetReset("t [x]: offset reset (at offset 1, broker 1) to END", &r));
  EXPECT_FALSE(ParseOffsetReset("[thrd:main]: t [0]: fetch backed off", &r));
}

}  // namespace
}  // namespace cs::kafka
