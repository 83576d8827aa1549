// The ingest adapter's parking over a real RocksDB store: a record parked
// for a person the directory already knows (learned between the core's
// lookup and the follower's callback, or a deal change waiting behind its
// owner change) is retried at the end of the batch, after the record it
// waits for.

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "coachstream/v1/event.pb.h"
#include "libs/kv/store.h"
#include "services/ingest/adapters/ingest_processor.h"
#include "tests/integration/harness.h"
#include "tests/services/ingest/test_support.h"

namespace cs::ingest::testing {
namespace {

constexpr char kOpp[] = "com.salesforce.cdc.OpportunityChangeEvent";
constexpr char kSfFile[] = "salesforce_opportunity_cdc.json";

kafka::Message Message(int64_t offset, const std::string& value) {
  RawRecord raw = Binary(kOpp, value);
  kafka::Message m;
  m.topic = "raw.crm.v1";
  m.partition = 0;
  m.offset = offset;
  m.key = "0065g00000QxYzTAAV";
  m.value = raw.value;
  for (const auto& [k, v] : raw.headers) m.headers.push_back({k, v});
  return m;
}

std::vector<coachstream::v1::Event> Deals(const ProcessResult& result) {
  std::vector<coachstream::v1::Event> out;
  for (const kafka::OutRecord& r : result.outputs) {
    coachstream::v1::Event e;
    if (r.topic == "coaching.events.v1" && e.ParseFromString(r.value.value_or("")) && e.has_deal()) {
      out.push_back(e);
    }
  }
  return out;
}

class ProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kv::StoreOptions options;
    options.path = dir_.path() + "/state";
    options.column_families = {"records", "parked"};
    auto store = kv::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    SeedDirectory(&directory_);
  }
  cs::testing::TempDir dir_;
  std::unique_ptr<kv::Store> store_;
  InMemoryDirectory directory_;
  ManualClock clock_{absl::FromUnixSeconds(1719792000)};
  prometheus::Registry registry_;
};

TEST_F(ProcessorTest, AChangeParkedForAKnownPersonIsRetriedAfterItsOwnerChange) {
  IngestProcessorOptions options;
  options.source = "crm";
  IngestProcessor processor(options, store_.get(), directory_, clock_, registry_);
  const coachstream::v1::Person known = Forget(&directory_, "p_dana");

  auto created = processor.Process(Message(10, FixtureText(kSfFile, "cometd_create")));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->outcome, "parked");
  ASSERT_TRUE(processor.OnBatchAcknowledged().ok());

  // The directory knows Dana now, but its follower has not called
  // PersonLearned yet: the next change of her deal still waits, and is
  // retried with the create at the end of this batch.
  directory_.Upsert(known);
  auto won = processor.Process(Message(11, FixtureText(kSfFile, "cometd_update_stage_closed_won")));
  ASSERT_TRUE(won.ok()) << won.status();
  EXPECT_EQ(won->outcome, "parked");
  auto released = processor.TakeReleased();
  ASSERT_TRUE(released.ok()) << released.status();
  ASSERT_EQ(released->size(), 2u);
  std::vector<std::string> moves;
  for (const ProcessResult& r : *released) {
    for (const auto& e : Deals(r)) {
      EXPECT_EQ(e.rep_id(), "p_dana");
      moves.push_back(coachstream::v1::DealStage_Name(e.deal().previous_stage()) + ">" +
                      coachstream::v1::DealStage_Name(e.deal().stage()));
    }
  }
  EXPECT_EQ(moves, (std::vector<std::string>{"DEAL_STAGE_UNSPECIFIED>DEAL_STAGE_PROSPECTING",
                                             "DEAL_STAGE_PROSPECTING>DEAL_STAGE_CLOSED_WON"}));
  ASSERT_TRUE(processor.OnBatchAcknowledged().ok());
  EXPECT_EQ(processor.parked_count(), 0);
  auto again = processor.TakeReleased();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

}  // namespace
}  // namespace cs::ingest::testing
