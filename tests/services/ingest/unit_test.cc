// Small pure helpers: times, money, state encoding, reasons.

#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "services/ingest/core/money.h"
#include "services/ingest/core/reason.h"
#include "services/ingest/core/state_codec.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest {
namespace {

int64_t Ms(std::optional<absl::Time> t) { return t ? absl::ToUnixMillis(*t) : -1; }

TEST(TimeParse, Rfc3339Variants) {
  EXPECT_EQ(Ms(ParseRfc3339("2024-06-03T17:42:18Z")), 1717436538000);
  EXPECT_EQ(Ms(ParseRfc3339("2024-06-03T17:42:18.000Z")), 1717436538000);
  EXPECT_EQ(Ms(ParseRfc3339("2024-06-10T09:01:47.312-07:00")), 1718035307312);
  EXPECT_EQ(Ms(ParseRfc3339("2024-06-03T17:35:02.1183407Z")), 1717436102118);
  EXPECT_FALSE(ParseRfc3339("2024-06-03T17:42:18").has_value());  // no offset
  EXPECT_FALSE(ParseRfc3339("2024-13-03T17:42:18Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2024-02-30T00:00:00Z").has_value());
  EXPECT_FALSE(ParseRfc3339("").has_value());
}

TEST(TimeParse, LocalTimesAndZones) {
  EXPECT_EQ(Ms(ParseLocalDateTime("2024-06-10T16:00:00.0000000", "UTC")), 1718035200000);
  EXPECT_EQ(Ms(ParseLocalDateTime("2024-06-10T09:00:00.0000000", "Pacific Standard Time")),
            1718035200000);
  EXPECT_EQ(Ms(ParseLocalDateTime("2024-01-10T09:00:00", "America/Los_Angeles")),
            absl::ToUnixMillis(absl::FromUnixSeconds(1704906000)));
  EXPECT_FALSE(ParseLocalDateTime("2024-06-10T09:00:00", "Nowhere/Land").has_value());
  EXPECT_FALSE(LookupZone("../../etc/passwd").has_value());
  EXPECT_FALSE(LookupZone("/dev/zero").has_value());  // never a file path
  EXPECT_FALSE(LookupZone(":/etc/localtime").has_value());
  EXPECT_TRUE(LookupZone("Etc/GMT+5").has_value());
  EXPECT_TRUE(ParseDate("2024-06-28").has_value());
  EXPECT_FALSE(ParseDate("2024-6-28").has_value());
  EXPECT_EQ(Ms(ParseEpochMillisString("1721001600000")), 1721001600000);
  EXPECT_FALSE(ParseEpochMillisString("-1").has_value());
  EXPECT_FALSE(ParseEpochMillisString("99999999999999999999").has_value());
}

TEST(Money, DecimalsAndDoubles) {
  EXPECT_EQ(DecimalToMinor("98000", 2), 9800000);
  EXPECT_EQ(DecimalToMinor("98000.5", 2), 9800050);
  EXPECT_EQ(DecimalToMinor("0.125", 2), 13);
  EXPECT_EQ(DecimalToMinor("-12.5", 2), -1250);
  EXPECT_EQ(DecimalToMinor("734000", 0), 734000);
  EXPECT_FALSE(DecimalToMinor("1e3", 2).has_value());
  EXPECT_FALSE(DecimalToMinor("", 2).has_value());
  EXPECT_FALSE(DecimalToMinor(".", 2).has_value());
  EXPECT_FALSE(DecimalToMinor("99999999999999999999", 2).has_value());
  EXPECT_EQ(DoubleToMinor(98000.0, 2), 9800000);
  EXPECT_EQ(DoubleToMinor(0.1 + 0.2, 2), 30);
  EXPECT_FALSE(DoubleToMinor(1e300, 2).has_value());
  EXPECT_EQ(CurrencyExponent("JPY"), 0);
  EXPECT_EQ(CurrencyExponent("KWD"), 3);
  EXPECT_EQ(CurrencyExponent(""), 2);
}

TEST(StateCodec, RoundTripsAndRejectsGarbage) {
  DealState s;
  s.snapshot.set_deal_id("006");
  s.snapshot.mutable_amount()->set_amount_minor(9800000);
  s.versions[kFieldAmount] = 11470001112233;
  s.versions[kFieldOwner] = -1;
  s.emitted_version = 11470001112240;
  s.deleted = true;
  s.recent_event_ids = {"a", "b"};
  s.pending_owner_user_id = "0055e000001";
  s.pending_owner_since_us = 1719792000000000;
  absl::StatusOr<DealState> back = DecodeDealState(EncodeDealState(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->emitted_version, 11470001112240);
  EXPECT_EQ(back->snapshot.amount().amount_minor(), 9800000);
  EXPECT_EQ(back->versions[kFieldAmount], 11470001112233);
  EXPECT_EQ(back->versions[kFieldOwner], -1);
  EXPECT_TRUE(back->deleted);
  EXPECT_EQ(back->recent_event_ids, s.recent_event_ids);
  EXPECT_EQ(back->pending_owner_user_id, "0055e000001");
  EXPECT_EQ(back->pending_owner_since_us, 1719792000000000);
  EXPECT_FALSE(DecodeDealState("garbage").ok());
  SeenRecord r{17, "gcal:x:1", 2, 1718035200000, {"p_dana", "p_vp"}, {}};
  r.pending = UserRef{System::kGoogleCalendar, "", "ext@client.example", {"client.example", "ourco.com"}};
  absl::StatusOr<SeenRecord> seen = DecodeSeenRecord(EncodeSeenRecord(r));
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->person_ids, r.person_ids);
  EXPECT_EQ(seen->pending.system, System::kGoogleCalendar);
  EXPECT_EQ(seen->pending.email, "ext@client.example");
  EXPECT_EQ(seen->pending.park_domains, r.pending.park_domains);
  EXPECT_FALSE(seen->partial);
  EXPECT_EQ(EncodeSeenRecord(r)[1], 2) << "a pending person alone is still written as format 2";
  // Format 3: the partial flag, with or without a pending person.
  SeenRecord partial = r;
  partial.partial = true;
  for (const UserRef& pending : {r.pending, UserRef()}) {
    partial.pending = pending;
    absl::StatusOr<SeenRecord> p3 = DecodeSeenRecord(EncodeSeenRecord(partial));
    ASSERT_TRUE(p3.ok()) << p3.status();
    EXPECT_TRUE(p3->partial);
    EXPECT_EQ(p3->pending, pending);
    EXPECT_EQ(p3->person_ids, r.person_ids);
  }
  std::string bad_flag = EncodeSeenRecord(partial);
  bad_flag.back() = 7;
  EXPECT_FALSE(DecodeSeenRecord(bad_flag).ok());
  // Format 1 (no pending person) is still read.
  absl::StatusOr<SeenRecord> v1 = DecodeSeenRecord(std::string("S\x01\x22\x01" "e\x04\x00\x00", 8));
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_EQ(v1->version, 17);
  EXPECT_EQ(v1->event_id, "e");
  EXPECT_TRUE(v1->pending.empty());
  // Nothing pending: still written as format 1, byte for byte.
  SeenRecord plain{17, "e", 2, 0, {}, {}};
  EXPECT_EQ(EncodeSeenRecord(plain), std::string("S\x01\x22\x01" "e\x04\x00\x00", 8));
  EXPECT_EQ(seen->start_ms, r.start_ms);
  EXPECT_FALSE(DecodeSeenRecord(std::string("S\x01\xff", 3)).ok());
  EXPECT_EQ(StateKey('d', "t_8812", System::kHubspot, "198"), "d/t_8812/hubspot/198");
}

TEST(StateCodec, ReadsFormatOneDealRecords) {
  // Format 1 had no emitted_version: its last emission carried the
  // highest field version. 'D', 1, two versions (zigzag 3 and 20), not
  // deleted, no event ids, empty snapshot.
  absl::StatusOr<DealState> old = DecodeDealState(std::string("D\x01\x02\x06\x28\x00\x00", 7));
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->versions[0], 3);
  EXPECT_EQ(old->versions[1], 20);
  EXPECT_EQ(old->emitted_version, 20);
}

TEST(StateCodec, ReadsFormatTwoDealRecords) {
  // Format 2 had no pending owner: 'D', 2, one version (zigzag 3),
  // emitted_version 5, not deleted, one event id "e", empty snapshot.
  absl::StatusOr<DealState> old = DecodeDealState(std::string("D\x02\x01\x06\x0a\x00\x01\x01" "e", 9));
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->versions[0], 3);
  EXPECT_EQ(old->emitted_version, 5);
  EXPECT_EQ(old->recent_event_ids, std::vector<std::string>{"e"});
  EXPECT_TRUE(old->pending_owner_user_id.empty());
  EXPECT_FALSE(DecodeDealState(std::string("D\x04\x00\x00\x00\x00\x00", 7)).ok()) << "a newer format";
}

TEST(Reasons, StatusPayloadRoundTrip) {
  absl::Status s = IngestError(Reason::kWrongType, "x: expected string");
  EXPECT_EQ(ReasonOf(s), Reason::kWrongType);
  EXPECT_EQ(ReasonCode(ReasonOf(s)), "wrong_type");
  EXPECT_EQ(ReasonOf(absl::InternalError("boom")), Reason::kInternal);
  EXPECT_EQ(ReasonOf(absl::OkStatus()), Reason::kNone);
}

}  // namespace
}  // namespace cs::ingest
