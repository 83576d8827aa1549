// kafka::ParseOffsetReset: librdkafka's warning when a partition's fetch
// offset is gone from the broker, as 2.0 (Debian 12) and 2.1+ write it,
// with and without the thread prefix, and lines that are not it.

#include <gtest/gtest.h>

#include "libs/kafka/consumer.h"

namespace cs::kafka {
namespace {

struct Case {
  const char* line;
  std::string topic;
  int32_t partition;
  int64_t at;
  std::string detail_has;  // a part of the detail kept
};

TEST(ParseOffsetResetTest, ReadsTopicPartitionAndTheOffsetThatWasGone) {
  const Case cases[] = {
      {"raw.calls.v1 [3]: offset reset (at offset 17, broker 1) to BEGINNING: fetch failed due to requested "
       "offset not available on the broker: Broker: Offset out of range",
       "raw.calls.v1", 3, 17, "Offset out of range"},
      {"a [b] c [12]: offset reset (at offset 10436673 (leader epoch 122), broker 70) to offset BEGINNING "
       "(leader epoch -1): fetch failed",
       "a [b] c", 12, 10436673, "leader epoch 122"},
      {"[thrd:main]: retention.test [0]: offset reset (at offset 0, broker 1) to cached BEGINNING offset 291: "
       "fetch failed due to requested offset not available on the broker: Broker: Offset out of range",
       "retention.test", 0, 0, "retention.test [0]"},
      {"t [0]: offset reset (at offset INVALID, broker -1) to END: no previously committed offset available: "
       "Local: No offset stored",
       "t", 0, -1, "No offset stored"},
  };
  for (const Case& c : cases) {
    OffsetReset r;
    ASSERT_TRUE(ParseOffsetReset(c.line, &r)) << c.line;
    EXPECT_EQ(r.topic, c.topic) << c.line;
    EXPECT_EQ(r.partition, c.partition) << c.line;
    EXPECT_EQ(r.at, c.at) << c.line;
    EXPECT_NE(r.detail.find(c.detail_has), std::string::npos) << r.detail;
    EXPECT_EQ(r.detail.rfind("[thrd:", 0), std::string::npos) << "the thread prefix is dropped: " << r.detail;
  }
}

TEST(ParseOffsetResetTest, OtherLinesAreNotResets) {
  OffsetReset r;
  for (const char* line : {"t [0]: fetch decide: updating to version 2",
                           "[0]: offset reset (at offset 1, broker 1) to END",
                           "t [x]: offset reset (at offset 1, broker 1) to END",
                           "[thrd:main]: t [0]: fetch backed off"}) {
    EXPECT_FALSE(ParseOffsetReset(line, &r)) << line;
  }
}

}  // namespace
}  // namespace cs::kafka
