// Partial-update merge sequences: ordering, staleness, duplicates, deletes,
// owner hand-off.

#include <gtest/gtest.h>

#include "tests/services/ingest/test_support.h"

namespace cs::ingest::testing {
namespace {

constexpr char kOpp[] = "com.salesforce.cdc.OpportunityChangeEvent";
constexpr char kSfFile[] = "salesforce_opportunity_cdc.json";

// A CometD UPDATE of the fixture deal with `fields` at commit `version`.
std::string Update(int64_t version, const std::string& tx, nlohmann::json fields,
                   const char* change = "UPDATE") {
  nlohmann::json doc = Fixture(kSfFile, "cometd_update_amount_closedate");
  nlohmann::json& p = doc["data"]["payload"];
  nlohmann::json header = p["ChangeEventHeader"];
  header["commitNumber"] = version;
  header["commitTimestamp"] = 1716000000000 + version % 1000000;
  header["transactionKey"] = tx;
  header["changeType"] = change;
  p = fields;
  p["ChangeEventHeader"] = header;
  return doc.dump();
}

TEST(Merge, CreateThenNewerThenOlderUpdate) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));  // commit 11381720094512
  h.Run(kOpp, FixtureText(kSfFile, "cometd_update_stage_closed_won"));  // 11492035817421
  // The amount/close-date update (11470001112233) arrives last: it is older
  // than the stage change but newer than the CREATE for its own fields.
  RecordOutcome late = h.Run(kOpp, FixtureText(kSfFile, "cometd_update_amount_closedate"));
  ASSERT_EQ(Kinds(late), "emit");
  const auto& d = late.items[0].events[0].deal();
  EXPECT_EQ(d.amount().amount_minor(), 9800000);
  EXPECT_EQ(d.stage(), coachstream::v1::DEAL_STAGE_CLOSED_WON);  // not rolled back
  // A new snapshot (the amount changed) under no newer source version: one
  // above the previous emission, so metrics does not take it for the
  // snapshot it already applied.
  EXPECT_EQ(d.source_version(), 11492035817422);
  // An older update of the stage alone changes nothing: stale.
  RecordOutcome stale =
      h.Run(kOpp, Update(11400000000000, "old-tx", {{"StageName", "Negotiation/Review"}}));
  EXPECT_EQ(Kinds(stale), "stale");
}

TEST(Merge, SnapshotsSharingASourceVersionGetStrictlyIncreasingVersions) {
  Harness h;
  RecordOutcome create = h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  ASSERT_EQ(Kinds(create), "emit");
  EXPECT_EQ(create.items[0].events[0].deal().source_version(), 11381720094512);
  // Two changes of one commit (e.g. one transaction updating Amount, then
  // StageName), a late change that only fills an older field, then a newer
  // commit: four different snapshots, four increasing versions.
  constexpr int64_t kCommit = 11490000000000;
  std::vector<int64_t> versions;
  for (const std::string& record :
       {Update(kCommit, "tx-1", {{"Amount", 130000}}),
        Update(kCommit, "tx-2", {{"StageName", "Negotiation/Review"}}),
        Update(11400000000000, "tx-0", {{"Name", "Acme Corp - Renamed"}}),
        Update(kCommit + 1, "tx-3", {{"Amount", 140000}})}) {
    RecordOutcome out = h.Run(kOpp, record);
    ASSERT_EQ(Kinds(out), "emit");
    versions.push_back(out.items[0].events[0].deal().source_version());
  }
  EXPECT_EQ(versions, (std::vector<int64_t>{kCommit, kCommit + 1, kCommit + 2, kCommit + 3}));
  // A redelivery is a duplicate and numbers nothing.
  EXPECT_EQ(Kinds(h.Run(kOpp, Update(kCommit, "tx-2", {{"StageName", "Negotiation/Review"}}))),
            "duplicate");
  RecordOutcome next = h.Run(kOpp, Update(kCommit + 100, "tx-4", {{"Amount", 150000}}));
  ASSERT_EQ(Kinds(next), "emit");
  EXPECT_EQ(next.items[0].events[0].deal().source_version(), kCommit + 100);
}

TEST(Merge, RedeliveryIsDuplicateNotStale) {
  Harness h;
  std::string create = FixtureText(kSfFile, "cometd_create");
  h.Run(kOpp, create);
  EXPECT_EQ(Kinds(h.Run(kOpp, create)), "duplicate");
}

TEST(Merge, UpdatesBeforeCreateStillConverge) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_update_amount_closedate"));  // no owner: skip
  RecordOutcome create = h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  ASSERT_EQ(Kinds(create), "emit");
  const auto& d = create.items[0].events[0].deal();
  EXPECT_EQ(d.amount().amount_minor(), 9800000);  // the newer amount survives the CREATE
  EXPECT_EQ(DateText(d.close_date()), "2024-07-15");
  EXPECT_EQ(d.name(), "Acme Corp - Platform Expansion");
  EXPECT_EQ(d.owner_id(), "p_dana");
}

TEST(Merge, NullClearsInCometD) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  RecordOutcome out = h.Run(kOpp, Update(11490000000000, "tx-null", {{"CloseDate", nullptr}}));
  ASSERT_EQ(Kinds(out), "emit");
  EXPECT_FALSE(out.items[0].events[0].deal().has_close_date());
  EXPECT_EQ(DateText(out.items[0].events[0].deal().previous_close_date()), "2024-06-28");
}

TEST(Merge, OwnerChangeHandsOffAndUnknownOwnerParks) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  RecordOutcome moved =
      h.Run(kOpp, Update(11490000000000, "tx-owner", {{"OwnerId", "0055g00000XyZaBAAV"}}));
  std::vector<coachstream::v1::Event> events = Events(moved);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].rep_id(), "p_lee");
  EXPECT_EQ(events[0].deal().previous_owner_id(), "p_dana");
  EXPECT_EQ(events[1].rep_id(), "p_dana");
  EXPECT_EQ(events[1].event_id(), events[0].event_id() + "/handoff");
  EXPECT_EQ(events[1].deal().owner_id(), "p_lee");
  RecordOutcome parked =
      h.Run(kOpp, Update(11491000000000, "tx-owner2", {{"OwnerId", "0055g00000Unknown1"}}));
  EXPECT_EQ(Kinds(parked), "park");
  EXPECT_EQ(parked.items[0].unresolved.user_id, "0055g00000Unknown1");
}

// Changes of a deal whose owner change is parked (the owner not yet in the
// directory) wait behind it and are emitted after it, each with its own
// transition, once the owner is learned; merged into the parked snapshot
// instead, the stage moves between them were never seen downstream.
TEST(Merge, ChangesBehindAParkedOwnerWaitAndKeepTheirTransitions) {
  Harness h;
  const coachstream::v1::Person known = Forget(&h.directory, "p_dana");

  const std::string create = FixtureText(kSfFile, "cometd_create");  // Prospecting, owner 0055g00000AbCdEAAZ
  const std::string qualify = Update(11390000000000, "tx-qual", {{"StageName", "Qualification"}});
  const std::string propose = Update(11400000000000, "tx-prop", {{"StageName", "Proposal/Price Quote"}});
  RecordOutcome parked = h.Run(kOpp, create);
  ASSERT_EQ(Kinds(parked), "park");
  for (const std::string& record : {qualify, propose}) {
    RecordOutcome waiting = h.Run(kOpp, record);
    ASSERT_EQ(Kinds(waiting), "park") << "merged into the parked create instead";
    EXPECT_EQ(waiting.items[0].unresolved.user_id, "0055g00000AbCdEAAZ");
    EXPECT_NE(waiting.items[0].message.find("waits for its owner change"), std::string::npos)
        << waiting.items[0].message;
  }

  // The owner is learned; the adapter retries the parked records in offset
  // order.
  h.directory.Upsert(known);
  std::vector<coachstream::v1::DealStage> stages, previous;
  for (const std::string& record : {create, qualify, propose}) {
    RecordOutcome out = h.Retry(kOpp, record);
    ASSERT_EQ(Kinds(out), "emit");
    stages.push_back(out.items[0].events.at(0).deal().stage());
    previous.push_back(out.items[0].events.at(0).deal().previous_stage());
    EXPECT_EQ(out.items[0].events.at(0).rep_id(), "p_dana");
  }
  using coachstream::v1::DealStage;
  EXPECT_EQ(stages, (std::vector<DealStage>{coachstream::v1::DEAL_STAGE_PROSPECTING,
                                            coachstream::v1::DEAL_STAGE_QUALIFICATION,
                                            coachstream::v1::DEAL_STAGE_PROPOSAL}));
  EXPECT_EQ(previous, (std::vector<DealStage>{coachstream::v1::DEAL_STAGE_UNSPECIFIED,
                                              coachstream::v1::DEAL_STAGE_PROSPECTING,
                                              coachstream::v1::DEAL_STAGE_QUALIFICATION}));
  EXPECT_EQ(Kinds(h.Run(kOpp, qualify)), "duplicate");
  // Nothing waits any more: a new change applies at once.
  EXPECT_EQ(Kinds(h.Run(kOpp, Update(11410000000000, "tx-amt", {{"Amount", 130000.0}}))), "emit");
}

// A deal's changes wait behind its parked owner change for the park
// timeout at most: by then that change is dead-lettered, and later changes
// apply as they did before (merged, nothing credited without an owner),
// instead of each being parked and dead-lettered in turn.
TEST(Merge, ChangesStopWaitingAfterTheParkTimeout) {
  Harness h;
  Forget(&h.directory, "p_dana");
  ASSERT_EQ(Kinds(h.Run(kOpp, FixtureText(kSfFile, "cometd_create"))), "park");
  h.clock.Advance(NormalizerOptions{}.park_timeout - absl::Seconds(1));
  EXPECT_EQ(Kinds(h.Run(kOpp, Update(11390000000000, "tx-qual", {{"StageName", "Qualification"}}))), "park");
  h.clock.Advance(absl::Seconds(1));
  EXPECT_EQ(Reasons(h.Run(kOpp, Update(11400000000000, "tx-prop", {{"StageName", "Proposal/Price Quote"}}))),
            "no_owner");
}

// A GAP for a deal whose owner change is parked waits too: it is then
// emitted with the snapshot, instead of dead-lettered for want of an owner.
TEST(Merge, AGapWaitsBehindAParkedOwnerChange) {
  Harness h;
  const coachstream::v1::Person known = Forget(&h.directory, "p_dana");
  const std::string create = FixtureText(kSfFile, "cometd_create");
  const std::string gap = FixtureText(kSfFile, "cometd_gap_event");  // this deal and one never seen
  ASSERT_EQ(Kinds(h.Run(kOpp, create)), "park");
  ASSERT_EQ(Kinds(h.Run(kOpp, gap)), "park,dead_letter");
  h.directory.Upsert(known);
  for (const std::string* record : {&create, &gap}) {
    RecordOutcome out = h.Retry(kOpp, *record);
    ASSERT_EQ(Kinds(out).substr(0, 4), "emit") << Reasons(out);
    EXPECT_EQ(out.items[0].events.at(0).rep_id(), "p_dana");
    if (record == &gap) {
      EXPECT_EQ(out.items[0].events.at(0).deal().change(), coachstream::v1::CHANGE_KIND_GAP);
    }
  }
}

// Once the owner is known, a new change still waits while the owner change
// is pending (it is about to be retried; the adapter retries the new one
// at once too, after it). A waiting change retried before its owner change
// (that one dead-lettered, say) applies as it would have: merged, nothing
// credited yet, and the owner change, replayed, emits the merged snapshot.
TEST(Merge, AWaitingChangeRetriedFirstStillApplies) {
  Harness h;
  const coachstream::v1::Person known = Forget(&h.directory, "p_dana");
  const std::string create = FixtureText(kSfFile, "cometd_create");
  const std::string qualify = Update(11390000000000, "tx-qual", {{"StageName", "Qualification"}});
  ASSERT_EQ(Kinds(h.Run(kOpp, create)), "park");
  ASSERT_EQ(Kinds(h.Run(kOpp, qualify)), "park");
  h.directory.Upsert(known);
  EXPECT_EQ(Kinds(h.Run(kOpp, qualify)), "park") << "a new change while the owner change is pending";
  EXPECT_EQ(Reasons(h.Retry(kOpp, qualify)), "no_owner");
  RecordOutcome out = h.Run(kOpp, create);
  ASSERT_EQ(Kinds(out), "emit");
  EXPECT_EQ(out.items[0].events.at(0).deal().stage(), coachstream::v1::DEAL_STAGE_QUALIFICATION);
  EXPECT_EQ(out.items[0].events.at(0).deal().change(), coachstream::v1::CHANGE_KIND_CREATED);
}

TEST(Merge, DeleteUndeleteAndLateUpdate) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  RecordOutcome del = h.Run(kOpp, Update(11500000000000, "tx-del", nlohmann::json::object(), "DELETE"));
  ASSERT_EQ(Kinds(del), "emit");
  EXPECT_EQ(del.items[0].events[0].deal().change(), coachstream::v1::CHANGE_KIND_DELETED);
  EXPECT_EQ(del.items[0].events[0].deal().amount().amount_minor(), 12500000);
  // An older DELETE redelivered out of order after an UNDELETE: stale.
  h.Run(kOpp, Update(11600000000000, "tx-undel", nlohmann::json::object(), "UNDELETE"));
  EXPECT_EQ(Kinds(h.Run(kOpp, Update(11550000000000, "tx-del-old", nlohmann::json::object(),
                                     "DELETE"))),
            "stale");
}

// A DELETE that overtakes its deal's CREATE (the CREATE parked until its
// owner was known, or late) is kept; the CREATE then brings the deal in as
// the deleted deal it is (metrics: created, never open), not as a live one.
// Likewise an older UPDATE arriving after an emitted DELETE.
TEST(Merge, ChangesOlderThanADeleteKeepTheDealDeleted) {
  Harness h;
  RecordOutcome del = h.Run(kOpp, Update(11500000000000, "tx-del", nlohmann::json::object(), "DELETE"));
  EXPECT_EQ(Reasons(del), "unknown_record");
  RecordOutcome create = h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));  // commit 11381720094512
  ASSERT_EQ(Kinds(create), "emit");
  EXPECT_EQ(create.items[0].events.at(0).deal().change(), coachstream::v1::CHANGE_KIND_DELETED);
  EXPECT_EQ(create.items[0].events.at(0).deal().amount().amount_minor(), 12500000);

  Harness h2;
  h2.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  ASSERT_EQ(Kinds(h2.Run(kOpp, Update(11500000000000, "tx-del", nlohmann::json::object(), "DELETE"))), "emit");
  RecordOutcome late = h2.Run(kOpp, Update(11450000000000, "tx-late", {{"Amount", 99000.0}}));
  ASSERT_EQ(Kinds(late), "emit");  // the amount is newer than the CREATE's
  EXPECT_EQ(late.items[0].events.at(0).deal().change(), coachstream::v1::CHANGE_KIND_DELETED);
  // An UNDELETE newer than the DELETE brings it back.
  RecordOutcome undel = h2.Run(kOpp, Update(11600000000000, "tx-undel", nlohmann::json::object(), "UNDELETE"));
  EXPECT_EQ(undel.items[0].events.at(0).deal().change(), coachstream::v1::CHANGE_KIND_UNDELETED);
}

TEST(Merge, CustomStageTable) {
  NormalizerOptions options;
  ASSERT_TRUE(options.stages.AddTable("# custom\nsalesforce, Verbal Commit , NEGOTIATION\n").ok());
  EXPECT_EQ(options.stages.Map(System::kSalesforce, "verbal commit", false, false),
            coachstream::v1::DEAL_STAGE_NEGOTIATION);
  EXPECT_EQ(options.stages.Map(System::kHubspot, "12345", true, false),
            coachstream::v1::DEAL_STAGE_CLOSED_LOST);
  absl::Status bad = options.stages.AddTable("salesforce,Foo,NOPE");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("line 1"), std::string::npos);
}

}  // namespace
}  // namespace cs::ingest::testing
