// Golden tests: call-intelligence, dialer and calendar fixtures.

#include <gtest/gtest.h>

#include "tests/services/ingest/test_support.h"

namespace cs::ingest::testing {
namespace {

using coachstream::v1::Event;

constexpr char kGcal[] = "com.google.calendar.event";
constexpr char kGraph[] = "com.microsoft.graph.event";
constexpr char kGcalFile[] = "google_calendar_event.json";
constexpr char kGraphFile[] = "msgraph_event.json";

Event Only(const RecordOutcome& out) {
  std::vector<Event> events = Events(out);
  EXPECT_EQ(events.size(), 1u) << Kinds(out) << " " << Reasons(out);
  return events.empty() ? Event() : events[0];
}

void ExpectGongCall(const Event& ev) {
  EXPECT_EQ(ev.rep_id(), "p_dana");
  EXPECT_EQ(ev.source_system(), coachstream::v1::SOURCE_SYSTEM_GONG);
  EXPECT_EQ(Iso(ev.occurred_at()), "2024-06-10T16:01:47.312Z");
  const auto& c = ev.call();
  EXPECT_EQ(c.call_id(), "7390018244531920471");
  EXPECT_EQ(c.direction(), coachstream::v1::CALL_DIRECTION_CONFERENCE);
  EXPECT_EQ(c.duration_ms(), 2634000);
  EXPECT_TRUE(c.connected());
  EXPECT_EQ(c.outcome(), "Meeting booked");
  EXPECT_TRUE(c.meeting_booked());
  EXPECT_EQ(c.deal_id(), "0065g00000QxYzTAAV");
  EXPECT_EQ(c.external_participants(), 2);
  EXPECT_DOUBLE_EQ(c.stats().talk_ratio(), 0.54);
  EXPECT_EQ(c.stats().longest_monologue_s(), 141);
  EXPECT_DOUBLE_EQ(c.stats().question_rate_per_hour(), 11.4);
  EXPECT_DOUBLE_EQ(c.stats().interactivity(), 6.8);
  EXPECT_EQ(c.stats().patience_ms(), 920);
  EXPECT_TRUE(c.stats().has_has_next_step());
  EXPECT_TRUE(c.stats().has_next_step());
}

TEST(GoldenGong, ExtensivePageAndWebhookAreTheSameCall) {
  Harness h;
  Event ev = Only(h.Run("io.gong.calls.extensive", FixtureText("gong_calls_extensive.json")));
  ExpectGongCall(ev);
  // Metadata only: nothing of the transcript-like content leaks.
  std::string bytes = ev.SerializeAsString();
  EXPECT_EQ(bytes.find("revised order form"), std::string::npos);
  EXPECT_EQ(bytes.find("cdn.gong.io"), std::string::npos);
  RecordOutcome hook =
      h.Run("io.gong.automation.webhook", FixtureText("gong_automation_rule_webhook.json"));
  EXPECT_EQ(Kinds(hook), "duplicate");
}

TEST(GoldenGong, WebhookAloneAndTestDeliveries) {
  Harness h;
  nlohmann::json hook = Fixture("gong_automation_rule_webhook.json");
  ExpectGongCall(Only(h.Run("io.gong.automation.webhook", hook.dump())));
  hook["isTest"] = true;
  Harness h2;
  RecordOutcome test = h2.Run("io.gong.automation.webhook", hook.dump());
  EXPECT_EQ(Kinds(test), "skip");
  EXPECT_EQ(Reasons(test), "test_payload");
}

TEST(GoldenGong, BasicRecordsNeverReplaceExtensiveOnes) {
  Harness h;
  RecordOutcome basic = h.Run("io.gong.calls.basic", FixtureText("gong_calls_basic.json"));
  ASSERT_EQ(Kinds(basic), "emit,emit");
  std::vector<Event> events = Events(basic);
  EXPECT_EQ(events[1].call().call_id(), "7390018244531920472");
  EXPECT_EQ(events[1].call().direction(), coachstream::v1::CALL_DIRECTION_OUTBOUND);
  EXPECT_EQ(events[1].call().duration_ms(), 187000);
  EXPECT_TRUE(events[1].call().connected());  // sdrDisposition "Connected"
  EXPECT_FALSE(events[0].call().stats().has_talk_ratio());
  // The extensive record supersedes the basic one...
  ExpectGongCall(Only(h.Run("io.gong.calls.extensive", FixtureText("gong_calls_extensive.json"))));
  // ...and a late basic record does not go back.
  RecordOutcome late = h.Run("io.gong.calls.basic", FixtureText("gong_calls_basic.json"));
  EXPECT_EQ(Kinds(late), "stale,duplicate");
}

TEST(GoldenDialers, SalesloftBodyOrWrappedDelivery) {
  Harness h;
  Event ev = Only(h.Run("com.salesloft.webhook.call",
                        FixtureText("salesloft_call_webhook.json", "body")));
  EXPECT_EQ(ev.rep_id(), "p_dana");
  EXPECT_EQ(ev.source_system(), coachstream::v1::SOURCE_SYSTEM_SALESLOFT);
  EXPECT_EQ(Iso(ev.occurred_at()), "2024-06-03T21:31:44.512Z");
  EXPECT_EQ(ev.call().call_id(), "918273645");
  EXPECT_EQ(ev.call().duration_ms(), 734000);
  EXPECT_EQ(ev.call().direction(), coachstream::v1::CALL_DIRECTION_OUTBOUND);
  EXPECT_TRUE(ev.call().connected());
  EXPECT_EQ(ev.call().outcome(), "Connected");
  nlohmann::json whole = Fixture("salesloft_call_webhook.json");
  whole.erase("_about");
  EXPECT_EQ(Kinds(h.Run("com.salesloft.webhook.call", whole.dump())), "duplicate");
}

TEST(GoldenDialers, OutreachJsonApiCall) {
  Harness h;
  Event ev = Only(h.Run("io.outreach.webhook.call",
                        FixtureText("outreach_call_webhook.json", "body")));
  EXPECT_EQ(ev.rep_id(), "p_dana");
  EXPECT_EQ(ev.source_system(), coachstream::v1::SOURCE_SYSTEM_OUTREACH);
  EXPECT_EQ(Iso(ev.occurred_at()), "2024-06-03T17:19:31.000Z");
  EXPECT_EQ(ev.call().call_id(), "482193");
  EXPECT_EQ(ev.call().duration_ms(), 722000);  // answeredAt -> completedAt
  EXPECT_TRUE(ev.call().connected());
  EXPECT_EQ(ev.call().outcome(), "Answered");
  EXPECT_EQ(ev.call().deal_id(), "7712");
  EXPECT_EQ(ev.event_id(), "outreach:call:482193:1717435904000");
}

TEST(GoldenCalendar, GoogleCustomerMeetingIgnoresRooms) {
  Harness h;
  Event ev = Only(h.Run(kGcal, FixtureText(kGcalFile, "event_single")));
  EXPECT_EQ(ev.event_id(), "gcal:4q7c1n3k9v2m8p0r5t6s:3432178922234000/p_dana");
  EXPECT_EQ(ev.rep_id(), "p_dana");
  const auto& m = ev.meeting();
  EXPECT_EQ(m.kind(), coachstream::v1::MEETING_KIND_CUSTOMER);
  EXPECT_EQ(m.status(), coachstream::v1::MEETING_STATUS_SCHEDULED);
  EXPECT_EQ(m.external_attendees(), 2);  // the room does not count
  EXPECT_EQ(m.account_domain(), "acme.com");
  EXPECT_EQ(Iso(m.start_at()), "2024-06-10T16:00:00.000Z");
  EXPECT_EQ(Iso(m.end_at()), "2024-06-10T16:45:00.000Z");
  EXPECT_EQ(Iso(m.booked_at()), "2024-06-03T17:35:02.000Z");
  // The version's time ("updated"), which metrics orders a meeting's
  // snapshots by; the meeting's own time is start_at.
  EXPECT_EQ(Iso(ev.occurred_at()), "2024-06-04T08:12:44.917Z");
}

TEST(GoldenCalendar, AccountDomainIsTheExternalAttendeesMostCommonDomain) {
  Harness h;
  nlohmann::json e = Fixture(kGcalFile, "event_single");
  // acme.com twice, globex.com three times: the account is globex.com.
  for (const char* who : {"a@globex.com", "b@globex.com", "c@globex.com"}) {
    e["attendees"].push_back({{"email", who}, {"responseStatus", "accepted"}});
  }
  e["etag"] = "\"3432178922234001\"";
  EXPECT_EQ(Only(h.Run(kGcal, e.dump())).meeting().account_domain(), "globex.com");
  // Personal mailboxes: each address is its own account (two gmail
  // prospects are not one company), so acme.com's two attendees win.
  nlohmann::json p = Fixture(kGcalFile, "event_single");
  for (const char* who : {"x@gmail.com", "y@gmail.com", "z@gmail.com"}) {
    p["attendees"].push_back({{"email", who}, {"responseStatus", "accepted"}});
  }
  p["id"] = "personal-mail-meeting";
  EXPECT_EQ(Only(h.Run(kGcal, p.dump())).meeting().account_domain(), "acme.com");
}

TEST(GoldenCalendar, GoogleRecurringInstanceInternalOrOneOnOne) {
  Harness internal;
  RecordOutcome out = internal.Run(kGcal, FixtureText(kGcalFile, "event_recurring_instance"));
  std::vector<Event> events = Events(out);
  ASSERT_EQ(events.size(), 2u);  // Dana and the VP, both in the directory
  EXPECT_EQ(events[0].rep_id(), "p_dana");
  EXPECT_EQ(events[1].rep_id(), "p_vp");
  EXPECT_EQ(events[0].meeting().kind(), coachstream::v1::MEETING_KIND_INTERNAL);
  EXPECT_EQ(events[0].meeting().series_id(), "7h2k9d0s1m3n5b7v8c");
  EXPECT_EQ(events[0].meeting().status(), coachstream::v1::MEETING_STATUS_SCHEDULED);

  Harness one_on_one(/*vp_manages_dana=*/true);
  events = Events(one_on_one.Run(kGcal, FixtureText(kGcalFile, "event_recurring_instance")));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].meeting().kind(), coachstream::v1::MEETING_KIND_ONE_ON_ONE);
  EXPECT_EQ(events[0].meeting().counterpart_id(), "p_vp");  // Dana's manager
  EXPECT_EQ(events[1].meeting().counterpart_id(), "p_dana");
}

// A meeting read while one of its internal participants is not in the
// directory yet is credited to the others at once and kept: once the
// directory learns them, the retried record credits them too (and a 1:1
// is recognised). Read again without being retried, it is a duplicate.
TEST(GoldenCalendar, ParticipantLearnedLaterIsCreditedToo) {
  Harness h;
  const coachstream::v1::Person lee = Forget(&h.directory, "p_lee");
  nlohmann::json e = Fixture(kGcalFile, "event_single");
  e["attendees"].push_back({{"email", "lee.seller@ourco.com"}, {"responseStatus", "accepted"}});
  RecordOutcome first = h.Run(kGcal, e.dump());
  ASSERT_EQ(Kinds(first), "emit");
  EXPECT_EQ(Only(first).rep_id(), "p_dana");
  EXPECT_EQ(first.items[0].watch.email, "lee.seller@ourco.com");
  EXPECT_EQ(Kinds(h.Run(kGcal, e.dump())), "duplicate") << "a redelivery is not a retry";

  h.directory.Upsert(lee);
  RecordOutcome retried = h.Retry(kGcal, e.dump());
  ASSERT_EQ(Kinds(retried), "emit");
  EXPECT_TRUE(retried.items[0].watch.empty());
  std::vector<std::string> ids;
  for (const Event& ev : Events(retried)) {
    ids.push_back(ev.event_id());
    EXPECT_EQ(ev.meeting().kind(), coachstream::v1::MEETING_KIND_CUSTOMER);
  }
  const std::string dana_id = first.items[0].events[0].event_id();  // "<version's id>/p_dana"
  const std::string version_id = dana_id.substr(0, dana_id.rfind('/'));
  EXPECT_EQ(ids, (std::vector<std::string>{dana_id, version_id + "/p_lee"}));
  EXPECT_EQ(Kinds(h.Retry(kGcal, e.dump())), "duplicate") << "nobody is missing any more";

  // A 1:1 whose manager is learned later: an internal meeting for Dana
  // first, then the 1:1 for both.
  Harness one_on_one(/*vp_manages_dana=*/true);
  const coachstream::v1::Person vp = Forget(&one_on_one.directory, "p_vp");
  const std::string instance = FixtureText(kGcalFile, "event_recurring_instance");
  Event alone = Only(one_on_one.Run(kGcal, instance));
  EXPECT_EQ(alone.meeting().kind(), coachstream::v1::MEETING_KIND_INTERNAL);
  one_on_one.directory.Upsert(vp);
  std::vector<Event> both = Events(one_on_one.Retry(kGcal, instance));
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].meeting().kind(), coachstream::v1::MEETING_KIND_ONE_ON_ONE);
  EXPECT_EQ(both[0].meeting().counterpart_id(), "p_vp");
  EXPECT_EQ(both[0].event_id(), alone.event_id());
  EXPECT_EQ(both[0].occurred_at().seconds(), alone.occurred_at().seconds()) << "the same version";
}

TEST(GoldenCalendar, GoogleIncrementalPage) {
  Harness h;
  h.Run(kGcal, FixtureText(kGcalFile, "event_single"));
  nlohmann::json instance = Fixture(kGcalFile, "event_recurring_instance");
  instance["id"] = "7h2k9d0s1m3n5b7v8c_20240619T160000Z";
  instance["start"]["dateTime"] = "2024-06-19T09:00:00-07:00";
  instance["end"]["dateTime"] = "2024-06-19T09:30:00-07:00";
  const Event instance_booked = h.Run(kGcal, instance.dump()).items.at(0).events.at(0);
  RecordOutcome page = h.Run(kGcal, FixtureText(kGcalFile, "events_list_incremental_response"));
  // Same event again; a cancelled event never seen; a cancelled instance
  // credited before to Dana and the VP.
  ASSERT_EQ(Kinds(page), "duplicate,skip,emit");
  EXPECT_EQ(Reasons(page), "none,unknown_record,none");
  const auto& cancelled = page.items[2].events;
  ASSERT_EQ(cancelled.size(), 2u);
  EXPECT_EQ(cancelled[0].meeting().status(), coachstream::v1::MEETING_STATUS_CANCELLED);
  EXPECT_EQ(cancelled[0].meeting().kind(), coachstream::v1::MEETING_KIND_INTERNAL);
  EXPECT_EQ(Iso(cancelled[0].meeting().start_at()), "2024-06-19T16:00:00.000Z");
  EXPECT_EQ(cancelled[1].rep_id(), "p_vp");
  // Same start, later version: metrics must not take it for the booked one.
  EXPECT_GT(cancelled[0].occurred_at().seconds(), instance_booked.occurred_at().seconds());
}

TEST(GoldenCalendar, GoogleDeclinedAndAllDay) {
  Harness h;
  nlohmann::json e = Fixture(kGcalFile, "event_single");
  e["attendees"][0]["responseStatus"] = "declined";
  e["start"] = {{"date", "2024-06-10"}};
  e["end"] = {{"date", "2024-06-11"}};
  Event ev = Only(h.Run(kGcal, e.dump()));
  EXPECT_EQ(ev.meeting().status(), coachstream::v1::MEETING_STATUS_DECLINED);
  EXPECT_EQ(Iso(ev.meeting().start_at()), "2024-06-10T00:00:00.000Z");
}

TEST(GoldenCalendar, GraphEventAndDeltaPage) {
  Harness h;
  Event ev = Only(h.Run(kGraph, FixtureText(kGraphFile, "event")));
  EXPECT_EQ(ev.event_id(), "graph:AAMkAGIAAAoZDOFAAA=:ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==/p_dana");
  const auto& m = ev.meeting();
  EXPECT_EQ(m.kind(), coachstream::v1::MEETING_KIND_CUSTOMER);
  EXPECT_EQ(m.external_attendees(), 2);  // the resource room is internal anyway
  EXPECT_EQ(m.account_domain(), "acme.com");
  EXPECT_EQ(Iso(m.start_at()), "2024-06-10T16:00:00.000Z");
  EXPECT_EQ(Iso(m.end_at()), "2024-06-10T16:45:00.000Z");
  EXPECT_EQ(Iso(m.booked_at()), "2024-06-03T17:35:02.118Z");
  RecordOutcome page = h.Run(kGraph, FixtureText(kGraphFile, "delta_page_with_removed"));
  EXPECT_EQ(Kinds(page), "duplicate,skip");  // @odata.etag == changeKey
  EXPECT_EQ(Reasons(page), "none,unknown_record");
}

TEST(GoldenCalendar, GraphRemovedAndCancelledAfterSeen) {
  Harness h;
  nlohmann::json e = Fixture(kGraphFile, "event");
  e["id"] = "AAMkAGIAAAoZDOGBBB=";
  h.Run(kGraph, e.dump());
  RecordOutcome page = h.Run(kGraph, FixtureText(kGraphFile, "delta_page_with_removed"));
  ASSERT_EQ(Kinds(page), "emit,emit");
  EXPECT_EQ(page.items[1].events[0].meeting().status(),
            coachstream::v1::MEETING_STATUS_CANCELLED);
  e["id"] = "AAMkAGIAAAoZDOFAAA=";
  e["isCancelled"] = true;
  e["changeKey"] = "v2";
  e["lastModifiedDateTime"] = "2024-06-05T10:00:00.000Z";
  Event cancelled = Only(h.Run(kGraph, e.dump()));
  EXPECT_EQ(cancelled.meeting().status(), coachstream::v1::MEETING_STATUS_CANCELLED);
  EXPECT_EQ(Iso(cancelled.occurred_at()), "2024-06-05T10:00:00.000Z");
}

// A deletion marker that overtakes its meeting's creation (the creation
// parked until its organiser is known, or delivered late) is remembered:
// the creation then changes nothing, so a cancelled meeting never counts.
// Only a version modified after the deletion came (a restore) is credited.
TEST(GoldenCalendar, DeletionBeforeCreationIsRemembered) {
  Harness h;  // clock at 2024-07-01
  RecordOutcome page = h.Run(kGraph, FixtureText(kGraphFile, "delta_page_with_removed"));
  ASSERT_EQ(Kinds(page), "emit,skip");  // AAMkAGIAAAoZDOGBBB= @removed, never seen
  EXPECT_EQ(Reasons(page), "none,unknown_record");

  nlohmann::json e = Fixture(kGraphFile, "event");  // last modified 2024-06-04
  e["id"] = "AAMkAGIAAAoZDOGBBB=";
  RecordOutcome creation = h.Run(kGraph, e.dump());
  EXPECT_EQ(Kinds(creation), "stale");
  EXPECT_TRUE(Events(creation).empty());
  // The marker again: a duplicate, and the creation still changes nothing.
  EXPECT_EQ(Kinds(h.Run(kGraph, FixtureText(kGraphFile, "delta_page_with_removed"))), "duplicate,duplicate");
  EXPECT_EQ(Kinds(h.Run(kGraph, e.dump())), "stale");

  // Restored after the deletion was seen: a new meeting for Dana.
  e["lastModifiedDateTime"] = "2024-07-02T09:00:00.0000000Z";
  e["changeKey"] = "restored";
  Event restored = Only(h.Run(kGraph, e.dump()));
  EXPECT_EQ(restored.meeting().status(), coachstream::v1::MEETING_STATUS_SCHEDULED);
  EXPECT_EQ(restored.rep_id(), "p_dana");
  // ... and a later deletion cancels it for her.
  page = h.Run(kGraph, FixtureText(kGraphFile, "delta_page_with_removed"));
  EXPECT_EQ(Kinds(page), "duplicate,emit");
  EXPECT_EQ(page.items[1].events.at(0).meeting().status(), coachstream::v1::MEETING_STATUS_CANCELLED);
}

// The same for Google's minimal {"id", "status": "cancelled"} entries.
TEST(GoldenCalendar, GoogleCancellationBeforeCreationIsRemembered) {
  Harness h;
  nlohmann::json event = Fixture(kGcalFile, "event_single");
  nlohmann::json cancelled = {{"kind", "calendar#event"}, {"id", event["id"]}, {"status", "cancelled"}};
  EXPECT_EQ(Reasons(h.Run(kGcal, cancelled.dump())), "unknown_record");
  RecordOutcome creation = h.Run(kGcal, event.dump());
  EXPECT_EQ(Kinds(creation), "stale");
  EXPECT_TRUE(Events(creation).empty());
}

// The marker of a deletion is versioned with the time the connector
// reported it (ce_time), not with the time ingest read it: read again a
// month later (a replay of the raw topic), a restore modified after the
// deletion was reported is still new, a version from before still stale.
// A version without a modification time is credited at that time too.
TEST(GoldenCalendar, DeletionMarkerTakesTheTimeItWasReported) {
  Harness h;  // clock at 2024-07-01, a month after
  nlohmann::json event = Fixture(kGcalFile, "event_single");
  nlohmann::json cancelled = {{"kind", "calendar#event"}, {"id", event["id"]}, {"status", "cancelled"}};
  auto reported = [](std::string value, const char* at) {
    RawRecord r = Binary(kGcal, std::move(value));
    r.headers.emplace_back("ce_time", at);
    return r;
  };
  EXPECT_EQ(Reasons(h.Run(reported(cancelled.dump(), "2024-06-01T08:00:00Z"))), "unknown_record");
  event["updated"] = "2024-05-31T12:00:00.000Z";  // modified before the deletion
  EXPECT_EQ(Kinds(h.Run(reported(event.dump(), "2024-06-02T08:00:00Z"))), "stale");
  event["updated"] = "2024-06-03T12:00:00.000Z";  // restored after it
  event["etag"] = "\"restored\"";
  Event restored = Only(h.Run(reported(event.dump(), "2024-06-03T12:05:00Z")));
  EXPECT_EQ(restored.meeting().status(), coachstream::v1::MEETING_STATUS_SCHEDULED);
  EXPECT_EQ(Iso(restored.occurred_at()), "2024-06-03T12:00:00.000Z");
  // Cancelled again, by a minimal entry without a modification time.
  Event again = Only(h.Run(reported(cancelled.dump(), "2024-06-04T09:30:00Z")));
  EXPECT_EQ(again.meeting().status(), coachstream::v1::MEETING_STATUS_CANCELLED);
  EXPECT_EQ(Iso(again.occurred_at()), "2024-06-04T09:30:00.000Z");
}

// A cancellation that comes while the meeting's creation is parked (its
// organiser not yet in the directory) waits behind it: once she is learned
// the two are retried in order and the meeting is booked, then cancelled,
// as when the directory was loaded first.
TEST(GoldenCalendar, GoogleCancellationWaitsBehindItsParkedCreation) {
  Harness h;
  const coachstream::v1::Person known = Forget(&h.directory, "p_dana");
  nlohmann::json event = Fixture(kGcalFile, "event_single");
  nlohmann::json cancelled = {{"kind", "calendar#event"}, {"id", event["id"]}, {"status", "cancelled"}};
  ASSERT_EQ(Kinds(h.Run(kGcal, event.dump())), "park");
  RecordOutcome waiting = h.Run(kGcal, cancelled.dump());
  ASSERT_EQ(Kinds(waiting), "park") << waiting.items[0].message;
  EXPECT_NE(waiting.items[0].message.find("waits for its parked version"), std::string::npos);

  h.directory.Upsert(known);
  std::vector<coachstream::v1::MeetingStatus> statuses;
  for (const nlohmann::json* record : {&event, &cancelled}) {
    for (const Event& e : Events(h.Retry(kGcal, record->dump()))) {
      EXPECT_EQ(e.rep_id(), "p_dana");
      statuses.push_back(e.meeting().status());
    }
  }
  EXPECT_EQ(statuses, (std::vector<coachstream::v1::MeetingStatus>{coachstream::v1::MEETING_STATUS_SCHEDULED,
                                                                  coachstream::v1::MEETING_STATUS_CANCELLED}));
  // A cancellation retried while its creation is still parked but the
  // organiser known (the creation dead-lettered, say) is remembered as before.
  Harness h2;
  Forget(&h2.directory, "p_dana");
  ASSERT_EQ(Kinds(h2.Run(kGcal, event.dump())), "park");
  h2.directory.Upsert(known);
  ASSERT_EQ(Kinds(h2.Run(kGcal, cancelled.dump())), "park") << "its creation is about to be retried";
  EXPECT_EQ(Reasons(h2.Retry(kGcal, cancelled.dump())), "unknown_record");
  EXPECT_EQ(Kinds(h2.Run(kGcal, event.dump())), "stale");
}

TEST(GoldenCalendar, GraphWindowsAndIanaZones) {
  Harness h;
  nlohmann::json e = Fixture(kGraphFile, "event");
  e["start"] = {{"dateTime", "2024-06-10T09:00:00.0000000"}, {"timeZone", "Pacific Standard Time"}};
  e["end"] = {{"dateTime", "2024-06-10T18:45:00.0000000"}, {"timeZone", "Europe/Berlin"}};
  Event ev = Only(h.Run(kGraph, e.dump()));
  EXPECT_EQ(Iso(ev.meeting().start_at()), "2024-06-10T16:00:00.000Z");
  EXPECT_EQ(Iso(ev.meeting().end_at()), "2024-06-10T16:45:00.000Z");
  e["start"]["timeZone"] = "Mars Standard Time";
  Harness h2;
  RecordOutcome bad = h2.Run(kGraph, e.dump());
  EXPECT_EQ(Reasons(bad), "invalid_value");
  EXPECT_NE(bad.items[0].message.find("start.dateTime"), std::string::npos) << bad.items[0].message;
}

TEST(GoldenCalendar, GraphNotificationsNeedHydration) {
  Harness h;
  RecordOutcome out = h.Run(kGraph, FixtureText("msgraph_change_notification.json",
                                               "change_notification_collection"));
  EXPECT_EQ(Kinds(out), "skip,skip");
  EXPECT_EQ(Reasons(out), "hydration_required,hydration_required");
}

TEST(GoldenCalendar, OneOnOneWithManagerOverGraph) {
  Harness h;
  nlohmann::json e = Fixture(kGraphFile, "event");
  e["attendees"] = nlohmann::json::array(
      {{{"type", "required"},
        {"status", {{"response", "accepted"}}},
        {"emailAddress", {{"address", "Mia.Manager@ourco.com"}}}}});
  RecordOutcome out = h.Run(kGraph, e.dump());
  std::vector<Event> events = Events(out);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].rep_id(), "p_dana");  // organizer appended after attendees
  EXPECT_EQ(events[1].meeting().kind(), coachstream::v1::MEETING_KIND_ONE_ON_ONE);
  EXPECT_EQ(events[1].meeting().counterpart_id(), "p_mia");
}

}  // namespace
}  // namespace cs::ingest::testing
