// Deal lifecycle: creation, stage flow, wins and losses, reopen, owner
// change, regressions, out-of-order snapshots, slips, stalls and the open
// pipeline at period ends.

#include <cmath>

#include <gtest/gtest.h>

#include "tests/services/metrics/test_support.h"

namespace cs::metrics::testing {
namespace {

using coachstream::v1::CHANGE_KIND_CREATED;
using coachstream::v1::CHANGE_KIND_DELETED;
using coachstream::v1::DEAL_STAGE_CLOSED_LOST;
using coachstream::v1::DEAL_STAGE_CLOSED_WON;
using coachstream::v1::DEAL_STAGE_DISCOVERY;
using coachstream::v1::DEAL_STAGE_NEGOTIATION;
using coachstream::v1::DEAL_STAGE_PROPOSAL;
using coachstream::v1::DEAL_STAGE_PROSPECTING;
using coachstream::v1::DEAL_STAGE_QUALIFICATION;
using coachstream::v1::DealStage;

// Snapshot builder for one deal: each call is the next version.
class DealScript {
 public:
  DealScript(std::string id, std::string owner, absl::Time created, int64_t amount)
      : id_(std::move(id)) {
    spec_.deal_id = id_;
    spec_.owner = std::move(owner);
    spec_.created_at = created;
    spec_.amount_minor = amount;
  }
  coachstream::v1::Event Create(DealStage stage) {
    spec_.change = CHANGE_KIND_CREATED;
    spec_.stage = stage;
    return Next(spec_.created_at);
  }
  coachstream::v1::Event Move(absl::Time at, DealStage stage) {
    spec_.previous_stage = spec_.stage;
    spec_.stage = stage;
    return Next(at);
  }
  DealSpec& spec() { return spec_; }
  coachstream::v1::Event Next(absl::Time at) {
    spec_.version += 1;
    coachstream::v1::Event e = Deal(id_ + "-v" + std::to_string(spec_.version), at, spec_);
    spec_.change = coachstream::v1::CHANGE_KIND_UPDATED;
    spec_.previous_stage = coachstream::v1::DEAL_STAGE_UNSPECIFIED;
    spec_.previous_owner.clear();
    return e;
  }

 private:
  std::string id_;
  DealSpec spec_;
};

TEST(DealTest, StageFlowWinsLossesAndRegressions) {
  Harness h(At("2024-06-30T12:00:00"));
  DealScript d1("d1", "ae", At("2024-06-03T10:00:00"), 1000);
  DealScript d2("d2", "ae", At("2024-06-04T10:00:00"), 500);
  h.Ingest({d1.Create(DEAL_STAGE_PROSPECTING), d1.Move(At("2024-06-05T10:00:00"), DEAL_STAGE_QUALIFICATION),
            d1.Move(At("2024-06-10T10:00:00"), DEAL_STAGE_DISCOVERY),
            d1.Move(At("2024-06-12T10:00:00"), DEAL_STAGE_QUALIFICATION),  // backwards: neither
            d1.Move(At("2024-06-14T10:00:00"), DEAL_STAGE_DISCOVERY)});    // qualification already decided
  d1.spec().amount_minor = 1200;
  d1.spec().discount_bps = 500;
  h.Ingest({d1.Move(At("2024-06-20T10:00:00"), DEAL_STAGE_CLOSED_WON), d2.Create(DEAL_STAGE_PROSPECTING),
            d2.Move(At("2024-06-15T10:00:00"), DEAL_STAGE_CLOSED_LOST)});

  auto d = h.Drivers("ae", "2024-06");
  EXPECT_EQ(d["opportunities_created"].value(), 2);
  EXPECT_EQ(d["pipeline_created"].value(), 1500);
  EXPECT_EQ(d["pipeline_created"].unit(), "minor_units");
  EXPECT_EQ(d["stage_conversion_prospecting"].numerator(), 1);
  EXPECT_EQ(d["stage_conversion_prospecting"].denominator(), 2);
  EXPECT_EQ(d["stage_conversion_qualification"].numerator(), 1);
  EXPECT_EQ(d["stage_conversion_qualification"].denominator(), 1);
  EXPECT_EQ(d["stage_conversion_discovery"].numerator(), 1);
  EXPECT_EQ(d["stage_conversion_discovery"].denominator(), 1);
  EXPECT_EQ(d["deals_won"].value(), 1);
  EXPECT_EQ(d["deals_lost"].value(), 1);
  EXPECT_EQ(d["win_rate_count"].numerator(), 1);
  EXPECT_EQ(d["win_rate_count"].denominator(), 2);
  EXPECT_EQ(d["win_rate_amount"].numerator(), 1200);
  EXPECT_EQ(d["win_rate_amount"].denominator(), 1700);
  EXPECT_EQ(d["bookings"].value(), 1200);
  EXPECT_EQ(d["avg_won_deal_size"].value(), 1200);
  EXPECT_EQ(d["avg_discount"].value(), 500);
  EXPECT_EQ(d["avg_discount"].unit(), "bps");
  EXPECT_EQ(d["median_cycle_days"].value(), 17);
  EXPECT_EQ(d["median_cycle_days"].sample_size(), 1);
  EXPECT_EQ(d["open_pipeline"].value(), 0);
  EXPECT_EQ(d["open_deals"].value(), 0);
  // The won deal's discovery exit is in the week it closed (2024-W25).
  EXPECT_EQ(h.Numerator("ae", "2024-W25", "stage_conversion_discovery"), 1);
  EXPECT_EQ(h.Denominator("ae", "2024-W24", "stage_conversion_discovery"), 0);
}

TEST(DealTest, ReopenReversesTheWinWhereItWasBookedAndTheNextWinCounts) {
  Harness h(At("2024-07-31T12:00:00"));
  DealScript d1("d1", "ae", At("2024-06-03T10:00:00"), 1200);
  h.Ingest({d1.Create(DEAL_STAGE_NEGOTIATION), d1.Move(At("2024-06-20T10:00:00"), DEAL_STAGE_CLOSED_WON)});
  EXPECT_EQ(h.Value("ae", "2024-06", "bookings"), 1200);
  h.Ingest({d1.Move(At("2024-07-02T10:00:00"), DEAL_STAGE_NEGOTIATION)});  // reopened
  auto june = h.Drivers("ae", "2024-06");
  EXPECT_EQ(june["bookings"].value(), 0);
  EXPECT_EQ(june["deals_won"].value(), 0);
  EXPECT_EQ(june["stage_conversion_negotiation"].denominator(), 0);
  EXPECT_EQ(june["median_cycle_days"].sample_size(), 0);
  EXPECT_EQ(june["open_pipeline"].value(), 0);  // closed at June's end
  EXPECT_EQ(h.Value("ae", "2024-07", "open_pipeline"), 1200);
  h.Ingest({d1.Move(At("2024-07-10T10:00:00"), DEAL_STAGE_CLOSED_WON)});
  auto july = h.Drivers("ae", "2024-07");
  EXPECT_EQ(july["bookings"].value(), 1200);
  EXPECT_EQ(july["stage_conversion_negotiation"].numerator(), 1);
  EXPECT_EQ(july["median_cycle_days"].value(), 37);
  EXPECT_EQ(july["open_pipeline"].value(), 0);
  EXPECT_EQ(h.Value("ae", "2024-Q2", "bookings"), 0);
  EXPECT_EQ(h.Value("ae", "2024-Q3", "bookings"), 1200);
}

TEST(DealTest, WonAmountEditsAdjustTheOriginalWinAndFlipsMoveIt) {
  Harness h(At("2024-07-31T12:00:00"));
  DealScript d1("d1", "ae", At("2024-06-03T10:00:00"), 1000);
  h.Ingest({d1.Create(DEAL_STAGE_PROPOSAL), d1.Move(At("2024-06-20T10:00:00"), DEAL_STAGE_CLOSED_WON)});
  d1.spec().amount_minor = 1500;  // a post-close correction in July
  h.Ingest({d1.Next(At("2024-07-01T10:00:00"))});
  EXPECT_EQ(h.Value("ae", "2024-06", "bookings"), 1500);
  EXPECT_EQ(h.Value("ae", "2024-07", "bookings"), 0);
  h.Ingest({d1.Move(At("2024-07-05T10:00:00"), DEAL_STAGE_CLOSED_LOST)});  // won -> lost
  auto june = h.Drivers("ae", "2024-06");
  auto july = h.Drivers("ae", "2024-07");
  EXPECT_EQ(june["deals_won"].value(), 0);
  EXPECT_EQ(june["stage_conversion_proposal"].denominator(), 0);
  EXPECT_EQ(july["deals_lost"].value(), 1);
  EXPECT_EQ(july["stage_conversion_proposal"].numerator(), 0);
  EXPECT_EQ(july["stage_conversion_proposal"].denominator(), 1);
}

TEST(DealTest, NewOwnerGetsFutureCreditOldOwnerKeepsHistory) {
  Harness h(At("2024-06-30T12:00:00"));
  DealScript d3("d3", "ae1", At("2024-06-01T10:00:00"), 800);  // Saturday of 2024-W22
  h.Ingest({d3.Create(DEAL_STAGE_PROPOSAL)});
  d3.spec().owner = "ae2";
  d3.spec().previous_owner = "ae1";
  h.Ingest({d3.Next(At("2024-06-10T10:00:00"))});  // Monday of 2024-W24
  h.Ingest({d3.Move(At("2024-06-20T10:00:00"), DEAL_STAGE_CLOSED_WON)});

  EXPECT_EQ(h.Value("ae1", "2024-06", "opportunities_created"), 1);
  EXPECT_EQ(h.Value("ae2", "2024-06", "opportunities_created"), 0);
  EXPECT_EQ(h.Value("ae1", "2024-06", "bookings"), 0);
  EXPECT_EQ(h.Value("ae2", "2024-06", "bookings"), 800);
  EXPECT_EQ(h.Numerator("ae2", "2024-06", "stage_conversion_proposal"), 1);
  EXPECT_EQ(h.Value("ae1", "2024-W22", "open_pipeline"), 800);
  EXPECT_EQ(h.Value("ae1", "2024-W23", "open_pipeline"), 800);
  EXPECT_EQ(h.Value("ae1", "2024-W24", "open_pipeline"), 0);
  EXPECT_EQ(h.Value("ae2", "2024-W24", "open_pipeline"), 800);
  EXPECT_EQ(h.Value("ae2", "2024-W24", "open_deals"), 1);
  EXPECT_EQ(h.Value("ae2", "2024-W25", "open_pipeline"), 0);
}

TEST(DealTest, OutOfOrderSnapshotsAreIgnoredByVersion) {
  Harness h(At("2024-06-30T12:00:00"));
  DealScript d4("d4", "ae", At("2024-06-05T10:00:00"), 700);
  coachstream::v1::Event v1 = d4.Create(DEAL_STAGE_PROSPECTING);
  coachstream::v1::Event v2 = d4.Move(At("2024-06-08T10:00:00"), DEAL_STAGE_PROPOSAL);
  coachstream::v1::Event v3 = d4.Move(At("2024-06-12T10:00:00"), DEAL_STAGE_NEGOTIATION);
  h.Ingest({v3});
  h.Ingest({v1, v2, v3});
  EXPECT_EQ(h.results()[1], ApplyResult::kStale);
  EXPECT_EQ(h.results()[2], ApplyResult::kStale);
  EXPECT_EQ(h.results()[3], ApplyResult::kDuplicate);
  auto d = h.Drivers("ae", "2024-06");
  EXPECT_EQ(d["opportunities_created"].value(), 1);  // credited on first sight, at created_at
  EXPECT_EQ(d["stage_conversion_proposal"].numerator(), 1);
  EXPECT_EQ(d["stage_conversion_prospecting"].denominator(), 0);  // never seen leaving prospecting
  EXPECT_EQ(d["open_pipeline"].value(), 700);
  EXPECT_EQ(h.Value("ae", "2024-W23", "open_pipeline"), 700);  // open since created_at (June 5)
}

// Several properties saved together (HubSpot) or one CDC transaction:
// ingest emits one snapshot per change, all at the same event time, with
// strictly increasing versions. Each applies; the hand-off copy of the last
// one (same snapshot, same version, on the previous owner's partition) is a
// duplicate of that version and changes nothing.
TEST(DealTest, SnapshotsOfOneSaveApplyInVersionOrderAndTheHandoffCopyIsADuplicate) {
  Harness h(At("2024-06-30T12:00:00"));
  const absl::Time save = At("2024-06-20T10:00:00");
  DealScript d9("d9", "ae1", At("2024-06-03T10:00:00"), 1000);
  h.Ingest({d9.Create(DEAL_STAGE_PROPOSAL)});
  coachstream::v1::Event won = d9.Move(save, DEAL_STAGE_CLOSED_WON);
  d9.spec().amount_minor = 1500;
  coachstream::v1::Event amount = d9.Next(save);
  d9.spec().owner = "ae2";
  d9.spec().previous_owner = "ae1";
  coachstream::v1::Event moved = d9.Next(save);
  coachstream::v1::Event handoff = moved;
  handoff.set_event_id(moved.event_id() + "/handoff");
  handoff.set_rep_id("ae1");
  ASSERT_EQ(won.occurred_at().seconds(), moved.occurred_at().seconds());
  h.Ingest({won, amount, moved, handoff});
  EXPECT_EQ(h.results()[1], ApplyResult::kApplied);
  EXPECT_EQ(h.results()[2], ApplyResult::kApplied);
  EXPECT_EQ(h.results()[3], ApplyResult::kApplied);
  EXPECT_EQ(h.results()[4], ApplyResult::kDuplicate);
  // The win stays with the rep it was credited to; the amount edit of the
  // same save adjusts it in place.
  EXPECT_EQ(h.Value("ae1", "2024-06", "bookings"), 1500);
  EXPECT_EQ(h.Value("ae1", "2024-06", "deals_won"), 1);
  // An equal version is the same snapshot even with another event time.
  coachstream::v1::Event replay = moved;
  replay.set_event_id("d9-replayed-later");
  replay.mutable_occurred_at()->set_seconds(moved.occurred_at().seconds() - 3600);
  h.Ingest({replay});
  EXPECT_EQ(h.results()[5], ApplyResult::kStale);
}

TEST(DealTest, TransferSeenBeforeTheCreateCreditsThePreviousOwnerWithTheCreation) {
  Harness h(At("2024-06-30T12:00:00"));
  DealScript d5("d5", "ae1", At("2024-06-03T10:00:00"), 300);
  coachstream::v1::Event create = d5.Create(DEAL_STAGE_DISCOVERY);
  d5.spec().owner = "ae2";
  d5.spec().previous_owner = "ae1";
  coachstream::v1::Event transfer = d5.Next(At("2024-06-10T10:00:00"));
  h.Ingest({transfer, create});
  EXPECT_EQ(h.results()[1], ApplyResult::kStale);
  EXPECT_EQ(h.Value("ae1", "2024-06", "opportunities_created"), 1);
  EXPECT_EQ(h.Value("ae1", "2024-06", "open_pipeline"), 0);
  EXPECT_EQ(h.Value("ae1", "2024-W23", "open_pipeline"), 300);
  EXPECT_EQ(h.Value("ae2", "2024-06", "open_pipeline"), 300);
}

TEST(DealTest, CloseDateSlipsCountMovesLaterWhileOpen) {
  Harness h(At("2024-06-30T12:00:00"));
  DealScript d6("d6", "ae", At("2024-06-03T10:00:00"), 100);
  d6.spec().close_date = absl::CivilDay(2024, 6, 30);
  h.Ingest({d6.Create(DEAL_STAGE_DISCOVERY)});
  d6.spec().close_date = absl::CivilDay(2024, 7, 31);
  h.Ingest({d6.Next(At("2024-06-10T10:00:00"))});
  d6.spec().close_date = absl::CivilDay(2024, 7, 15);  // pulled in: not a slip
  h.Ingest({d6.Next(At("2024-06-12T10:00:00"))});
  d6.spec().close_date = absl::CivilDay(2024, 8, 15);
  h.Ingest({d6.Next(At("2024-06-14T10:00:00"))});
  EXPECT_EQ(h.Value("ae", "2024-06", "close_date_slips"), 2);
  EXPECT_EQ(h.Value("ae", "2024-W24", "close_date_slips"), 2);

  coachstream::v1::ListOpenDealsRequest request;
  request.set_tenant_id("acme");
  request.set_rep_id("ae");
  auto open = h.queries().ListOpenDeals(request);
  ASSERT_TRUE(open.ok()) << open.status();
  ASSERT_EQ(open->deals_size(), 1);
  EXPECT_EQ(open->deals(0).deal_id(), "d6");
  EXPECT_EQ(open->deals(0).name(), "Deal d6");
  EXPECT_EQ(open->deals(0).close_date_slips(), 2);
  EXPECT_EQ(open->deals(0).close_date().month(), 8);
  EXPECT_EQ(open->deals(0).amount().amount_minor(), 100);
  EXPECT_EQ(open->deals(0).created_at().seconds(), absl::ToUnixSeconds(At("2024-06-03T10:00:00")));
}

TEST(DealTest, StalledDealsAtEachPeriodEnd) {
  MetricsCoreOptions options;
  options.stalled_after_days = 14;
  Harness h(At("2024-06-30T12:00:00"), options);
  DealScript d7("d7", "ae", At("2024-06-01T10:00:00"), 900);
  h.Ingest({d7.Create(DEAL_STAGE_DISCOVERY)});
  // No activity since June 1: stalled from June 15 on.
  EXPECT_EQ(h.Value("ae", "2024-06", "stalled_deals"), 1);
  EXPECT_EQ(h.Value("ae", "2024-W23", "stalled_deals"), 0);  // ends June 10
  EXPECT_EQ(h.Value("ae", "2024-W24", "stalled_deals"), 1);  // ends June 17

  h.Ingest({Call("c1", "ae", At("2024-06-20T09:00:00"), true, "d7")});  // activity ends the stall
  EXPECT_EQ(h.Value("ae", "2024-06", "stalled_deals"), 0);
  EXPECT_EQ(h.Value("ae", "2024-W24", "stalled_deals"), 1);  // history keeps the stall
  EXPECT_EQ(h.Value("ae", "2024-W25", "stalled_deals"), 0);
  EXPECT_EQ(h.Sample("ae", "2024-06", "stalled_deals"), 1);  // open deals examined

  h.clock().Set(At("2024-07-31T00:00:00"));  // quiet since June 20: stalled again from July 4
  EXPECT_EQ(h.Value("ae", "2024-07", "stalled_deals"), 1);
  EXPECT_EQ(h.Value("ae", "2024-06", "stalled_deals"), 0);

  // A late call before the latest activity does not move the clock back.
  h.Ingest({Call("c0", "ae", At("2024-06-18T09:00:00"), true, "d7")});
  EXPECT_EQ(h.Value("ae", "2024-07", "stalled_deals"), 1);
}

TEST(DealTest, DeletedDealsLeaveThePipelineAndTheirWin) {
  Harness h(At("2024-06-30T12:00:00"));
  DealScript d8("d8", "ae", At("2024-06-03T10:00:00"), 400);
  DealScript d9("d9", "ae", At("2024-06-03T10:00:00"), 250);
  h.Ingest({d8.Create(DEAL_STAGE_DISCOVERY), d9.Create(DEAL_STAGE_DISCOVERY),
            d9.Move(At("2024-06-05T10:00:00"), DEAL_STAGE_CLOSED_WON)});
  d8.spec().change = CHANGE_KIND_DELETED;
  d9.spec().change = CHANGE_KIND_DELETED;
  h.Ingest({d8.Next(At("2024-06-10T10:00:00")), d9.Next(At("2024-06-10T10:00:00"))});
  // First seen already deleted (ingest emits a create that arrived after
  // its deletion so): created, as in order, but never in the pipeline.
  DealScript d10("d10", "ae", At("2024-06-04T10:00:00"), 300);
  d10.spec().stage = DEAL_STAGE_DISCOVERY;
  d10.spec().change = CHANGE_KIND_DELETED;
  h.Ingest({d10.Next(At("2024-06-12T10:00:00"))});
  auto d = h.Drivers("ae", "2024-06");
  EXPECT_EQ(d["open_pipeline"].value(), 0);
  EXPECT_EQ(d["bookings"].value(), 0);
  EXPECT_EQ(d["opportunities_created"].value(), 3);  // creation is history
  EXPECT_EQ(d["pipeline_created"].value(), 950);
}

// expected_cycle_days = ln 2 x open-deal-days / closes, the open deals
// counted for the days they have been open so far (to today in the
// current period), in every period kind.
TEST(DealTest, ExpectedCycleCountsTheDealsStillOpen) {
  Harness h(At("2024-07-10T12:00:00"));
  DealScript won("won", "ae", At("2024-06-03T10:00:00"), 1000);   // open June 3..19: 17 days
  DealScript open("open", "ae", At("2024-06-10T10:00:00"), 500);  // June 10..30: 21; July 1..10: 10
  DealScript lost("lost", "ae", At("2024-05-20T10:00:00"), 700);  // May 20..31: 12; June 1..4: 4
  h.Ingest({lost.Create(DEAL_STAGE_PROSPECTING), won.Create(DEAL_STAGE_PROSPECTING),
            lost.Move(At("2024-06-05T10:00:00"), DEAL_STAGE_CLOSED_LOST), open.Create(DEAL_STAGE_PROSPECTING),
            won.Move(At("2024-06-20T10:00:00"), DEAL_STAGE_CLOSED_WON)});
  const double ln2 = std::log(2.0);
  auto june = h.Drivers("ae", "2024-06");
  EXPECT_DOUBLE_EQ(june["expected_cycle_days"].numerator(), ln2 * (17 + 21 + 4));
  EXPECT_EQ(june["expected_cycle_days"].denominator(), 2);
  EXPECT_EQ(june["expected_cycle_days"].sample_size(), 2);
  EXPECT_DOUBLE_EQ(june["expected_cycle_days"].value(), ln2 * 21);
  EXPECT_EQ(june["expected_cycle_days"].unit(), "days");
  // No close yet: the days are there, the estimate is not.
  EXPECT_DOUBLE_EQ(h.Numerator("ae", "2024-05", "expected_cycle_days"), ln2 * 12);
  EXPECT_EQ(h.Denominator("ae", "2024-05", "expected_cycle_days"), 0);
  EXPECT_DOUBLE_EQ(h.Numerator("ae", "2024-07", "expected_cycle_days"), ln2 * 10);  // July 1..10 so far
  EXPECT_DOUBLE_EQ(h.Numerator("ae", "2024-08", "expected_cycle_days"), 0);         // not begun
  // A quarter adds its months; a week counts its own days (W23 is June
  // 3..9: the won deal all 7, the lost one until it closed on the 5th).
  EXPECT_DOUBLE_EQ(h.Numerator("ae", "2024-Q2", "expected_cycle_days"), ln2 * (12 + 17 + 21 + 4));
  EXPECT_EQ(h.Denominator("ae", "2024-Q2", "expected_cycle_days"), 2);
  EXPECT_DOUBLE_EQ(h.Numerator("ae", "2024-W23", "expected_cycle_days"), ln2 * (7 + 2));
  EXPECT_EQ(h.Denominator("ae", "2024-W23", "expected_cycle_days"), 1);
  EXPECT_DOUBLE_EQ(h.Numerator("ae", "2024-W27", "expected_cycle_days"), ln2 * 7);  // July 1..7
}

// A handed-over deal counts for each owner the days it was theirs; a
// reopened one counts again from the reopen; a deleted one stops.
TEST(DealTest, ExpectedCycleFollowsOwnersReopensAndDeletes) {
  Harness h(At("2024-06-30T12:00:00"));
  DealScript moved("moved", "ae1", At("2024-06-01T10:00:00"), 1000);
  DealScript reopened("reopened", "ae1", At("2024-06-01T10:00:00"), 500);
  DealScript deleted("deleted", "ae1", At("2024-06-21T10:00:00"), 300);
  h.Ingest({moved.Create(DEAL_STAGE_PROSPECTING), reopened.Create(DEAL_STAGE_NEGOTIATION),
            deleted.Create(DEAL_STAGE_PROSPECTING)});
  moved.spec().owner = "ae2";
  moved.spec().previous_owner = "ae1";
  h.Ingest({moved.Next(At("2024-06-11T10:00:00")),                                       // ae1 June 1..10
            reopened.Move(At("2024-06-05T10:00:00"), DEAL_STAGE_CLOSED_LOST),            // June 1..4
            reopened.Move(At("2024-06-25T10:00:00"), DEAL_STAGE_NEGOTIATION)});          // June 25..30
  deleted.spec().change = CHANGE_KIND_DELETED;
  h.Ingest({deleted.Next(At("2024-06-26T10:00:00"))});                                     // June 21..25
  const double ln2 = std::log(2.0);
  EXPECT_DOUBLE_EQ(h.Numerator("ae1", "2024-06", "expected_cycle_days"), ln2 * (10 + 4 + 6 + 5));
  EXPECT_DOUBLE_EQ(h.Numerator("ae2", "2024-06", "expected_cycle_days"), ln2 * 20);  // June 11..30
}

// State written before the transition days were kept: the estimate is not
// given for its periods (rather than wrong), and is again once a period's
// buckets are all new.
TEST(DealTest, ExpectedCycleIsNotGuessedForStateWrittenBeforeItsDays) {
  Harness h(At("2024-07-10T12:00:00"));
  DealScript d("d", "ae", At("2024-06-03T10:00:00"), 1000);
  h.Ingest({d.Create(DEAL_STAGE_PROSPECTING)});
  h.RewriteStored<coachstream::v1::RepMonthBucket>("agg/acme/ae/2024-06", [](coachstream::v1::RepMonthBucket& b) {
    EXPECT_TRUE(b.open_deal_days());
    b.clear_open_deal_days();
    for (auto& part : *b.mutable_weeks()) part.mutable_agg()->clear_open_deal_day_sum_delta();
  });
  h.Ingest({d.Move(At("2024-07-05T10:00:00"), DEAL_STAGE_CLOSED_WON)});
  EXPECT_EQ(h.Drivers("ae", "2024-06")["expected_cycle_days"].sample_size(), 0);
  EXPECT_EQ(h.Denominator("ae", "2024-06", "expected_cycle_days"), 0);
  EXPECT_EQ(h.Numerator("ae", "2024-06", "expected_cycle_days"), 0);
  // July's bucket is new: the deal open since June counts from July 1.
  EXPECT_DOUBLE_EQ(h.Numerator("ae", "2024-07", "expected_cycle_days"), std::log(2.0) * 4);
  EXPECT_EQ(h.Denominator("ae", "2024-07", "expected_cycle_days"), 1);
}

}  // namespace
}  // namespace cs::metrics::testing
