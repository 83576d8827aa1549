// Activity and call-behaviour drivers: dedup, event-time bucketing in the
// rep's zone, period boundaries, late events, meetings held and booked.

#include <gtest/gtest.h>

#include <limits>

#include "libs/base/stable_hash.h"
#include "services/metrics/core/drivers.h"
#include "services/metrics/core/keys.h"
#include "services/metrics/core/ledger.h"
#include "services/metrics/core/metrics_core.h"
#include "tests/services/metrics/test_support.h"

namespace cs::metrics::testing {
namespace {

using coachstream::v1::CALL_DIRECTION_INBOUND;
using coachstream::v1::MEETING_KIND_CUSTOMER;
using coachstream::v1::MEETING_STATUS_CANCELLED;
using coachstream::v1::MEETING_STATUS_SCHEDULED;
using coachstream::v1::ROLE_ACCOUNT_EXECUTIVE;
using coachstream::v1::ROLE_SDR;

TEST(ActivityTest, CallsCountOncePerEventIdAndPerCallId) {
  Harness h(At("2024-06-30T00:00:00"));
  h.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb"),
            Call("e1", "r1", At("2024-06-03T10:00:00"), /*connected=*/true),
            Call("e2", "r1", At("2024-06-03T11:00:00"), false),
            Call("e3", "r1", At("2024-06-04T09:00:00"), true)});
  coachstream::v1::Event resync = Call("e2-resync", "r1", At("2024-06-03T11:00:00"), true);
  resync.mutable_call()->set_call_id("call-e2");  // same call, new event id
  h.Ingest({Call("e1", "r1", At("2024-06-03T10:00:00"), true), resync});
  h.Ingest({Call("e1", "r1", At("2024-06-03T10:00:00"), true)});  // redelivered in a later batch

  EXPECT_EQ(h.results()[4], ApplyResult::kDuplicate);
  EXPECT_EQ(h.results()[5], ApplyResult::kDuplicate);
  EXPECT_EQ(h.results()[6], ApplyResult::kDuplicate);
  auto d = h.Drivers("r1", "2024-06");
  EXPECT_EQ(d["calls_made"].value(), 3);
  EXPECT_EQ(d["calls_made"].denominator(), 1);
  EXPECT_EQ(d["calls_connected"].value(), 2);
  EXPECT_EQ(d["connect_rate"].numerator(), 2);
  EXPECT_EQ(d["connect_rate"].denominator(), 3);
  EXPECT_EQ(d["connect_rate"].sample_size(), 3);
  EXPECT_DOUBLE_EQ(d["connect_rate"].value(), 2.0 / 3.0);
  EXPECT_EQ(d["connect_rate"].unit(), "ratio");
}

// Reps share dedup buckets (a tenant's reps hashed into 16 per day), but a
// call credited to two reps of one bucket counts for each, once.
TEST(ActivityTest, RepsSharingADedupBucketKeepTheirOwnCalls) {
  std::string other;  // a rep in r1's bucket
  for (int i = 2; other.empty(); ++i) {
    const std::string rep = "r" + std::to_string(i);
    if (LedgerGroup::DedupBucketOfHash(LedgerGroup::RepHash("acme", rep)) ==
        LedgerGroup::DedupBucketOfHash(LedgerGroup::RepHash("acme", "r1"))) {
      other = rep;
    }
  }
  Harness h(At("2024-06-30T00:00:00"));
  const absl::Time at = At("2024-06-03T10:00:00");
  h.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb"), Person(other, "m1", ROLE_ACCOUNT_EXECUTIVE, "smb"),
            Call("e1", "r1", at), Call("e1", other, at)});
  h.Ingest({Call("e1", "r1", at), Call("e1", other, at)});  // both redelivered
  EXPECT_EQ(h.results()[2], ApplyResult::kApplied);
  EXPECT_EQ(h.results()[3], ApplyResult::kApplied);
  EXPECT_EQ(h.results()[4], ApplyResult::kDuplicate);
  EXPECT_EQ(h.results()[5], ApplyResult::kDuplicate);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_made"), 1);
  EXPECT_EQ(h.Value(other, "2024-06", "calls_made"), 1);
  int dedup_keys = 0;
  for (const auto& [key, value] : h.store().data()) dedup_keys += key.rfind("dedup/20240603/acme/", 0) == 0;
  EXPECT_EQ(dedup_keys, 1);
}

// The fingerprint of a call id in the per-rep buckets (seen/ keys) written
// until 2026-12-03: FNV-1a of "c" then the id, MurmurHash3's finaliser.
// Spelt out here on purpose: it is what old stores hold.
uint64_t LegacyCallFingerprint(std::string_view call_id) { return Murmur3Mix(Fnv1a(call_id, Fnv1a("c"))); }

// A store written before 2026-12-03 keeps its fingerprints in per-rep
// buckets and has no dedup layout: a call applied then is still a
// duplicate when redelivered after the upgrade, for the days the old
// buckets can cover; the layout is recorded with the first batch.
TEST(ActivityTest, CallsAppliedBeforeTheDedupBucketsChangedStayDuplicates) {
  const absl::Time now = At("2024-06-30T00:00:00");
  const absl::Time at = At("2024-06-03T10:00:00");
  Harness h(now);
  h.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb"), Call("e1", "r1", at, true)});
  // Rewrite the dedup state as the old version kept it, then restart.
  std::vector<Mutation> downgrade;
  for (const auto& [key, value] : h.store().data()) {
    if (key.rfind("dedup/", 0) == 0 || key == kDedupLayoutKey) downgrade.push_back({Mutation::Op::kDelete, key, ""});
  }
  ASSERT_EQ(downgrade.size(), 2u);
  coachstream::v1::SeenBucket legacy;
  legacy.add_fingerprints(LegacyCallFingerprint("call-e1"));
  std::string legacy_key;
  SeenKeyInto(&legacy_key, absl::CivilDay(2024, 6, 3), "acme", "r1");
  downgrade.push_back({Mutation::Op::kPut, legacy_key, legacy.SerializeAsString()});
  h.store().Write(downgrade);
  h.Restart();

  h.Ingest({Call("e1", "r1", at, true), Call("e2", "r1", at + absl::Hours(1))});
  EXPECT_EQ(h.results()[2], ApplyResult::kDuplicate);
  EXPECT_EQ(h.results()[3], ApplyResult::kApplied);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_made"), 2);
  auto layout_bytes = h.store().Get(kDedupLayoutKey);
  ASSERT_TRUE(layout_bytes.ok() && layout_bytes->has_value());
  coachstream::v1::DedupLayout layout;
  ASSERT_TRUE(layout.ParseFromString(**layout_bytes));
  EXPECT_EQ(layout.legacy_before_day(), DayNumber(absl::CivilDay(2024, 6, 30)) + 2);
  // The new call went to the shared bucket; the old one stays where it was
  // (read only) until it expires.
  EXPECT_TRUE(h.store().data().contains(legacy_key));
  h.Restart();  // the layout is read back
  h.Ingest({Call("e1", "r1", at, true), Call("e2", "r1", at + absl::Hours(1))});
  EXPECT_EQ(h.results()[4], ApplyResult::kDuplicate);
  EXPECT_EQ(h.results()[5], ApplyResult::kDuplicate);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_made"), 2);
}

// A new store has no per-rep buckets to look at: its layout says so, and a
// restarted core reads no seen/ key.
TEST(ActivityTest, ANewStoreRecordsThatItHasNoOldDedupBuckets) {
  Harness h(At("2024-06-30T00:00:00"));
  h.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb"), Call("e1", "r1", At("2024-06-03T10:00:00"))});
  auto layout_bytes = h.store().Get(kDedupLayoutKey);
  ASSERT_TRUE(layout_bytes.ok() && layout_bytes->has_value());
  coachstream::v1::DedupLayout layout;
  ASSERT_TRUE(layout.ParseFromString(**layout_bytes));
  EXPECT_EQ(layout.legacy_before_day(), std::numeric_limits<int32_t>::min());
  h.Restart();
  const int gets = h.store().gets();
  h.Ingest({Call("e1", "r1", At("2024-06-03T10:00:00")), Call("e2", "r1", At("2024-06-04T10:00:00"))});
  EXPECT_EQ(h.results()[2], ApplyResult::kDuplicate);
  EXPECT_EQ(h.results()[3], ApplyResult::kApplied);
  // The person, the month bucket and two days' dedup buckets: no seen/ key.
  EXPECT_EQ(h.store().gets() - gets, 4);
}

// Snapshots need no dedup entry: a redelivered meeting (or deal) snapshot
// is the version already applied, reported as a duplicate and counted once;
// only calls and sessions leave fingerprints in the dedup state.
TEST(ActivityTest, RedeliveredSnapshotsAreDuplicatesByVersionWithoutDedupState) {
  Harness h(At("2024-06-30T00:00:00"));
  const coachstream::v1::Event meeting = Meeting("m1-v1", "r1", At("2024-06-03T08:00:00"), "m1", MEETING_KIND_CUSTOMER,
                                                 MEETING_STATUS_SCHEDULED, At("2024-06-04T10:00:00"),
                                                 absl::Minutes(30), At("2024-06-03T08:00:00"));
  h.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb"), meeting});
  h.Ingest({meeting});  // redelivered in a later batch
  coachstream::v1::Event resync = meeting;
  resync.set_event_id("m1-v1-resync");  // the same version under a new event id
  h.Ingest({resync});
  EXPECT_EQ(h.results()[1], ApplyResult::kApplied);
  EXPECT_EQ(h.results()[2], ApplyResult::kDuplicate);
  EXPECT_EQ(h.results()[3], ApplyResult::kDuplicate);
  EXPECT_EQ(h.Drivers("r1", "2024-06")["customer_meetings_held"].value(), 1);
  for (const auto& [key, value] : h.store().data()) {
    EXPECT_NE(key.rfind("dedup/", 0), 0u) << "a snapshot left a dedup entry: " << key;
  }
}

TEST(ActivityTest, InboundCallsAreNotCallsMade) {
  Harness h(At("2024-06-30T00:00:00"));
  coachstream::v1::Event inbound = Call("e1", "r1", At("2024-06-03T10:00:00"), true);
  inbound.mutable_call()->set_direction(CALL_DIRECTION_INBOUND);
  h.Ingest({inbound, Call("e2", "r1", At("2024-06-03T11:00:00"), true)});
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_made"), 1);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_connected"), 1);
}

TEST(ActivityTest, IsoWeekAcrossTheYearBoundary) {
  Harness h(At("2025-02-01T00:00:00"));
  h.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "UTC"),
            Call("e1", "r1", At("2024-12-29T10:00:00")),    // Sunday: 2024-W52
            Call("e2", "r1", At("2024-12-30T10:00:00")),    // Monday: 2025-W01, still December
            Call("e3", "r1", At("2025-01-02T10:00:00"))});  // 2025-W01, January
  EXPECT_EQ(h.Value("r1", "2024-W52", "calls_made"), 1);
  EXPECT_EQ(h.Value("r1", "2025-W01", "calls_made"), 2);
  EXPECT_EQ(h.Value("r1", "2024-12", "calls_made"), 2);
  EXPECT_EQ(h.Value("r1", "2025-01", "calls_made"), 1);
  EXPECT_EQ(h.Value("r1", "2024-Q4", "calls_made"), 2);
  EXPECT_EQ(h.Value("r1", "2025-Q1", "calls_made"), 1);
}

TEST(ActivityTest, MonthEndInTheRepsZoneNotUtc) {
  MetricsCoreOptions options;
  options.default_time_zone = "UTC";
  options.tenant_time_zones["acme"] = "Europe/Berlin";
  Harness h(At("2024-08-01T00:00:00"), options);
  h.Ingest({Person("la", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "America/Los_Angeles"),
            Person("utc", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "UTC"),
            Person("nozone", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", ""),
            Person("badzone", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "Mars/Olympus"),
            // 2024-07-01T03:00Z is June 30, 20:00 in Los Angeles (a Sunday: 2024-W26).
            Call("e1", "la", At("2024-07-01T03:00:00")), Call("e2", "utc", At("2024-07-01T03:00:00")),
            // 2024-06-30T23:30Z is July 1 in Berlin, the tenant's default zone.
            Call("e3", "nozone", At("2024-06-30T23:30:00")), Call("e4", "badzone", At("2024-06-30T23:30:00")),
            // No directory record at all: tenant default too.
            Call("e5", "unknown", At("2024-06-30T23:30:00"))});
  EXPECT_EQ(h.Value("la", "2024-06", "calls_made"), 1);
  EXPECT_EQ(h.Value("la", "2024-07", "calls_made"), 0);
  EXPECT_EQ(h.Value("la", "2024-W26", "calls_made"), 1);
  EXPECT_EQ(h.Value("la", "2024-Q2", "calls_made"), 1);
  EXPECT_EQ(h.Value("utc", "2024-07", "calls_made"), 1);
  EXPECT_EQ(h.Value("utc", "2024-W27", "calls_made"), 1);
  EXPECT_EQ(h.Value("nozone", "2024-07", "calls_made"), 1);
  EXPECT_EQ(h.Value("badzone", "2024-07", "calls_made"), 1);
  EXPECT_EQ(h.Value("unknown", "2024-07", "calls_made"), 1);
  EXPECT_EQ(h.Value("unknown", "2024-06", "calls_made"), 0);
}

TEST(ActivityTest, AZoneChangeAppliesToLaterEventsAtOnce) {
  Harness h(At("2024-08-01T00:00:00"));
  h.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "UTC", At("2024-06-01T00:00:00")),
            Call("e1", "r1", At("2024-07-01T03:00:00")),  // July in UTC
            Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "America/Los_Angeles", At("2024-07-01T00:00:00")),
            Call("e2", "r1", At("2024-07-01T03:30:00"))});  // June 30 in Los Angeles
  EXPECT_EQ(h.Value("r1", "2024-07", "calls_made"), 1);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_made"), 1);
  // An older directory record arriving late is ignored.
  h.Ingest({Person("r1", "m9", ROLE_ACCOUNT_EXECUTIVE, "smb", "UTC", At("2024-06-15T00:00:00"))});
  EXPECT_EQ(h.results().back(), ApplyResult::kStale);
  EXPECT_EQ(h.Drivers("r1", "2024-06").size(), Drivers().size());
}

TEST(ActivityTest, LateEventsUpdateThePeriodTheyBelongTo) {
  Harness h(At("2024-08-01T00:00:00"));
  h.Ingest({Call("e1", "r1", At("2024-07-02T10:00:00")), Call("e2", "r1", At("2024-07-03T10:00:00"))});
  h.Ingest({Call("late", "r1", At("2024-06-28T10:00:00"), true)});
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_made"), 1);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_connected"), 1);
  EXPECT_EQ(h.Value("r1", "2024-07", "calls_made"), 2);
  EXPECT_EQ(h.Value("r1", "2024-Q2", "calls_made"), 1);
  EXPECT_EQ(h.Value("r1", "2024-Q3", "calls_made"), 2);
}

TEST(ActivityTest, CallsOlderThanTheDedupHorizonAreDropped) {
  MetricsCoreOptions options;
  options.dedup_retention_days = 30;
  Harness h(At("2024-08-01T00:00:00"), options);
  h.Ingest({Call("old", "r1", At("2024-06-15T10:00:00")), Call("new", "r1", At("2024-07-15T10:00:00"))});
  EXPECT_EQ(h.results()[0], ApplyResult::kTooOld);
  EXPECT_EQ(h.results()[1], ApplyResult::kApplied);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_made"), 0);
}

TEST(ActivityTest, InvalidEventsAreReportedNotFatal) {
  Harness h(At("2024-08-01T00:00:00"));
  coachstream::v1::Event no_payload = Envelope("x1", "r1", At("2024-07-01T00:00:00"));
  coachstream::v1::Event no_time = Call("x2", "r1", absl::UnixEpoch());
  coachstream::v1::Event no_tenant = Call("x3", "r1", At("2024-07-01T00:00:00"));
  no_tenant.clear_tenant_id();
  h.Ingest({no_payload, no_time, no_tenant});
  for (ApplyResult r : h.results()) EXPECT_EQ(r, ApplyResult::kInvalid);
}

// Each invalid event is rejected before any rule or dedup state sees it,
// and InvalidEventReason (what the service's dead letters say) names the
// missing field.
TEST(ActivityTest, InvalidEventsNameTheMissingField) {
  Harness h(At("2024-08-01T00:00:00"));
  const absl::Time at = At("2024-07-01T00:00:00");
  coachstream::v1::Event no_tenant = Call("x1", "r1", at);
  no_tenant.clear_tenant_id();
  DealSpec deal;
  deal.deal_id = "d1";
  deal.owner = "r1";
  coachstream::v1::Event no_deal_id = Deal("x2", at, deal);
  no_deal_id.mutable_deal()->clear_deal_id();
  coachstream::v1::Event no_meeting_id = Meeting("x3", "r1", at, "m1", MEETING_KIND_CUSTOMER, MEETING_STATUS_SCHEDULED,
                                                 at, absl::Minutes(30));
  no_meeting_id.mutable_meeting()->clear_meeting_id();
  coachstream::v1::Event no_kind = Session("x4", "r1", at, "s1", coachstream::v1::SESSION_KIND_MICRO_COACHING, 20);
  no_kind.mutable_coaching_session()->clear_kind();
  const std::vector<std::pair<coachstream::v1::Event, std::string>> cases = {
      {Envelope("x0", "r1", at), "no payload (deal, call, meeting, coaching_session or person)"},
      {no_tenant, "tenant_id is empty"},
      {Call("x5", "r1", absl::UnixEpoch()), "occurred_at is not set"},
      {no_deal_id, "deal.deal_id is empty"},
      {no_meeting_id, "meeting.meeting_id is empty"},
      {no_kind, "coaching_session.kind is unspecified"}};
  for (const auto& [event, reason] : cases) {
    EXPECT_EQ(InvalidEventReason(event), reason);
    h.Ingest({event});
    EXPECT_EQ(h.results().back(), ApplyResult::kInvalid) << reason;
  }
  EXPECT_EQ(InvalidEventReason(Call("ok", "r1", at)), "");
  for (const auto& [key, value] : h.store().data()) {
    EXPECT_NE(key.rfind("dedup/", 0), 0u) << "an invalid event left a dedup entry: " << key;
  }
}

TEST(ActivityTest, CallBehaviourAveragesOverCallsWithThatStat) {
  Harness h(At("2024-06-30T00:00:00"));
  coachstream::v1::Event a = Call("e1", "r1", At("2024-06-03T10:00:00"), true);
  a.mutable_call()->mutable_stats()->set_talk_ratio(0.4);
  a.mutable_call()->mutable_stats()->set_longest_monologue_s(60);
  a.mutable_call()->mutable_stats()->set_question_rate_per_hour(10.5);
  a.mutable_call()->mutable_stats()->set_has_next_step(true);
  coachstream::v1::Event b = Call("e2", "r1", At("2024-06-04T10:00:00"), true);
  b.mutable_call()->mutable_stats()->set_talk_ratio(0.5);
  b.mutable_call()->mutable_stats()->set_longest_monologue_s(120);
  b.mutable_call()->mutable_stats()->set_question_rate_per_hour(20);
  b.mutable_call()->mutable_stats()->set_has_next_step(false);
  coachstream::v1::Event c = Call("e3", "r1", At("2024-06-05T10:00:00"), false);  // no stats: unknown
  h.Ingest({a, b, c});
  auto d = h.Drivers("r1", "2024-06");
  EXPECT_DOUBLE_EQ(d["talk_ratio"].numerator(), 0.9);
  EXPECT_EQ(d["talk_ratio"].denominator(), 2);
  EXPECT_DOUBLE_EQ(d["talk_ratio"].value(), 0.45);
  EXPECT_EQ(d["longest_monologue"].value(), 90);
  EXPECT_EQ(d["longest_monologue"].unit(), "seconds");
  EXPECT_DOUBLE_EQ(d["question_rate"].value(), 15.25);
  EXPECT_EQ(d["next_step_rate"].numerator(), 1);
  EXPECT_EQ(d["next_step_rate"].denominator(), 2);
  EXPECT_EQ(d["next_step_rate"].sample_size(), 2);
}

TEST(ActivityTest, CustomerMeetingsAreHeldFromTheirStartDayAndMoveWhenRescheduled) {
  Harness h(At("2024-06-04T12:00:00"));
  const absl::Time booked = At("2024-06-03T09:00:00");
  h.Ingest({Meeting("m1-v1", "r1", booked, "m1", MEETING_KIND_CUSTOMER, MEETING_STATUS_SCHEDULED,
                    At("2024-06-05T10:00:00"), absl::Minutes(30), booked)});
  EXPECT_EQ(h.Value("r1", "2024-06", "meetings_booked"), 1);
  EXPECT_EQ(h.Value("r1", "2024-06", "customer_meetings_held"), 0);  // not yet
  h.clock().Set(At("2024-06-06T00:00:00"));
  EXPECT_EQ(h.Value("r1", "2024-06", "customer_meetings_held"), 1);

  // Rescheduled into July; an older snapshot arriving late changes nothing.
  h.Ingest({Meeting("m1-v2", "r1", At("2024-06-05T08:00:00"), "m1", MEETING_KIND_CUSTOMER,
                    MEETING_STATUS_SCHEDULED, At("2024-07-02T10:00:00"), absl::Minutes(30), booked),
            Meeting("m1-v0", "r1", At("2024-06-03T08:00:00"), "m1", MEETING_KIND_CUSTOMER,
                    MEETING_STATUS_SCHEDULED, At("2024-06-07T10:00:00"), absl::Minutes(30), booked)});
  EXPECT_EQ(h.results().back(), ApplyResult::kStale);
  h.clock().Set(At("2024-08-01T00:00:00"));
  EXPECT_EQ(h.Value("r1", "2024-06", "customer_meetings_held"), 0);
  EXPECT_EQ(h.Value("r1", "2024-07", "customer_meetings_held"), 1);
  EXPECT_EQ(h.Value("r1", "2024-06", "meetings_booked"), 1);

  // Cancelled: still booked (in June), never held.
  h.Ingest({Meeting("m1-v3", "r1", At("2024-06-20T08:00:00"), "m1", MEETING_KIND_CUSTOMER,
                    MEETING_STATUS_CANCELLED, At("2024-07-02T10:00:00"), absl::Minutes(30), booked)});
  EXPECT_EQ(h.Value("r1", "2024-07", "customer_meetings_held"), 0);
  EXPECT_EQ(h.Value("r1", "2024-06", "meetings_booked"), 1);
  EXPECT_EQ(h.Value("r1", "2024-Q3", "customer_meetings_held"), 0);
}

// A customer meeting is a first meeting when it is the rep's earliest with
// the account's domain and not linked to a deal (DRIVERS.md).
TEST(ActivityTest, FirstMeetingsAreTheEarliestWithEachAccount) {
  Harness h(At("2024-06-30T12:00:00"));
  const absl::Time t = At("2024-06-01T08:00:00");
  auto meeting = [&](std::string_view id, std::string_view version, const char* start, std::string_view domain,
                     std::string_view deal = "", coachstream::v1::MeetingStatus status = MEETING_STATUS_SCHEDULED,
                     absl::Time changed = absl::UnixEpoch()) {
    coachstream::v1::Event e = Meeting(version, "r1", changed == absl::UnixEpoch() ? t : changed, id,
                                       MEETING_KIND_CUSTOMER, status, At(start), absl::Minutes(30), t, deal);
    e.mutable_meeting()->set_account_domain(std::string(domain));
    return e;
  };
  h.Ingest({meeting("m1", "m1-v1", "2024-06-05T10:00:00", "acme.com"),
            meeting("m2", "m2-v1", "2024-06-12T10:00:00", "acme.com"),    // a follow-up
            meeting("m3", "m3-v1", "2024-06-10T10:00:00", "globex.com"),  // another account
            meeting("m4", "m4-v1", "2024-06-18T10:00:00", ""),            // no domain, no deal
            meeting("m5", "m5-v1", "2024-06-19T10:00:00", "", "opp-1")});  // on a deal
  EXPECT_EQ(h.Value("r1", "2024-06", "customer_meetings_held"), 5);
  EXPECT_EQ(h.Value("r1", "2024-06", "first_meetings_held"), 3);  // m1, m3, m4
  EXPECT_EQ(h.Value("r1", "2024-W23", "first_meetings_held"), 1);  // m1 (June 5)

  // An earlier meeting with acme arrives late: it is the first, m1 is not.
  h.Ingest({meeting("m0", "m0-v1", "2024-06-03T10:00:00", "acme.com")});
  EXPECT_EQ(h.Value("r1", "2024-06", "first_meetings_held"), 3);
  EXPECT_EQ(h.Value("r1", "2024-W23", "first_meetings_held"), 1);  // m0 (June 3), not m1
  EXPECT_EQ(h.Value("r1", "2024-W22", "first_meetings_held"), 0);

  // m3 moves onto a deal: no longer a first meeting (still held).
  h.Ingest({meeting("m3", "m3-v2", "2024-06-10T10:00:00", "globex.com", "opp-2", MEETING_STATUS_SCHEDULED,
                    At("2024-06-02T08:00:00"))});
  EXPECT_EQ(h.Value("r1", "2024-06", "first_meetings_held"), 2);
  EXPECT_EQ(h.Value("r1", "2024-06", "customer_meetings_held"), 6);

  // m0 is cancelled: the next acme meeting, m1, is the first again.
  h.Ingest({meeting("m0", "m0-v2", "2024-06-03T10:00:00", "acme.com", "", MEETING_STATUS_CANCELLED,
                    At("2024-06-02T09:00:00"))});
  EXPECT_EQ(h.Value("r1", "2024-06", "first_meetings_held"), 2);  // m1, m4
  EXPECT_EQ(h.Value("r1", "2024-W23", "first_meetings_held"), 1);  // m1 (June 5)
  // A later acme meeting is not a first one.
  h.Ingest({meeting("m6", "m6-v1", "2024-06-25T10:00:00", "acme.com")});
  EXPECT_EQ(h.Value("r1", "2024-06", "first_meetings_held"), 2);
  // m1 moves after m2 (June 12): m2 is the first now, in its own week.
  h.Ingest({meeting("m1", "m1-v2", "2024-06-14T10:00:00", "acme.com", "", MEETING_STATUS_SCHEDULED,
                    At("2024-06-02T10:00:00"))});
  EXPECT_EQ(h.Value("r1", "2024-06", "first_meetings_held"), 2);
  EXPECT_EQ(h.Value("r1", "2024-W23", "first_meetings_held"), 0);
  EXPECT_EQ(h.Value("r1", "2024-W24", "first_meetings_held"), 1);  // m2 (June 12)
  // m2 and m1 are cancelled: m6 is all that is left.
  h.Ingest({meeting("m2", "m2-v2", "2024-06-12T10:00:00", "acme.com", "", MEETING_STATUS_CANCELLED,
                    At("2024-06-02T11:00:00")),
            meeting("m1", "m1-v3", "2024-06-14T10:00:00", "acme.com", "", MEETING_STATUS_CANCELLED,
                    At("2024-06-02T11:00:00"))});
  EXPECT_EQ(h.Value("r1", "2024-06", "first_meetings_held"), 2);  // m4, m6
  EXPECT_EQ(h.Value("r1", "2024-W26", "first_meetings_held"), 1);  // m6 (June 25)
  EXPECT_EQ(h.Value("r1", "2024-06", "customer_meetings_held"), 4);  // m3, m4, m5, m6
}

// Ingest re-classifies a meeting version once the directory learns a
// participant it lacked: the same version (occurred_at) with other content
// replaces the snapshot (here an internal meeting becomes the rep's 1:1);
// the same content again is a duplicate.
TEST(ActivityTest, SameVersionWithOtherContentIsAReclassification) {
  Harness h(At("2024-06-30T12:00:00"));
  const absl::Time version = At("2024-06-01T08:00:00");
  auto meeting = [&](coachstream::v1::MeetingKind kind) {
    coachstream::v1::Event e = Meeting("m1-v1/r1", "r1", version, "m1", kind, MEETING_STATUS_SCHEDULED,
                                       At("2024-06-05T10:00:00"), absl::Minutes(30));
    if (kind == coachstream::v1::MEETING_KIND_ONE_ON_ONE) e.mutable_meeting()->set_counterpart_id("mgr");
    return e;
  };
  h.Ingest({Person("r1", "mgr", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb"),
            meeting(coachstream::v1::MEETING_KIND_INTERNAL)});
  EXPECT_EQ(h.Value("r1", "2024-06", "coaching_minutes"), 0);
  h.Ingest({meeting(coachstream::v1::MEETING_KIND_ONE_ON_ONE)});
  EXPECT_EQ(h.results().back(), ApplyResult::kApplied);
  EXPECT_EQ(h.Value("r1", "2024-06", "coaching_minutes"), 30);
  h.Ingest({meeting(coachstream::v1::MEETING_KIND_ONE_ON_ONE)});
  EXPECT_EQ(h.results().back(), ApplyResult::kDuplicate);
  EXPECT_EQ(h.Value("r1", "2024-06", "coaching_minutes"), 30);
}

// State written before meetings were versioned by their modification time
// (occurred_at was the start, no content fingerprint): the next snapshot
// replaces it even with an earlier occurred_at; the new rules hold after.
TEST(ActivityTest, MeetingAppliedBeforeVersionsWereModificationTimes) {
  Harness h(At("2024-06-30T12:00:00"));
  const absl::Time start = At("2024-06-20T10:00:00");
  auto meeting = [&](std::string_view version, absl::Time occurred, coachstream::v1::MeetingStatus status) {
    return Meeting(version, "r1", occurred, "m1", MEETING_KIND_CUSTOMER, status, start, absl::Minutes(30));
  };
  h.Ingest({Person("r1", "mgr", coachstream::v1::ROLE_ACCOUNT_EXECUTIVE, "smb"),
            meeting("old", start, MEETING_STATUS_SCHEDULED)});  // as the old ingest sent it
  h.RewriteStored<coachstream::v1::MeetingState>("mtg/acme/r1/m1",
                                                [](coachstream::v1::MeetingState& m) { m.clear_content_fp(); });
  EXPECT_EQ(h.Value("r1", "2024-06", "customer_meetings_held"), 1);

  h.Ingest({meeting("old", start, MEETING_STATUS_SCHEDULED)});  // the old redelivery
  EXPECT_EQ(h.results().back(), ApplyResult::kDuplicate);
  h.Ingest({meeting("cancelled", At("2024-06-10T09:00:00"), MEETING_STATUS_CANCELLED)});
  EXPECT_EQ(h.results().back(), ApplyResult::kApplied);
  EXPECT_EQ(h.Value("r1", "2024-06", "customer_meetings_held"), 0);
  h.Ingest({meeting("older", At("2024-06-09T09:00:00"), MEETING_STATUS_SCHEDULED)});
  EXPECT_EQ(h.results().back(), ApplyResult::kStale);
}

// A rescheduled first meeting: the calendar cancels the old one and creates
// a new one, in either order. Either way the new one is the first meeting.
TEST(ActivityTest, RescheduledFirstMeetingStaysFirst) {
  for (bool cancel_first : {true, false}) {
    SCOPED_TRACE(cancel_first ? "cancellation first" : "new meeting first");
    Harness h(At("2024-06-30T12:00:00"));
    const absl::Time t = At("2024-06-01T08:00:00");
    auto meeting = [&](std::string_view id, std::string_view version, const char* start,
                       coachstream::v1::MeetingStatus status, absl::Time changed) {
      coachstream::v1::Event e = Meeting(version, "r1", changed, id, MEETING_KIND_CUSTOMER, status, At(start),
                                         absl::Minutes(30), t, "");
      e.mutable_meeting()->set_account_domain("acme.com");
      return e;
    };
    h.Ingest({meeting("old", "old-v1", "2024-06-05T10:00:00", MEETING_STATUS_SCHEDULED, t)});
    const coachstream::v1::Event cancelled =
        meeting("old", "old-v2", "2024-06-05T10:00:00", MEETING_STATUS_CANCELLED, At("2024-06-04T09:00:00"));
    const coachstream::v1::Event created =
        meeting("new", "new-v1", "2024-06-07T10:00:00", MEETING_STATUS_SCHEDULED, At("2024-06-04T09:00:00"));
    if (cancel_first) {
      h.Ingest({cancelled, created});
    } else {
      h.Ingest({created, cancelled});
    }
    EXPECT_EQ(h.Value("r1", "2024-06", "customer_meetings_held"), 1);
    EXPECT_EQ(h.Value("r1", "2024-06", "first_meetings_held"), 1);
  }
}

TEST(ActivityTest, MeetingsBookedAreTheRepsOwnCallBookings) {
  Harness h(At("2024-06-30T00:00:00"));
  coachstream::v1::Event sdr_call = Call("e1", "sdr", At("2024-06-03T10:00:00"), true);
  sdr_call.mutable_call()->set_meeting_booked(true);
  coachstream::v1::Event ae_call = Call("e2", "ae", At("2024-06-03T10:00:00"), true);
  ae_call.mutable_call()->set_meeting_booked(true);
  h.Ingest({Person("sdr", "m1", ROLE_SDR, "smb"), Person("ae", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb"), sdr_call,
            ae_call});
  // The AE holds the meeting the SDR booked: booked for the SDR, held (not
  // booked) for the AE; the AE's own booking call counts once, though the
  // meeting is on their calendar too.
  const absl::Time at = At("2024-06-03T10:05:00");
  h.Ingest({Meeting("m-sdr", "ae", at, "m-sdr", MEETING_KIND_CUSTOMER, MEETING_STATUS_SCHEDULED,
                    At("2024-06-10T10:00:00"), absl::Minutes(30), at),
            Meeting("m-ae", "ae", at, "m-ae", MEETING_KIND_CUSTOMER, MEETING_STATUS_SCHEDULED,
                    At("2024-06-11T10:00:00"), absl::Minutes(30), at)});
  EXPECT_EQ(h.Value("sdr", "2024-06", "meetings_booked"), 1);
  EXPECT_EQ(h.Value("ae", "2024-06", "meetings_booked"), 1);
  EXPECT_EQ(h.Value("ae", "2024-06", "customer_meetings_held"), 2);
}

// A core started on an empty store knows every key it did not write to be
// absent: it reads nothing until it forgets what it wrote (here the cache
// overflows), and the figures are the same either way.
TEST(ActivityTest, AFreshStoreIsNotReadUntilTheCoreForgets) {
  auto calls = [](int from, int n) {
    std::vector<coachstream::v1::Event> batch;
    for (int i = from; i < from + n; ++i) {
      batch.push_back(Call("c" + std::to_string(i), "r1", At("2024-06-05T08:00:00") + absl::Minutes(i), i % 2 == 0));
    }
    return batch;
  };
  Harness h(At("2024-06-30T00:00:00"));
  h.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "UTC")});
  h.Ingest(calls(0, 50));
  h.Ingest(calls(50, 50));
  EXPECT_EQ(h.store().gets(), 0);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_made"), 100);

  MetricsCoreOptions small;
  small.max_cached_entries = 1;  // every batch overflows the cache
  Harness forgetful(At("2024-06-30T00:00:00"), small);
  forgetful.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "UTC")});
  forgetful.Ingest(calls(0, 50));  // then the cache holds 3 entries: dropped
  EXPECT_EQ(forgetful.store().gets(), 0);
  forgetful.Ingest(calls(50, 50));
  EXPECT_EQ(forgetful.store().gets(), 3);  // the person, the dedup and the month bucket, read back
  EXPECT_EQ(forgetful.Value("r1", "2024-06", "calls_made"), 100);
  EXPECT_EQ(forgetful.Value("r1", "2024-06", "calls_connected"), 50);
  EXPECT_EQ(forgetful.store().data(), h.store().data());
}

TEST(ActivityTest, EachKeyIsReadOnceAndWrittenOncePerBatch) {
  Harness h(At("2024-06-30T00:00:00"));
  h.Ingest({Person("r1", "m1", ROLE_ACCOUNT_EXECUTIVE, "smb", "UTC")});
  h.Restart();  // cold cache: every key comes from the store
  const int before = h.store().gets();
  std::vector<coachstream::v1::Event> batch;
  for (int i = 0; i < 100; ++i) {
    batch.push_back(Call("c" + std::to_string(i), "r1", At("2024-06-05T08:00:00") + absl::Minutes(i), i % 2 == 0));
  }
  h.Ingest(batch);
  // person + seen bucket + the month bucket (month, week part; quarter derived).
  EXPECT_EQ(h.store().gets() - before, 3);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_made"), 100);
  EXPECT_EQ(h.Value("r1", "2024-06", "calls_connected"), 50);
}

}  // namespace
}  // namespace cs::metrics::testing
