// Golden tests: every CRM fixture (Salesforce, HubSpot) to canonical events.

#include <gtest/gtest.h>

#include "tests/services/ingest/test_support.h"

namespace cs::ingest::testing {
namespace {

using coachstream::v1::Event;

constexpr char kOpp[] = "com.salesforce.cdc.OpportunityChangeEvent";
constexpr char kLineItem[] = "com.salesforce.cdc.OpportunityLineItemChangeEvent";
constexpr char kSfFile[] = "salesforce_opportunity_cdc.json";
constexpr char kActFile[] = "salesforce_task_event_activities.json";
constexpr char kHsBatch[] = "com.hubspot.webhook.batch";
constexpr char kDealId[] = "0065g00000QxYzTAAV";

Event Only(const RecordOutcome& out) {
  std::vector<Event> events = Events(out);
  EXPECT_EQ(events.size(), 1u) << Kinds(out) << " " << Reasons(out);
  return events.empty() ? Event() : events[0];
}

std::string PubSub() {
  return Fixture(kSfFile, "pubsub_decoded_update_stage_closed_won")["decoded_payload"].dump();
}

TEST(GoldenSalesforce, CreateCarriesFullSnapshot) {
  Harness h;
  Event ev = Only(h.Run(kOpp, FixtureText(kSfFile, "cometd_create")));
  EXPECT_EQ(ev.event_id(), "sf:000119e2-55aa-4c07-d3f3-0b9a2e6c71d4:1:0065g00000QxYzTAAV");
  EXPECT_EQ(ev.tenant_id(), "t_8812");
  EXPECT_EQ(ev.rep_id(), "p_dana");
  EXPECT_EQ(ev.source_system(), coachstream::v1::SOURCE_SYSTEM_SALESFORCE);
  EXPECT_EQ(ev.source_ref(), "opportunity/0065g00000QxYzTAAV");
  EXPECT_EQ(Iso(ev.occurred_at()), "2024-05-02T16:21:09.000Z");
  EXPECT_EQ(Iso(ev.ingested_at()), "2024-07-01T00:00:00.000Z");
  const auto& d = ev.deal();
  EXPECT_EQ(d.deal_id(), kDealId);
  EXPECT_EQ(d.change(), coachstream::v1::CHANGE_KIND_CREATED);
  EXPECT_EQ(d.name(), "Acme Corp - Platform Expansion");
  EXPECT_EQ(d.owner_id(), "p_dana");
  EXPECT_EQ(d.stage(), coachstream::v1::DEAL_STAGE_PROSPECTING);
  EXPECT_EQ(d.stage_label(), "Prospecting");
  EXPECT_EQ(d.amount().amount_minor(), 12500000);
  EXPECT_EQ(d.amount().currency_code(), "USD");
  EXPECT_EQ(DateText(d.close_date()), "2024-06-28");
  EXPECT_EQ(Iso(d.created_at()), "2024-05-02T16:21:09.000Z");
  EXPECT_FALSE(d.is_closed());
  EXPECT_FALSE(d.is_won());
  EXPECT_EQ(d.source_version(), 11381720094512);
  EXPECT_TRUE(d.previous_owner_id().empty());
  EXPECT_EQ(EventKey(ev), "t_8812/p_dana");
}

TEST(GoldenSalesforce, UpdatesMergeIntoSnapshotWithPreviousValues) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  Event amount = Only(h.Run(kOpp, FixtureText(kSfFile, "cometd_update_amount_closedate")));
  const auto& a = amount.deal();
  EXPECT_EQ(a.change(), coachstream::v1::CHANGE_KIND_UPDATED);
  EXPECT_EQ(a.amount().amount_minor(), 9800000);  // 98000.0 USD
  EXPECT_EQ(a.amount().currency_code(), "USD");   // from the CREATE
  EXPECT_EQ(DateText(a.close_date()), "2024-07-15");
  EXPECT_EQ(DateText(a.previous_close_date()), "2024-06-28");
  EXPECT_EQ(a.name(), "Acme Corp - Platform Expansion");
  EXPECT_EQ(a.owner_id(), "p_dana");
  EXPECT_EQ(a.previous_stage(), coachstream::v1::DEAL_STAGE_UNSPECIFIED);
  EXPECT_EQ(std::vector<std::string>(a.changed_fields().begin(), a.changed_fields().end()),
            (std::vector<std::string>{"amount", "close_date"}));

  Event won = Only(h.Run(kOpp, FixtureText(kSfFile, "cometd_update_stage_closed_won")));
  const auto& w = won.deal();
  EXPECT_EQ(w.stage(), coachstream::v1::DEAL_STAGE_CLOSED_WON);
  EXPECT_EQ(w.previous_stage(), coachstream::v1::DEAL_STAGE_PROSPECTING);
  EXPECT_TRUE(w.is_won());
  EXPECT_TRUE(w.is_closed());
  EXPECT_EQ(w.amount().amount_minor(), 9800000);
  EXPECT_EQ(DateText(w.close_date()), "2024-07-15");
  EXPECT_FALSE(w.has_previous_close_date());
  EXPECT_EQ(w.source_version(), 11492035817421);
  EXPECT_EQ(Iso(won.occurred_at()), "2024-06-03T17:42:18.000Z");
}

TEST(GoldenSalesforce, PubSubFormOfTheSameChangeIsADuplicate) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  h.Run(kOpp, FixtureText(kSfFile, "cometd_update_stage_closed_won"));
  EXPECT_EQ(Kinds(h.Run(kOpp, PubSub())), "duplicate");
}

TEST(GoldenSalesforce, PubSubNullsMeanUnchanged) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  Event ev = Only(h.Run(kOpp, PubSub()));
  EXPECT_EQ(ev.deal().stage(), coachstream::v1::DEAL_STAGE_CLOSED_WON);
  EXPECT_EQ(ev.deal().amount().amount_minor(), 12500000);  // Amount: null = unchanged
  EXPECT_EQ(ev.deal().name(), "Acme Corp - Platform Expansion");
  EXPECT_EQ(ev.deal().owner_id(), "p_dana");
}

TEST(GoldenSalesforce, PubSubAloneHasNoOwnerYet) {
  Harness h;
  RecordOutcome out = h.Run(kOpp, PubSub());
  EXPECT_EQ(Kinds(out), "skip");
  EXPECT_EQ(Reasons(out), "no_owner");
}

TEST(GoldenSalesforce, GapIsSurfacedPerRecord) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  RecordOutcome out = h.Run(kOpp, FixtureText(kSfFile, "cometd_gap_event"));
  ASSERT_EQ(Kinds(out), "emit,dead_letter");
  EXPECT_EQ(Reasons(out), "none,gap_unknown_record");
  EXPECT_NE(out.items[1].message.find("0065g00000QxZ01AAF"), std::string::npos);
  Event gap = Only(out);
  EXPECT_EQ(gap.deal().change(), coachstream::v1::CHANGE_KIND_GAP);
  EXPECT_EQ(gap.deal().deal_id(), kDealId);
  EXPECT_EQ(gap.deal().amount().amount_minor(), 12500000);  // last known snapshot
  EXPECT_EQ(gap.rep_id(), "p_dana");
}

TEST(GoldenSalesforce, LineItemDiscountNeedsItsOpportunity) {
  Harness h;
  RecordOutcome out =
      h.Run(kLineItem, FixtureText(kSfFile, "cometd_opportunity_line_item_update_discount"));
  EXPECT_EQ(Kinds(out), "dead_letter");
  EXPECT_EQ(Reasons(out), "unknown_parent");
  EXPECT_NE(out.items[0].message.find("00k5g00000Fh2JkAAJ"), std::string::npos);
}

TEST(GoldenSalesforce, LineItemDiscountLandsOnTheDeal) {
  Harness h;
  h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  // The line item's CREATE carries OpportunityId: the mapping is learned.
  nlohmann::json create = Fixture(kSfFile, "cometd_opportunity_line_item_update_discount");
  auto& payload = create["data"]["payload"];
  payload["ChangeEventHeader"]["changeType"] = "CREATE";
  payload["ChangeEventHeader"]["commitNumber"] = 11400000000000;
  payload["ChangeEventHeader"]["transactionKey"] = "li-create";
  payload["OpportunityId"] = kDealId;
  payload.erase("Discount");
  EXPECT_EQ(Reasons(h.Run(kLineItem, create.dump())), "no_relevant_fields");

  Event ev = Only(
      h.Run(kLineItem, FixtureText(kSfFile, "cometd_opportunity_line_item_update_discount")));
  EXPECT_EQ(ev.deal().deal_id(), kDealId);
  EXPECT_EQ(ev.deal().discount_bps(), 1250);
  EXPECT_EQ(ev.deal().change(), coachstream::v1::CHANGE_KIND_UPDATED);
  EXPECT_EQ(ev.deal().amount().amount_minor(), 12500000);
  EXPECT_EQ(std::vector<std::string>(ev.deal().changed_fields().begin(),
                                     ev.deal().changed_fields().end()),
            (std::vector<std::string>{"discount_bps"}));
  EXPECT_EQ(ev.event_id(), "sf:0004a3f1-7c2e-9b11-52d0-8e4c1a7f3b20:2:00k5g00000Fh2JkAAJ");
}

TEST(GoldenSalesforce, TaskCallFromRestAndCdcCollapse) {
  Harness h;
  Event ev = Only(h.Run("com.salesforce.sobject.Task", FixtureText(kActFile, "task_call")));
  EXPECT_EQ(ev.rep_id(), "p_dana");
  EXPECT_EQ(ev.source_ref(), "task/00T5g00000Pq7RsEAJ");
  EXPECT_EQ(Iso(ev.occurred_at()), "2024-06-03T17:31:44.000Z");
  const auto& c = ev.call();
  EXPECT_EQ(c.call_id(), "00T5g00000Pq7RsEAJ");
  EXPECT_EQ(c.direction(), coachstream::v1::CALL_DIRECTION_OUTBOUND);
  EXPECT_EQ(c.duration_ms(), 734000);
  EXPECT_TRUE(c.connected());
  EXPECT_EQ(c.outcome(), "Connected - Interested");
  EXPECT_EQ(c.deal_id(), kDealId);
  EXPECT_FALSE(c.stats().has_talk_ratio());
  RecordOutcome cdc = h.Run("com.salesforce.cdc.TaskChangeEvent",
                            FixtureText(kActFile, "cometd_task_change_event_create"));
  EXPECT_EQ(Kinds(cdc), "duplicate");
}

TEST(GoldenSalesforce, TaskChangeEventCreateAlone) {
  Harness h;
  Event ev = Only(h.Run("com.salesforce.cdc.TaskChangeEvent",
                        FixtureText(kActFile, "cometd_task_change_event_create")));
  EXPECT_EQ(ev.call().call_id(), "00T5g00000Pq7RsEAJ");
  EXPECT_EQ(ev.call().duration_ms(), 734000);
  EXPECT_EQ(Iso(ev.occurred_at()), "2024-06-03T17:31:50.000Z");  // CreatedDate
}

TEST(GoldenSalesforce, EventIsACustomerMeeting) {
  Harness h;
  Event ev = Only(h.Run("com.salesforce.sobject.Event", FixtureText(kActFile, "event_meeting")));
  EXPECT_EQ(ev.rep_id(), "p_dana");
  const auto& m = ev.meeting();
  EXPECT_EQ(m.meeting_id(), "00U5g00000Ab12CEAR");
  EXPECT_EQ(m.kind(), coachstream::v1::MEETING_KIND_CUSTOMER);  // WhoId is a Contact
  EXPECT_EQ(m.status(), coachstream::v1::MEETING_STATUS_SCHEDULED);
  EXPECT_EQ(Iso(m.start_at()), "2024-06-10T16:00:00.000Z");
  EXPECT_EQ(Iso(m.end_at()), "2024-06-10T16:45:00.000Z");
  EXPECT_EQ(Iso(m.booked_at()), "2024-06-03T17:35:02.000Z");
  EXPECT_EQ(m.external_attendees(), 1);
  EXPECT_EQ(m.deal_id(), kDealId);
}

TEST(GoldenHubspot, DealWebhookBatchMergesOnePropertyAtATime) {
  Harness h;
  RecordOutcome out = h.Run(kHsBatch, FixtureText("hubspot_deal_webhook.json"));
  ASSERT_EQ(Kinds(out), "skip,skip,skip,skip,skip,emit,skip");
  EXPECT_EQ(Reasons(out),
            "no_owner,no_owner,no_owner,no_owner,no_owner,none,unknown_record");
  Event ev = Only(out);
  EXPECT_EQ(ev.event_id(), "hs:44120987:3108472499:19855432871:1717436700000");
  EXPECT_EQ(ev.rep_id(), "p_dana");
  EXPECT_EQ(ev.source_ref(), "deal/19855432871");
  const auto& d = ev.deal();
  EXPECT_EQ(d.owner_id(), "p_dana");
  EXPECT_EQ(d.stage(), coachstream::v1::DEAL_STAGE_CLOSED_WON);
  EXPECT_EQ(d.stage_label(), "closedwon");
  EXPECT_TRUE(d.is_won());
  EXPECT_TRUE(d.is_closed());  // derived from the stage: hs_is_closed never came
  EXPECT_EQ(d.amount().amount_minor(), 9800000);
  EXPECT_EQ(DateText(d.close_date()), "2024-07-15");
  EXPECT_EQ(Iso(d.created_at()), "2024-06-03T17:42:10.114Z");  // deal.creation occurredAt
  EXPECT_EQ(d.source_version(), 1717436700000);
  // Redelivery of the whole batch: nothing new.
  RecordOutcome again = h.Run(kHsBatch, FixtureText("hubspot_deal_webhook.json"));
  EXPECT_EQ(Kinds(again), "duplicate,duplicate,duplicate,duplicate,duplicate,duplicate,duplicate");
}

TEST(GoldenHubspot, CrmReadFillsOnlyFieldsNothingNewerTouched) {
  Harness h;
  h.Run(kHsBatch, FixtureText("hubspot_deal_webhook.json"));
  Event ev = Only(h.Run("com.hubspot.crm.deal", FixtureText("hubspot_crm_objects.json", "deal")));
  const auto& d = ev.deal();
  EXPECT_EQ(d.name(), "Acme Corp - Platform Expansion");
  EXPECT_EQ(Iso(d.created_at()), "2024-05-02T16:21:09.412Z");
  EXPECT_EQ(d.amount().currency_code(), "USD");
  // The read is older than the webhook batch (1717436700000) but fills
  // name, created_at and currency: a new snapshot, numbered one above the
  // previous emission so that metrics applies it.
  EXPECT_EQ(d.source_version(), 1717436700001);
}

TEST(GoldenHubspot, CrmDealAndCallReads) {
  Harness h;
  Event deal = Only(h.Run("com.hubspot.crm.deal", FixtureText("hubspot_crm_objects.json", "deal")));
  EXPECT_EQ(deal.deal().owner_id(), "p_dana");
  EXPECT_EQ(deal.deal().stage(), coachstream::v1::DEAL_STAGE_CLOSED_WON);
  EXPECT_EQ(deal.deal().amount().amount_minor(), 9800000);
  EXPECT_EQ(DateText(deal.deal().close_date()), "2024-07-15");
  EXPECT_TRUE(deal.deal().is_closed());
  EXPECT_EQ(deal.deal().source_version(), 1717436602118);

  Event call = Only(h.Run("com.hubspot.crm.call", FixtureText("hubspot_crm_objects.json", "call")));
  EXPECT_EQ(call.rep_id(), "p_dana");
  EXPECT_EQ(Iso(call.occurred_at()), "2024-06-03T17:19:30.000Z");
  EXPECT_EQ(call.call().call_id(), "61022334455");
  EXPECT_EQ(call.call().duration_ms(), 734000);  // hs_call_duration is ms
  EXPECT_EQ(call.call().direction(), coachstream::v1::CALL_DIRECTION_OUTBOUND);
  EXPECT_TRUE(call.call().connected());  // the "Connected" disposition GUID
  EXPECT_EQ(call.call().outcome(), "Connected");
  EXPECT_EQ(call.call().deal_id(), "19855432871");
}

TEST(GoldenHubspot, GenericObjectWebhooks) {
  Harness h;
  h.Run("com.hubspot.crm.deal", FixtureText("hubspot_crm_objects.json", "deal"));
  RecordOutcome out = h.Run(kHsBatch, FixtureText("hubspot_generic_object_webhook.json"));
  // Calls (0-48) carry ids only; the deal (0-3) stage change is older than
  // the CRM read that already set the stage.
  EXPECT_EQ(Kinds(out), "skip,skip,stale");
  EXPECT_EQ(Reasons(out), "hydration_required,hydration_required,none");
}

TEST(GoldenHubspot, GenericDealWebhookOnKnownDeal) {
  Harness h;
  nlohmann::json batch = Fixture("hubspot_generic_object_webhook.json");
  batch[2]["propertyValue"] = "contractsent";
  batch[2]["occurredAt"] = 1717500000000;
  h.Run("com.hubspot.crm.deal", FixtureText("hubspot_crm_objects.json", "deal"));
  Event ev = Only(h.Run(kHsBatch, batch.dump()));
  EXPECT_EQ(ev.deal().stage(), coachstream::v1::DEAL_STAGE_NEGOTIATION);
  EXPECT_EQ(ev.deal().previous_stage(), coachstream::v1::DEAL_STAGE_CLOSED_WON);
}

}  // namespace
}  // namespace cs::ingest::testing
