// EventConsumer against devbroker and a real RocksDB store, with a sink
// that takes its time over each batch, so that rebalances land while a
// batch is being applied on its own thread (EventConsumer's pipeline): the
// sink must never be Reset while it applies, and every record must be
// committed exactly once across the revocation and the re-assignment.

#include <atomic>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/kafka/consumer.h"
#include "libs/kafka/producer.h"
#include "libs/kv/store.h"
#include "services/metrics/adapters/event_consumer.h"
#include "tests/integration/harness.h"

namespace cs::testing {
namespace {

constexpr char kTopic[] = "coaching.events.v1";
constexpr char kGroup[] = "event-consumer-test";

// Applies a batch slowly and keeps, for each (partition, offset), how
// often it was committed (made durable with its batch).
class SlowSink final : public metrics_service::BatchSink {
 public:
  absl::Status Apply(const kafka::Message& message) override {
    pending_.emplace_back(message.partition, message.offset);
    return absl::OkStatus();
  }
  absl::Status ApplyBatch(const std::vector<kafka::Message>& batch, std::unique_ptr<Decoded> decoded) override {
    applying_ = true;
    absl::SleepFor(absl::Milliseconds(150));
    absl::Status s = BatchSink::ApplyBatch(batch, std::move(decoded));
    applying_ = false;
    return s;
  }
  absl::Status Stage(kv::Batch&) override {
    std::lock_guard<std::mutex> lock(mu_);
    staged_.push_back(std::move(pending_));
    pending_.clear();
    return absl::OkStatus();
  }
  // The batch's writes are kept by the sink until Committed: the next batch
  // may be applied while the last one is written.
  bool ReadsOwnWrites() const override { return true; }
  void Committed() override {  // batches are committed in the order staged
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& po : staged_.front()) ++committed_[po];
    staged_.pop_front();
  }
  void Reset() override {
    if (applying_) ++resets_while_applying_;
    ++resets_;
    std::lock_guard<std::mutex> lock(mu_);
    pending_.clear();
    staged_.clear();
  }

  int resets_while_applying() const { return resets_while_applying_; }
  int resets() const { return resets_; }
  std::map<std::pair<int32_t, int64_t>, int> committed() const {
    std::lock_guard<std::mutex> lock(mu_);
    return committed_;
  }

 private:
  std::atomic<bool> applying_{false};
  std::atomic<int> resets_while_applying_{0};
  std::atomic<int> resets_{0};
  std::vector<std::pair<int32_t, int64_t>> pending_;  // applying thread only
  mutable std::mutex mu_;
  std::deque<std::vector<std::pair<int32_t, int64_t>>> staged_;  // by batch, not yet durable
  std::map<std::pair<int32_t, int64_t>, int> committed_;
};

TEST(EventConsumerTest, RebalancesWhileABatchIsAppliedLoseAndRepeatNothing) {
  TempDir dir;
  Broker broker = StartBroker(dir.path());
  constexpr int kRecords = 3000;
  {
    kafka::ProducerOptions po;
    po.client.bootstrap_servers = broker.bootstrap;
    auto producer = kafka::Producer::Create(po);
    ASSERT_TRUE(producer.ok()) << producer.status();
    kafka::DeliveryBatch batch;
    for (int i = 0; i < kRecords; ++i) {
      kafka::OutRecord r;
      r.topic = kTopic;
      r.key = absl::StrCat("rep-", i % 97);
      r.value = absl::StrCat("record ", i);
      ASSERT_TRUE((*producer)->Produce(r, &batch).ok());
    }
    ASSERT_TRUE((*producer)->Await(batch, absl::Seconds(30)).ok());
  }

  kv::StoreOptions so;
  so.path = dir.path() + "/state";
  so.column_families = {"offsets"};
  auto store = kv::Store::Open(so);
  ASSERT_TRUE(store.ok()) << store.status();
  SlowSink sink;
  prometheus::Registry registry;
  metrics_service::EventConsumerOptions options;
  options.consumer.client.bootstrap_servers = broker.bootstrap;
  options.consumer.group_id = kGroup;
  options.consumer.topics = {kTopic};
  options.max_batch = 40;  // ~75 batches of 150 ms: one is nearly always being applied
  auto consumer = metrics_service::EventConsumer::Create(options, store->get(), &sink, registry);
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  std::atomic<bool> stop{false};
  absl::Status run_status;
  std::thread runner([&] { run_status = (*consumer)->Run([&] { return stop.load(); }); });

  // A second member joins once the first is consuming, stays a few
  // seconds, and leaves: two rebalances, each revoking the first member's
  // partitions while it applies a batch.
  ASSERT_TRUE(WaitFor([&] { return !sink.committed().empty(); }, absl::Seconds(30)));
  {
    kafka::ConsumerOptions co;
    co.client.bootstrap_servers = broker.bootstrap;
    co.group_id = kGroup;
    co.topics = {kTopic};
    auto other = kafka::Consumer::Create(co);
    ASSERT_TRUE(other.ok()) << other.status();
    const absl::Time until = absl::Now() + absl::Seconds(8);
    while (absl::Now() < until) ASSERT_TRUE((*other)->Poll(100, absl::Milliseconds(100)).ok());
    ASSERT_TRUE((*other)->Close().ok());
  }
  const bool all = WaitFor([&] { return sink.committed().size() == static_cast<size_t>(kRecords); },
                           absl::Seconds(60));
  stop = true;
  runner.join();
  EXPECT_TRUE(run_status.ok()) << run_status;
  EXPECT_TRUE(all) << sink.committed().size() << " of " << kRecords << " records committed";
  // The first assignment, then a revocation and an assignment per rebalance.
  EXPECT_GE(sink.resets(), 3) << "the rebalances did not reach the consumer";
  EXPECT_EQ(sink.resets_while_applying(), 0);
  int repeated = 0;
  for (const auto& [po, n] : sink.committed()) repeated += n > 1 ? 1 : 0;
  EXPECT_EQ(repeated, 0) << "records committed more than once";
  std::printf("%d records, %d resets (rebalances), none while a batch was applied, each record committed once\n",
              kRecords, sink.resets());
}

}  // namespace
}  // namespace cs::testing
