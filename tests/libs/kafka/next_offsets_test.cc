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

}  // namespace
}  // namespace cs::kafka
