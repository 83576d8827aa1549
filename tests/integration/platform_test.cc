// The platform spine as real processes: devbroker with the DESIGN.md topics
// (checked with our client and with kcat), every service healthy with
// /metrics, a clean exit on SIGTERM, a one-line error on bad config, and the
// consumer's lag.

#include <csignal>
#include <cstdio>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "libs/kafka/consumer.h"
#include "tests/integration/harness.h"

namespace cs::testing {
namespace {

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

class PlatformTest : public ::testing::Test {
 protected:
  void SetUp() override { broker_ = StartBroker(dir_.path()); }
  TempDir dir_;
  Broker broker_;
};

TEST_F(PlatformTest, BrokerServesDesignTopicsToOurClientAndKcat) {
  kafka::ClientOptions client;
  client.bootstrap_servers = broker_.bootstrap;
  auto topics = kafka::ListTopics(client, absl::Seconds(5));
  ASSERT_TRUE(topics.ok()) << topics.status();
  std::map<std::string, int> got;
  for (const auto& t : *topics) got[t.name] = t.partitions;
  for (const char* name : {"raw.crm.v1", "raw.calls.v1", "raw.calendar.v1", "raw.org.v1",
                           "coaching.events.v1", "org.directory.v1", "dlq.v1", "coaching.alerts.v1"}) {
    EXPECT_GT(got[name], 0) << name;
  }
  EXPECT_EQ(got["coaching.events.v1"], 12);

  std::string listing = Shell("kcat -b " + broker_.bootstrap + " -L 2>&1");
  EXPECT_NE(listing.find("topic \"coaching.events.v1\" with 12 partitions"), std::string::npos) << listing;
  Shell("printf 'hello\\n' | kcat -b " + broker_.bootstrap + " -P -t raw.org.v1 -k k1 2>&1");
  std::string consumed =
      Shell("kcat -b " + broker_.bootstrap + " -C -t raw.org.v1 -o beginning -e -q -f '%k=%s\\n' 2>&1");
  EXPECT_NE(consumed.find("k1=hello"), std::string::npos) << consumed;
}

// Consumer::Lag() decides when the metrics service is caught up (and so when
// alerts may judge people): once partitions are assigned it must not read 0
// while records are unread, e.g. before some partitions were fetched at all,
// and must reach 0 for a consumer that resumes at the end without consuming
// anything.
TEST_F(PlatformTest, ConsumerLagIsZeroExactlyWhenEverythingIsConsumed) {
  const std::string topic = "coaching.events.v1";  // 12 partitions
  std::vector<kafka::OutRecord> records;
  for (int i = 0; i < 600; ++i) {
    kafka::OutRecord r;
    r.topic = topic;
    r.key = "acme/rep-" + std::to_string(i % 9);  // 9 keys: some partitions stay empty
    r.value = "v" + std::to_string(i);
    records.push_back(std::move(r));
  }
  ProduceAll(broker_.bootstrap, records);

  kafka::ConsumerOptions options;
  options.client.bootstrap_servers = broker_.bootstrap;
  options.group_id = "lag-test";
  options.topics = {topic};
  auto reader = kafka::Consumer::Create(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<kafka::Message> consumed;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (consumed.size() < records.size() && absl::Now() < deadline) {
    auto polled = (*reader)->Poll(7, absl::Milliseconds(100));
    ASSERT_TRUE(polled.ok()) << polled.status();
    for (auto& m : *polled) consumed.push_back(std::move(m));
    if (consumed.size() < records.size() && !(*reader)->Assignment().empty()) {
      ASSERT_NE((*reader)->Lag(), 0) << consumed.size() << " of " << records.size() << " consumed";
    }
  }
  ASSERT_EQ(consumed.size(), records.size());
  EXPECT_TRUE(WaitFor([&] { return (*reader)->Poll(1, absl::Milliseconds(50)).ok() && (*reader)->Lag() == 0; },
                      absl::Seconds(10)));

  // Another group resumes every partition at its end (as the metrics service
  // does from its stored offsets after a restart): nothing to consume, lag 0.
  std::map<int32_t, int64_t> end;
  for (const kafka::TopicPartition& tp : kafka::NextOffsets(consumed)) end[tp.partition] = tp.offset;
  options.group_id = "lag-test-resumed";
  options.on_assign = [&](const std::vector<kafka::TopicPartition>& parts) {
    std::vector<kafka::TopicPartition> out = parts;
    for (kafka::TopicPartition& tp : out) tp.offset = end.count(tp.partition) ? end[tp.partition] : 0;
    return out;
  };
  auto resumed = kafka::Consumer::Create(options);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_TRUE(WaitFor(
      [&] {
        auto polled = (*resumed)->Poll(10, absl::Milliseconds(50));
        return polled.ok() && polled->empty() && !(*resumed)->Assignment().empty() && (*resumed)->Lag() == 0;
      },
      absl::Seconds(20)));
}

// librdkafka's own log lines (here: a refused connection) reach our JSON
// log as "librdkafka" lines; the producer's event_cb used to drop them.
TEST(LibrdkafkaLogTest, AProducersConnectionFailureIsLoggedAsJson) {
  kafka::ProducerOptions options;
  options.client.bootstrap_servers = "127.0.0.1:1";  // nothing listens there
  options.client.properties["message.timeout.ms"] = "1500";  // the record fails, nothing left to flush
  auto producer = kafka::Producer::Create(options);
  ASSERT_TRUE(producer.ok()) << producer.status();
  ::testing::internal::CaptureStderr();
  kafka::DeliveryBatch delivery;
  kafka::OutRecord r;
  r.topic = "raw.crm.v1";
  r.value = "x";
  ASSERT_TRUE((*producer)->Produce(r, &delivery).ok());
  EXPECT_FALSE((*producer)->Await(delivery, absl::Seconds(5)).ok());
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("\"msg\":\"librdkafka\""), std::string::npos) << err;
  EXPECT_NE(err.find("Connection refused"), std::string::npos) << err;
}

// A consumer resuming at an offset the broker no longer has (retention
// deleted it; devbroker keeps ~5 MiB per partition) is moved elsewhere by
// librdkafka (auto.offset.reset). The records in between must not vanish
// silently. The fixture writes ~8 MiB into one partition, so that its
// oldest records are gone, and consumes it from offset 0.
class OffsetResetTest : public ::testing::Test {
 protected:
  static constexpr int kRecords = 800;  // of 10 KiB

  void SetUp() override {
    broker_ = StartBroker(dir_.path(), "retention.test:1");
    std::vector<kafka::OutRecord> records;
    for (int i = 0; i < kRecords; ++i) {
      kafka::OutRecord r;
      r.topic = "retention.test";
      r.key = "k";
      r.value = std::string(10 * 1024, static_cast<char>('a' + i % 26));
      records.push_back(std::move(r));
    }
    ProduceAll(broker_.bootstrap, records);
  }

  // A group consumer that resumes the partition at 0 (as from a stored
  // position) and collects the resets it reports in resets_.
  kafka::ConsumerOptions Options(const std::string& group) {
    kafka::ConsumerOptions options;
    options.client.bootstrap_servers = broker_.bootstrap;
    options.group_id = group;
    options.topics = {"retention.test"};
    options.on_assign = [](const std::vector<kafka::TopicPartition>& parts) {
      std::vector<kafka::TopicPartition> out = parts;
      for (kafka::TopicPartition& tp : out) tp.offset = 0;
      return out;
    };
    options.on_offset_reset = [this](const kafka::OffsetReset& r) { resets_.push_back(r); };
    return options;
  }

  TempDir dir_;
  Broker broker_;
  std::vector<kafka::OffsetReset> resets_;
};

// Reset to the earliest record left: the consumer reports the reset with
// how many it skipped, and skipped + read is everything that was written.
TEST_F(OffsetResetTest, RecordsDeletedBeforeTheyWereReadAreReportedAsSkipped) {
  auto consumer = kafka::Consumer::Create(Options("reset-test"));
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  std::vector<int64_t> offsets;
  int64_t skipped = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (static_cast<int64_t>(offsets.size()) + skipped < kRecords && absl::Now() < deadline) {
    auto polled = (*consumer)->Poll(100, absl::Milliseconds(100));
    ASSERT_TRUE(polled.ok()) << polled.status();
    for (const kafka::Message& m : *polled) offsets.push_back(m.offset);
    skipped = 0;
    for (const kafka::OffsetReset& r : resets_) skipped += r.skipped;
  }
  ASSERT_EQ(resets_.size(), 1u) << offsets.size() << " read";
  EXPECT_EQ(resets_[0].topic, "retention.test");
  EXPECT_EQ(resets_[0].partition, 0);
  EXPECT_EQ(resets_[0].at, 0);
  ASSERT_FALSE(offsets.empty());
  EXPECT_EQ(resets_[0].resumed, offsets.front());
  EXPECT_GT(resets_[0].skipped, 0);
  EXPECT_EQ(resets_[0].skipped, offsets.front());
  EXPECT_EQ(static_cast<int64_t>(offsets.size()) + skipped, kRecords);
  EXPECT_EQ(offsets.back(), kRecords - 1);
}

// Reset to the end (auto.offset.reset=latest) of a partition that gets no
// new record: nothing is read after the reset, and the reset is still
// reported when the consumer closes, with the skipped count unknown.
TEST_F(OffsetResetTest, AResetNotFollowedByARecordIsReportedAtClose) {
  kafka::ConsumerOptions options = Options("reset-to-end-test");
  options.auto_offset_reset = "latest";
  auto consumer = kafka::Consumer::Create(options);
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  size_t read = 0;
  absl::Time assigned = absl::InfiniteFuture();
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < std::min(deadline, assigned + absl::Seconds(5))) {
    auto polled = (*consumer)->Poll(100, absl::Milliseconds(100));
    ASSERT_TRUE(polled.ok()) << polled.status();
    read += polled->size();
    if (assigned == absl::InfiniteFuture() && !(*consumer)->Assignment().empty()) assigned = absl::Now();
  }
  EXPECT_EQ(read, 0u);
  EXPECT_TRUE(resets_.empty());
  ASSERT_TRUE((*consumer)->Close().ok());
  ASSERT_EQ(resets_.size(), 1u);
  EXPECT_EQ(resets_[0].at, 0);
  EXPECT_EQ(resets_[0].resumed, -1);
  EXPECT_EQ(resets_[0].skipped, 0);
}

// Poll's byte bound: a batch ends with the record whose value reaches it,
// whatever the record count allows; the next Poll goes on from there.
TEST_F(PlatformTest, PollStopsAtTheRecordThatReachesTheByteBound) {
  std::vector<kafka::OutRecord> records;
  for (int i = 0; i < 10; ++i) {
    kafka::OutRecord r;
    r.topic = "raw.crm.v1";
    r.key = "one-partition";
    r.value = std::string(100 * 1024, static_cast<char>('a' + i));
    records.push_back(std::move(r));
  }
  ProduceAll(broker_.bootstrap, records);
  kafka::ConsumerOptions options;
  options.client.bootstrap_servers = broker_.bootstrap;
  options.group_id = "byte-bound-test";
  options.topics = {"raw.crm.v1"};
  auto consumer = kafka::Consumer::Create(options);
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  std::vector<size_t> batches;
  size_t read = 0;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (read < records.size() && absl::Now() < deadline) {
    // Give the fetcher time to queue everything, so that only the bound cuts.
    auto polled = (*consumer)->Poll(100, absl::Milliseconds(500), 250 * 1024);
    ASSERT_TRUE(polled.ok()) << polled.status();
    if (polled->empty()) continue;
    for (const kafka::Message& m : *polled) EXPECT_EQ(m.value.at(0), static_cast<char>('a' + m.offset));
    read += polled->size();
    batches.push_back(polled->size());
  }
  ASSERT_EQ(read, records.size());
  for (size_t n : batches) EXPECT_LE(n, 3u);  // 3 x 100 KiB reach 250 KiB
  EXPECT_GE(batches.size(), 4u);
}

TEST_F(PlatformTest, EveryServiceIsHealthyServesMetricsAndStopsCleanly) {
  struct Spec {
    std::string name, binary;
    std::vector<std::string> args;
    std::string health_name;
  };
  std::vector<Spec> specs = {
      {"ingest-crm", "ingest", {"--source=crm"}, ""},
      {"metrics", "metrics", {}, "coachstream.v1.MetricsService"},
      {"coaching", "coaching", {}, "coachstream.v1.CoachingService"},
  };
  for (auto& spec : specs) {
    SCOPED_TRACE(spec.name);
    Service svc = StartService(spec.name, spec.binary, broker_.bootstrap, dir_.path(), spec.args);
    ASSERT_TRUE(WaitServing(svc.grpc_port, absl::Seconds(10))) << svc.process->Stderr();
    if (!spec.health_name.empty()) {
      EXPECT_EQ(HealthStatus(svc.grpc_port, spec.health_name), "SERVING");
    }
    auto metrics = HttpGet(svc.metrics_port, "/metrics");
    ASSERT_TRUE(metrics.has_value());
    EXPECT_NE(metrics->find("coachstream_build_info"), std::string::npos) << *metrics;
    auto code = svc.process->Stop(SIGTERM, absl::Seconds(15));
    ASSERT_TRUE(code.has_value()) << "did not exit within 15 s of SIGTERM";
    EXPECT_EQ(*code, 0) << svc.process->Stderr();
    EXPECT_NE(svc.process->Stderr().find("stopped cleanly"), std::string::npos);
  }
}

TEST_F(PlatformTest, BadConfigurationExitsWithOneLineNamingTheSetting) {
  struct Case {
    std::string binary;
    std::vector<std::string> args;
    std::string expect;
  };
  std::vector<Case> cases = {
      {"ingest", {"--source=ftp"}, "--source"},
      {"metrics", {"--default_time_zone=Mars/Olympus"}, "--default_time_zone"},
      {"coaching", {"--log_level=loud"}, "--log_level"},
      {"metrics", {"--kafka_properties=nonsense"}, "--kafka_properties"},
  };
  int i = 0;
  for (auto& c : cases) {
    std::vector<std::string> args = c.args;
    args.push_back("--state_dir=" + dir_.path() + "/state");
    Process p("bad" + std::to_string(i++), c.binary, args, dir_.path());
    auto code = p.Wait(absl::Seconds(10));
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 2) << p.Stderr();
    std::string err = p.Stderr();
    EXPECT_NE(err.find(c.expect), std::string::npos) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }
}

TEST_F(PlatformTest, IngestNeverDropsARecordItCannotUse) {
  Service svc = StartService("ingest-calls", "ingest", broker_.bootstrap, dir_.path(), {"--source=calls"});
  ASSERT_TRUE(WaitServing(svc.grpc_port, absl::Seconds(10)));
  Shell("printf '{not json\\n' | kcat -b " + broker_.bootstrap + " -P -t raw.calls.v1 -k bad1 2>&1");
  std::string dlq;
  for (int i = 0; i < 100 && dlq.find("bad1") == std::string::npos; ++i) {
    dlq = Shell("kcat -b " + broker_.bootstrap +
              " -C -t dlq.v1 -o beginning -e -q -f '%k %h\\n' 2>&1");
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_NE(dlq.find("bad1"), std::string::npos) << dlq << svc.process->Stderr();
  EXPECT_NE(dlq.find("dlq_reason="), std::string::npos) << dlq;
  EXPECT_NE(dlq.find("dlq_source_topic=raw.calls.v1"), std::string::npos) << dlq;
  auto code = svc.process->Stop(SIGTERM, absl::Seconds(15));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
}

// Ingest restarted after the broker deleted the raw records at its stored
// offset (devbroker keeps ~5 MiB per partition): the records it never read
// are counted as skipped, and what it handled plus what it skipped is
// everything produced while it was down.
TEST_F(PlatformTest, IngestCountsRawRecordsDeletedBeforeItReadThem) {
  auto records = [](int n, size_t bytes) {
    std::vector<kafka::OutRecord> out;
    for (int i = 0; i < n; ++i) {
      kafka::OutRecord r;
      r.topic = "raw.calls.v1";
      r.key = "one-partition";
      r.value = "{not json " + std::string(bytes, 'x');  // dead-lettered, so every offset is handled
      out.push_back(std::move(r));
    }
    return out;
  };
  const std::string handled = "coachstream_ingest_records_total";
  {
    Service svc = StartService("ingest-calls", "ingest", broker_.bootstrap, dir_.path(), {"--source=calls"});
    ASSERT_TRUE(WaitServing(svc.grpc_port, absl::Seconds(10)));
    ProduceAll(broker_.bootstrap, records(20, 100));
    ASSERT_TRUE(WaitFor([&] { return SumMetric(svc.metrics_port, handled) >= 20; }, absl::Seconds(30)))
        << svc.process->Stderr();
    ASSERT_EQ(svc.process->Stop(SIGTERM, absl::Seconds(15)), 0) << svc.process->Stderr();
  }
  ProduceAll(broker_.bootstrap, records(700, 10 * 1024));  // ~7 MiB: the oldest records are deleted

  Service svc = StartService("ingest-calls", "ingest", broker_.bootstrap, dir_.path(), {"--source=calls"});
  const std::string skipped = "coachstream_kafka_records_skipped_total";
  ASSERT_TRUE(WaitFor([&] { return SumMetric(svc.metrics_port, handled) + SumMetric(svc.metrics_port, skipped) >= 700; },
                      absl::Seconds(60)))
      << "handled " << SumMetric(svc.metrics_port, handled) << ", skipped " << SumMetric(svc.metrics_port, skipped)
      << "\n" << svc.process->Stderr();
  EXPECT_EQ(SumMetric(svc.metrics_port, "coachstream_kafka_offset_resets_total"), 1);
  EXPECT_GT(SumMetric(svc.metrics_port, skipped), 0);
  EXPECT_EQ(SumMetric(svc.metrics_port, handled) + SumMetric(svc.metrics_port, skipped), 700);
}

}  // namespace
}  // namespace cs::testing
