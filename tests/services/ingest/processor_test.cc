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

kafka::Message Message(int64_t offset, const std::string& value, const char* type = kOpp,
                       const char* topic = "raw.crm.v1") {
  RawRecord raw = Binary(type, value);
  kafka::Message m;
  m.topic = topic;
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

// The people a result's meeting events credit.
std::vector<std::string> Credited(const ProcessResult& result) {
  std::vector<std::string> out;
  for (const kafka::OutRecord& r : result.outputs) {
    coachstream::v1::Event e;
    if (r.topic == "coaching.events.v1" && e.ParseFromString(r.value.value_or("")) && e.has_meeting()) {
      out.push_back(e.rep_id());
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

// A meeting credited while one of its internal participants was unknown
// is kept like a parked record: the participant's arrival in the directory
// credits them too. One who never arrives (a shared mailbox) is given up
// at the watch timeout without a dead letter: the meeting was emitted.
TEST_F(ProcessorTest, AMeetingWaitsForAParticipantTheDirectoryLearnsLater) {
  IngestProcessorOptions options;
  options.source = "calendar";
  IngestProcessor processor(options, store_.get(), directory_, clock_, registry_);
  const coachstream::v1::Person lee = Forget(&directory_, "p_lee");
  nlohmann::json meeting = Fixture("google_calendar_event.json", "event_single");
  meeting["attendees"].push_back({{"email", "lee.seller@ourco.com"}, {"responseStatus", "accepted"}});
  constexpr char kGcal[] = "com.google.calendar.event";

  auto first = processor.Process(Message(20, meeting.dump(), kGcal, "raw.calendar.v1"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Credited(*first), (std::vector<std::string>{"p_dana"}));
  EXPECT_FALSE(first->dead_letter.has_value());
  ASSERT_TRUE(processor.OnBatchAcknowledged().ok());
  EXPECT_EQ(processor.parked_count(), 1);

  directory_.Upsert(lee);
  processor.PersonLearned(lee);
  auto released = processor.TakeReleased();
  ASSERT_TRUE(released.ok()) << released.status();
  ASSERT_EQ(released->size(), 1u);
  EXPECT_EQ(Credited((*released)[0]), (std::vector<std::string>{"p_dana", "p_lee"}));
  ASSERT_TRUE(processor.OnBatchAcknowledged().ok());
  EXPECT_EQ(processor.parked_count(), 0);

  // Someone who never arrives: dropped at the watch timeout (after the park
  // timeout: HR feeds often send a new hire once a day), nothing dead-lettered.
  meeting["id"] = "shared-mailbox-meeting";
  meeting["attendees"].push_back({{"email", "sales-team@ourco.com"}, {"responseStatus", "accepted"}});
  auto shared = processor.Process(Message(21, meeting.dump(), kGcal, "raw.calendar.v1"));
  ASSERT_TRUE(shared.ok()) << shared.status();
  EXPECT_EQ(Credited(*shared), (std::vector<std::string>{"p_dana", "p_lee"}));
  ASSERT_TRUE(processor.OnBatchAcknowledged().ok());
  EXPECT_EQ(processor.parked_count(), 1);
  clock_.Advance(options.normalizer.park_timeout + absl::Minutes(1));
  auto waiting = processor.TakeReleased();
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_TRUE(waiting->empty());
  EXPECT_EQ(processor.parked_count(), 1) << "still waiting after the park timeout";
  clock_.Advance(options.watch_timeout - options.normalizer.park_timeout);
  auto expired = processor.TakeReleased();
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_TRUE(expired->empty()) << "no dead letter for a meeting that was emitted";
  ASSERT_TRUE(processor.OnBatchAcknowledged().ok());
  EXPECT_EQ(processor.parked_count(), 0);
}

}  // namespace
}  // namespace cs::ingest::testing
