// The HR feed record (FORMATS.md) and the park / retry flow it unblocks.

#include <gtest/gtest.h>

#include "tests/services/ingest/test_support.h"

namespace cs::ingest::testing {
namespace {

constexpr char kHr[] = "io.coachstream.hr.person";

nlohmann::json SamRecord() {
  return nlohmann::json::parse(R"({
    "person_id": "p_sam",
    "display_name": "Sam Seller",
    "emails": ["Sam.Seller@ourco.com", "sam@ourco.io"],
    "system_ids": {"salesforce": "0055g00000NewRepAAA", "hubspot": "70000001",
                   "gong": "5108871993412760999", "salesloft": 61002, "outreach": "43",
                   "google": "sam.seller@ourco.com", "microsoft": "1f2e3d4c"},
    "manager_id": "p_mia",
    "role": "account_executive",
    "segment": "enterprise",
    "quotas": [{"period": "2024-Q3", "amount": "300000.00", "currency": "USD"},
               {"period": "2024-07", "amount": 100000, "currency": "USD"}],
    "start_date": "2024-06-17",
    "time_zone": "America/New_York",
    "active": true,
    "updated_at": "2024-06-14T09:00:00Z"
  })");
}

TEST(GoldenOrg, PersonRecordBecomesDirectoryUpsertAndPersonEvent) {
  Harness h;
  RecordOutcome out = h.Run(kHr, SamRecord().dump());
  ASSERT_EQ(Kinds(out), "emit");
  ASSERT_EQ(out.items[0].directory_updates.size(), 1u);
  const DirectoryUpdate& up = out.items[0].directory_updates[0];
  EXPECT_FALSE(up.tombstone);
  const auto& p = up.person;
  EXPECT_EQ(PersonKey(p), "t_8812/p_sam");
  EXPECT_EQ(p.display_name(), "Sam Seller");
  EXPECT_EQ(p.emails(0), "sam.seller@ourco.com");  // lower-cased
  EXPECT_EQ(p.identities_size(), 7);
  EXPECT_EQ(p.identities(3).system(), coachstream::v1::SOURCE_SYSTEM_SALESLOFT);
  EXPECT_EQ(p.identities(3).user_id(), "61002");
  EXPECT_EQ(p.manager_id(), "p_mia");
  EXPECT_EQ(p.role(), coachstream::v1::ROLE_ACCOUNT_EXECUTIVE);
  EXPECT_EQ(p.quotas(0).amount().amount_minor(), 30000000);
  EXPECT_EQ(p.quotas(1).amount().amount_minor(), 10000000);
  EXPECT_EQ(DateText(p.start_date()), "2024-06-17");
  EXPECT_EQ(p.time_zone(), "America/New_York");
  EXPECT_TRUE(p.active());
  EXPECT_EQ(Iso(p.updated_at()), "2024-06-14T09:00:00.000Z");
  const auto& ev = out.items[0].events.at(0);
  EXPECT_EQ(ev.rep_id(), "p_sam");
  EXPECT_EQ(ev.person().person().person_id(), "p_sam");
  EXPECT_FALSE(ev.person().deleted());
  EXPECT_EQ(Kinds(h.Run(kHr, SamRecord().dump())), "duplicate");
  nlohmann::json older = SamRecord();
  older["updated_at"] = "2024-06-01T00:00:00Z";
  EXPECT_EQ(Kinds(h.Run(kHr, older.dump())), "stale");
}

TEST(GoldenOrg, DeletedPersonIsATombstone) {
  Harness h;
  nlohmann::json r = SamRecord();
  r["deleted"] = true;
  RecordOutcome out = h.Run(kHr, r.dump());
  ASSERT_EQ(Kinds(out), "emit");
  EXPECT_TRUE(out.items[0].directory_updates[0].tombstone);
  EXPECT_TRUE(out.items[0].events[0].person().deleted());
}

TEST(GoldenOrg, BatchWithABadRecord) {
  Harness h;
  nlohmann::json bad = SamRecord();
  bad["person_id"] = "p_bad";
  bad["role"] = "wizard";
  nlohmann::json page = {{"people", {SamRecord(), bad}}};
  RecordOutcome out = h.Run(kHr, page.dump());
  EXPECT_EQ(Kinds(out), "emit,dead_letter");
  EXPECT_EQ(Reasons(out), "none,invalid_value");
  EXPECT_NE(out.items[1].message.find("people[1].role"), std::string::npos)
      << out.items[1].message;
}

// An unknown rep parks the record; once the directory learns the person
// (from the HR feed), the retry emits, and emitted items stay duplicates.
TEST(GoldenOrg, ParkUntilTheDirectoryLearnsThePerson) {
  Harness h;
  nlohmann::json call = Fixture("salesloft_call_webhook.json", "body");
  call["user"]["id"] = 61002;
  RecordOutcome parked = h.Run("com.salesloft.webhook.call", call.dump());
  ASSERT_EQ(Kinds(parked), "park");
  EXPECT_EQ(Reasons(parked), "unresolved_identity");
  const ItemOutcome& item = parked.items[0];
  EXPECT_EQ(item.unresolved.system, System::kSalesloft);
  EXPECT_EQ(item.unresolved.user_id, "61002");
  EXPECT_EQ(parked.tenant, kTenant);
  std::vector<std::string> keys = ParkKeys(parked.tenant, item.unresolved);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0], "t_8812|salesloft|61002");

  RecordOutcome hr = h.Run(kHr, SamRecord().dump());
  const auto& person = hr.items[0].directory_updates[0].person;
  std::vector<std::string> person_keys = ParkKeysFor(person);
  EXPECT_NE(std::find(person_keys.begin(), person_keys.end(), keys[0]), person_keys.end());
  h.directory.Upsert(person);  // the adapter applies org.directory.v1

  RecordOutcome retried = h.Run("com.salesloft.webhook.call", call.dump());
  ASSERT_EQ(Kinds(retried), "emit");
  EXPECT_EQ(retried.items[0].events[0].rep_id(), "p_sam");
  EXPECT_EQ(Kinds(h.Run("com.salesloft.webhook.call", call.dump())), "duplicate");
}

}  // namespace
}  // namespace cs::ingest::testing
