// ingest end to end, as real processes against devbroker: vendor payloads
// of every source in, canonical events out with exact counts; redelivery
// adds nothing; unknown people are parked, released when the directory
// learns them, or dead-lettered after the park timeout; a meeting's
// participant HR sends later is credited then; bad input is
// dead-lettered with its reason while the service stays healthy; a kill -9
// mid-stream loses nothing.

#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "coachstream/v1/event.pb.h"
#include "tests/integration/harness.h"

namespace cs::testing {
namespace {

using nlohmann::json;
constexpr char kTenant[] = "acme";
constexpr char kOpp[] = "0065g00000QxYzTAAV";

json Fixture(const std::string& file) {
  const char* dir = std::getenv("CS_FIXTURES_DIR");
  std::ifstream in(std::string(dir ? dir : "tests/fixtures/vendor") + "/" + file);
  return json::parse(in);
}

// Keyed by the vendor record id (DESIGN.md), so one record's changes stay in order.
kafka::OutRecord Raw(const std::string& topic, const std::string& type, const std::string& id, const json& value,
                     const std::string& record_key = "") {
  return CloudEventRecord(topic, record_key.empty() ? id : record_key, type, id, kTenant, value.dump());
}

json Person(const std::string& id, const std::string& email, const json& system_ids, const std::string& manager,
            const std::string& role) {
  return {{"person_id", id},         {"display_name", id},   {"emails", {email}},
          {"system_ids", system_ids}, {"manager_id", manager}, {"role", role},
          {"segment", "enterprise"}, {"time_zone", "America/Los_Angeles"},
          {"quotas", {{{"period", "2024-06"}, {"amount", "100000"}, {"currency", "USD"}}}},
          {"updated_at", "2024-05-01T00:00:00Z"}};
}

std::vector<kafka::OutRecord> Directory() {
  json dana = Person("p_dana", "dana.rep@ourco.com",
                     {{"salesforce", "0055g00000AbCdEAAZ"}, {"hubspot", "61234987"},
                      {"gong", "5108871993412760021"}, {"salesloft", "61001"}, {"outreach", "42"}},
                     "p_mia", "account_executive");
  json mia = Person("p_mia", "mia.manager@ourco.com", json::object(), "", "frontline_manager");
  return {Raw("raw.org.v1", "io.coachstream.hr.person", "hr-mia", mia),
          Raw("raw.org.v1", "io.coachstream.hr.person", "hr-dana", dana)};
}

// One record of each vendor, all crediting Dana: 3 deal changes, 3 calls, 1 customer meeting.
std::vector<kafka::OutRecord> VendorRecords() {
  json sf = Fixture("salesforce_opportunity_cdc.json");
  json gong = Fixture("gong_calls_extensive.json");
  json cal = Fixture("google_calendar_event.json");
  return {
      Raw("raw.crm.v1", "com.salesforce.cdc.OpportunityChangeEvent", "sf-1", sf["cometd_create"], kOpp),
      Raw("raw.crm.v1", "com.salesforce.cdc.OpportunityChangeEvent", "sf-2", sf["cometd_update_amount_closedate"],
          kOpp),
      Raw("raw.crm.v1", "com.salesforce.cdc.OpportunityChangeEvent", "sf-3", sf["cometd_update_stage_closed_won"],
          kOpp),
      Raw("raw.calls.v1", "io.gong.calls.extensive", "gong-1", gong["calls"][0]),
      Raw("raw.calls.v1", "com.salesloft.webhook.call", "sl-1", Fixture("salesloft_call_webhook.json")["body"]),
      Raw("raw.calls.v1", "io.outreach.webhook.call", "or-1", Fixture("outreach_call_webhook.json")["body"]),
      Raw("raw.calendar.v1", "com.google.calendar.event", "gcal-1", cal["event_single"]),
  };
}

struct Counts {
  std::map<std::string, int> by_kind;  // "<rep>:<payload>"
  std::set<std::string> event_ids;
  int records = 0;
};

Counts Count(const std::vector<kafka::Message>& messages) {
  Counts c;
  for (const auto& m : messages) {
    coachstream::v1::Event e;
    if (!e.ParseFromString(m.value)) continue;
    ++c.records;
    if (!c.event_ids.insert(e.event_id()).second) continue;
    std::string kind = e.has_deal() ? "deal" : e.has_call() ? "call" : e.has_meeting() ? "meeting"
                     : e.has_person() ? "person" : "other";
    c.by_kind[e.rep_id() + ":" + kind]++;
  }
  return c;
}

double Metric(const Service& s, const std::string& sample) {
  auto text = HttpGet(s.metrics_port, "/metrics");
  if (!text) return -1;
  return MetricValue(*text, sample).value_or(0);
}

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override { broker_ = StartBroker(dir_.path()); }
  Service Start(const std::string& source, std::vector<std::string> extra = {}) {
    extra.push_back("--source=" + source);
    extra.push_back("--directory_wait=5s");
    Service s = StartService("ingest-" + source, "ingest", broker_.bootstrap, dir_.path(), extra);
    EXPECT_TRUE(WaitServing(s.grpc_port, absl::Seconds(20))) << s.process->Stderr();
    return s;
  }
  TempDir dir_;
  Broker broker_;
};

TEST_F(IngestTest, EverySourceToCanonicalEventsExactlyOnceWithParkingAndDeadLetters) {
  ProduceAll(broker_.bootstrap, Directory());
  Service org = Start("org");
  ASSERT_EQ(ReadTopicUntil(broker_.bootstrap, "org.directory.v1",
                           [](const auto& m) { return m.size() >= 2; }, absl::Seconds(30)).size(), 2u);
  Service crm = Start("crm");
  Service calls = Start("calls", {"--park_timeout=8s", "--max_payload_bytes=65536"});
  Service calendar = Start("calendar");

  ProduceAll(broker_.bootstrap, VendorRecords());
  auto events = ReadTopicUntil(broker_.bootstrap, "coaching.events.v1",
                               [](const auto& m) { return Count(m).event_ids.size() >= 9; }, absl::Seconds(60));
  Counts c = Count(events);
  EXPECT_EQ(c.by_kind["p_dana:deal"], 3);
  EXPECT_EQ(c.by_kind["p_dana:call"], 3);
  EXPECT_EQ(c.by_kind["p_dana:meeting"], 1);
  EXPECT_EQ(c.by_kind["p_dana:person"], 1);
  EXPECT_EQ(c.by_kind["p_mia:person"], 1);
  EXPECT_EQ(c.event_ids.size(), 9u);
  EXPECT_EQ(c.records, 9) << "no duplicate records";

  // Forced redelivery of every raw record: nothing new downstream.
  ProduceAll(broker_.bootstrap, Directory());
  ProduceAll(broker_.bootstrap, VendorRecords());
  ASSERT_TRUE(WaitFor([&] {
    return Metric(crm, "coachstream_ingest_records_total{outcome=\"duplicate\",source=\"crm\"}") >= 3;
  }, absl::Seconds(30))) << HttpGet(crm.metrics_port, "/metrics").value_or("");
  ASSERT_TRUE(WaitFor([&] {
    return Metric(calls, "coachstream_ingest_records_total{outcome=\"duplicate\",source=\"calls\"}") >= 3;
  }, absl::Seconds(30)));
  c = Count(ReadTopic(broker_.bootstrap, "coaching.events.v1"));
  EXPECT_EQ(c.records, 9) << "redelivered payloads produced new events";

  // An unknown person is parked, then released when HR learns them.
  json call = Fixture("gong_calls_extensive.json")["calls"][0];
  call["metaData"]["id"] = "7000000000000000001";
  call["metaData"]["primaryUserId"] = "999";
  call["parties"][0]["userId"] = "999";
  call["parties"][0]["emailAddress"] = "newbie@ourco.com";
  ProduceAll(broker_.bootstrap, {Raw("raw.calls.v1", "io.gong.calls.extensive", "gong-new", call)});
  ASSERT_TRUE(WaitFor([&] { return Metric(calls, "coachstream_ingest_parked_records{source=\"calls\"}") == 1; },
                      absl::Seconds(5)));
  ProduceAll(broker_.bootstrap, {Raw("raw.org.v1", "io.coachstream.hr.person", "hr-newbie",
                                     Person("p_newbie", "newbie@ourco.com", {{"gong", "999"}}, "p_mia", "sdr"))});
  events = ReadTopicUntil(broker_.bootstrap, "coaching.events.v1",
                          [](const auto& m) { return Count(m).by_kind["p_newbie:call"] >= 1; }, absl::Seconds(30));
  EXPECT_EQ(Count(events).by_kind["p_newbie:call"], 1) << calls.process->Stderr();
  EXPECT_EQ(Metric(calls, "coachstream_ingest_parked_records{source=\"calls\"}"), 0);

  // A deal whose owner is unknown: its later stage moves wait behind the
  // parked create and come out after it, one event each, once HR learns
  // the owner (merged into one snapshot, the moves were lost).
  json sf = Fixture("salesforce_opportunity_cdc.json");
  auto deal_change = [&](json doc, int64_t commit, const std::string& tx, json fields) {
    json& p = doc["data"]["payload"];
    json header = p["ChangeEventHeader"];
    header["recordIds"] = {"0065g00000NewDeal1"};
    header["commitNumber"] = commit;
    header["transactionKey"] = tx;
    if (!fields.is_null()) {
      p = fields;
    }
    p["ChangeEventHeader"] = header;
    return Raw("raw.crm.v1", "com.salesforce.cdc.OpportunityChangeEvent", tx, doc, "0065g00000NewDeal1");
  };
  json create = sf["cometd_create"];
  create["data"]["payload"]["OwnerId"] = "0055g00000NewRepAA";
  ProduceAll(broker_.bootstrap,
             {deal_change(create, 11390000000000, "tx-new-create", nullptr),
              deal_change(sf["cometd_update_amount_closedate"], 11390000000001, "tx-new-qual",
                          {{"StageName", "Qualification"}}),
              deal_change(sf["cometd_update_amount_closedate"], 11390000000002, "tx-new-prop",
                          {{"StageName", "Proposal/Price Quote"}})});
  ASSERT_TRUE(WaitFor([&] { return Metric(crm, "coachstream_ingest_parked_records{source=\"crm\"}") == 3; },
                      absl::Seconds(10)))
      << HttpGet(crm.metrics_port, "/metrics").value_or("");
  ProduceAll(broker_.bootstrap,
             {Raw("raw.org.v1", "io.coachstream.hr.person", "hr-newrep",
                  Person("p_newrep", "newrep@ourco.com", {{"salesforce", "0055g00000NewRepAA"}}, "p_mia",
                         "account_executive"))});
  events = ReadTopicUntil(broker_.bootstrap, "coaching.events.v1",
                          [](const auto& m) { return Count(m).by_kind["p_newrep:deal"] >= 3; }, absl::Seconds(30));
  std::vector<std::string> moves;
  for (const auto& m : events) {
    coachstream::v1::Event e;
    if (e.ParseFromString(m.value) && e.rep_id() == "p_newrep" && e.has_deal()) {
      moves.push_back(coachstream::v1::DealStage_Name(e.deal().previous_stage()) + ">" +
                      coachstream::v1::DealStage_Name(e.deal().stage()));
    }
  }
  EXPECT_EQ(moves, (std::vector<std::string>{"DEAL_STAGE_UNSPECIFIED>DEAL_STAGE_PROSPECTING",
                                             "DEAL_STAGE_PROSPECTING>DEAL_STAGE_QUALIFICATION",
                                             "DEAL_STAGE_QUALIFICATION>DEAL_STAGE_PROPOSAL"}))
      << crm.process->Stderr();
  EXPECT_EQ(Metric(crm, "coachstream_ingest_parked_records{source=\"crm\"}"), 0);

  // A meeting with an internal participant HR has not sent yet: credited
  // to Dana at once, to the new hire once HR learns them (kept meanwhile).
  json meeting = Fixture("google_calendar_event.json")["event_single"];
  meeting["id"] = "late-hire-meeting";
  meeting["attendees"].push_back({{"email", "late.hire@ourco.com"}, {"responseStatus", "accepted"}});
  ProduceAll(broker_.bootstrap, {Raw("raw.calendar.v1", "com.google.calendar.event", "gcal-late", meeting)});
  ASSERT_TRUE(WaitFor([&] { return Metric(calendar, "coachstream_ingest_parked_records{source=\"calendar\"}") == 1; },
                      absl::Seconds(10)))
      << HttpGet(calendar.metrics_port, "/metrics").value_or("");
  auto credited = [](const std::vector<kafka::Message>& messages, const std::string& rep) {
    int n = 0;
    for (const auto& m : messages) {
      coachstream::v1::Event e;
      n += e.ParseFromString(m.value) && e.has_meeting() && e.meeting().meeting_id() == "late-hire-meeting" &&
           e.rep_id() == rep;
    }
    return n;
  };
  events = ReadTopicUntil(broker_.bootstrap, "coaching.events.v1",
                          [&](const auto& m) { return credited(m, "p_dana") >= 1; }, absl::Seconds(30));
  EXPECT_EQ(credited(events, "p_dana"), 1);
  EXPECT_EQ(credited(events, "p_late"), 0);
  ProduceAll(broker_.bootstrap, {Raw("raw.org.v1", "io.coachstream.hr.person", "hr-late",
                                     Person("p_late", "late.hire@ourco.com", json::object(), "p_mia",
                                            "account_executive"))});
  events = ReadTopicUntil(broker_.bootstrap, "coaching.events.v1",
                          [&](const auto& m) { return credited(m, "p_late") >= 1; }, absl::Seconds(30));
  EXPECT_EQ(credited(events, "p_late"), 1) << calendar.process->Stderr();
  ASSERT_TRUE(WaitFor([&] { return Metric(calendar, "coachstream_ingest_parked_records{source=\"calendar\"}") == 0; },
                      absl::Seconds(10)));

  // Someone who never appears: dead-lettered after the park timeout. Bad input: dead-lettered at once.
  json ghost = Fixture("salesloft_call_webhook.json")["body"];
  ghost["id"] = 5550001;
  ghost["user"]["id"] = 77777;
  std::vector<kafka::OutRecord> bad = {
      Raw("raw.calls.v1", "com.salesloft.webhook.call", "ghost", ghost),
      CloudEventRecord("raw.calls.v1", "bad-json", "com.salesloft.webhook.call", "b1", kTenant, "{\"id\": 1,"),
      CloudEventRecord("raw.calls.v1", "no-tenant", "com.salesloft.webhook.call", "b2", "", ghost.dump()),
      CloudEventRecord("raw.calls.v1", "bad-type", "com.example.unknown", "b3", kTenant, "{}"),
      CloudEventRecord("raw.calls.v1", "too-big", "com.salesloft.webhook.call", "b4", kTenant,
                       "{\"pad\":\"" + std::string(100000, 'x') + "\"}"),
  };
  ProduceAll(broker_.bootstrap, bad);
  auto dlq = ReadTopicUntil(broker_.bootstrap, "dlq.v1", [](const auto& m) { return m.size() >= 5; },
                            absl::Seconds(40));
  std::map<std::string, std::string> reasons;
  for (const auto& m : dlq) {
    reasons[m.key] = std::string(m.header("dlq_reason").value_or(""));
    EXPECT_EQ(m.header("dlq_source_topic").value_or(""), "raw.calls.v1");
    EXPECT_FALSE(m.header("dlq_message").value_or("").empty());
  }
  EXPECT_EQ(reasons["ghost"], "unresolved_identity");
  EXPECT_EQ(reasons["bad-json"], "invalid_json");
  EXPECT_EQ(reasons["no-tenant"], "missing_tenant");
  EXPECT_EQ(reasons["bad-type"], "unsupported_type");
  EXPECT_EQ(reasons["too-big"], "too_large");
  EXPECT_EQ(HealthStatus(calls.grpc_port), "SERVING");
  EXPECT_GE(Metric(calls, "coachstream_ingest_dead_letters_total{reason=\"invalid_json\",source=\"calls\"}"), 1);

  for (Service* s : {&org, &crm, &calls, &calendar}) {
    auto code = s->process->Stop(SIGTERM, absl::Seconds(15));
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0) << s->process->Stderr();
  }
}

TEST_F(IngestTest, KillNineMidStreamLosesNothing) {
  constexpr int kCalls = 3000;
  ProduceAll(broker_.bootstrap, Directory());
  json body = Fixture("salesloft_call_webhook.json")["body"];
  std::vector<kafka::OutRecord> records;
  for (int i = 0; i < kCalls; ++i) {
    body["id"] = 100000 + i;
    records.push_back(Raw("raw.calls.v1", "com.salesloft.webhook.call", "sl-" + std::to_string(i), body));
  }
  ProduceAll(broker_.bootstrap, records);
  Service org = Start("org");
  auto distinct_calls = [&] {
    return Count(ReadTopic(broker_.bootstrap, "coaching.events.v1", absl::Milliseconds(300))).by_kind["p_dana:call"];
  };
  int kills = 0;
  for (int round = 0; round < 2; ++round) {
    Service calls = Start("calls", {"--max_batch=100"});
    WaitFor([&] { return distinct_calls() >= (round + 1) * kCalls / 4; }, absl::Seconds(30));
    calls.process->Stop(SIGKILL, absl::Seconds(5));
    ++kills;
  }
  Service calls = Start("calls", {"--max_batch=100"});
  ASSERT_TRUE(WaitFor([&] { return distinct_calls() >= kCalls; }, absl::Seconds(90)));
  Counts c = Count(ReadTopic(broker_.bootstrap, "coaching.events.v1"));
  EXPECT_EQ(c.by_kind["p_dana:call"], kCalls) << "after " << kills << " kill -9";
  // A record replayed after a kill repeats its event_id (consumers collapse it); never a new id.
  EXPECT_EQ(c.event_ids.size(), static_cast<size_t>(kCalls + 2));
  std::printf("kill -9 x%d: %d distinct call events, %d records (%d replayed duplicates)\n", kills,
              c.by_kind["p_dana:call"], c.records, c.records - static_cast<int>(c.event_ids.size()));
}

}  // namespace
}  // namespace cs::testing
