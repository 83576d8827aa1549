// Bad-input corpus: every malformed record gets the right outcome and
// reason code (never a crash), plus the CloudEvents envelope rules.

#include <gtest/gtest.h>

#include "tests/services/ingest/test_support.h"

namespace cs::ingest::testing {
namespace {

constexpr char kOpp[] = "com.salesforce.cdc.OpportunityChangeEvent";
constexpr char kSfFile[] = "salesforce_opportunity_cdc.json";

struct Case {
  const char* name;
  const char* ce_type;
  std::string value;
  const char* reason;
  const char* message_part;  // the message must name the field
};

std::string CreateWith(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json doc = Fixture(kSfFile, "cometd_create");
  edit(doc["data"]["payload"]);
  return doc.dump();
}

TEST(BadInput, CorpusGivesReasonCodes) {
  std::string create = FixtureText(kSfFile, "cometd_create");
  std::vector<Case> cases = {
      {"truncated", kOpp, create.substr(0, create.size() / 2), "invalid_json", "JSON"},
      {"trailing garbage", kOpp, create + "}", "invalid_json", "JSON"},
      {"not json", kOpp, "hello", "invalid_json", "JSON"},
      {"scalar root", kOpp, "42", "wrong_type", "expected object"},
      {"invalid utf8", kOpp, "{\"a\":\"\xff\xfe\"}", "invalid_utf8", "UTF-8"},
      {"deep nesting", kOpp, std::string(2000, '[') + std::string(2000, ']'), "too_large",
       "deeply"},
      {"no payload", kOpp, "{\"data\":{}}", "missing_field", "data.payload"},
      {"header wrong type", kOpp,
       CreateWith([](auto& p) { p["ChangeEventHeader"]["recordIds"] = "0065"; }), "wrong_type",
       "ChangeEventHeader.recordIds"},
      {"missing record ids", kOpp,
       CreateWith([](auto& p) { p["ChangeEventHeader"].erase("recordIds"); }), "missing_field",
       "recordIds"},
      {"empty record ids", kOpp,
       CreateWith([](auto& p) { p["ChangeEventHeader"]["recordIds"] = nlohmann::json::array(); }),
       "missing_field", "recordIds"},
      {"amount as string", kOpp, CreateWith([](auto& p) { p["Amount"] = "lots"; }), "wrong_type",
       "data.payload.Amount"},
      {"bad close date", kOpp, CreateWith([](auto& p) { p["CloseDate"] = "2024-02-30"; }),
       "invalid_value", "CloseDate"},
      {"bad change type", kOpp,
       CreateWith([](auto& p) { p["ChangeEventHeader"]["changeType"] = "MERGE"; }),
       "unsupported_type", "changeType"},
      {"entity mismatch", kOpp,
       CreateWith([](auto& p) { p["ChangeEventHeader"]["entityName"] = "Account"; }),
       "unsupported_type", "entityName"},
      {"commit number as string", kOpp,
       CreateWith([](auto& p) { p["ChangeEventHeader"]["commitNumber"] = "1"; }), "wrong_type",
       "commitNumber"},
      {"hubspot not array items", "com.hubspot.webhook.batch", "[1]", "wrong_type", "[0]"},
      {"hubspot unknown subscription", "com.hubspot.webhook.batch",
       R"([{"eventId":1,"portalId":2,"occurredAt":1717436530114,"objectId":3,
            "subscriptionType":"contact.creation"}])",
       "unsupported_type", "subscriptionType"},
      {"hubspot bad amount", "com.hubspot.webhook.batch",
       R"([{"eventId":1,"portalId":2,"occurredAt":1717436530114,"objectId":3,
            "subscriptionType":"deal.propertyChange","propertyName":"amount",
            "propertyValue":"12,5"}])",
       "invalid_value", "propertyValue"},
      {"gong missing id", "io.gong.calls.extensive", R"({"metaData":{"started":"2024-06-10T09:00:00Z"}})",
       "missing_field", "metaData.id"},
      {"gong request body", "io.gong.calls.extensive", FixtureText("gong_calls_extensive_request.json"),
       "missing_field", "metaData"},
      {"gong bad talk ratio", "io.gong.calls.extensive",
       R"({"metaData":{"id":"1","primaryUserId":"5108871993412760021",
           "started":"2024-06-10T09:00:00Z","duration":60},
           "interaction":{"interactionStats":[{"name":"Talk Ratio","value":7}]}})",
       "invalid_value", "Talk Ratio"},
      {"outreach not a call", "io.outreach.webhook.call",
       R"({"data":{"type":"prospect","id":1}})", "unsupported_type", "data.type"},
      {"salesloft negative duration", "com.salesloft.webhook.call",
       R"({"id":1,"duration":-5,"user":{"id":61001},"created_at":"2024-06-03T17:31:44Z"})",
       "invalid_value", "duration"},
      {"salesloft missing user", "com.salesloft.webhook.call",
       R"({"id":1,"duration":5,"created_at":"2024-06-03T17:31:44Z"})", "missing_field", "user"},
      {"gcal bad status", "com.google.calendar.event",
       R"({"id":"x","status":"maybe","start":{"date":"2024-06-10"},"end":{"date":"2024-06-11"}})",
       "invalid_value", "status"},
      {"gcal missing start", "com.google.calendar.event", R"({"id":"x","status":"confirmed"})",
       "missing_field", "start"},
      {"graph missing id", "com.microsoft.graph.event", R"({"subject":"x"})", "missing_field", "id"},
      {"hr missing person id", "io.coachstream.hr.person", R"({"updated_at":"2024-06-01T00:00:00Z"})",
       "missing_field", "person_id"},
      {"hr bad email", "io.coachstream.hr.person",
       R"({"person_id":"p","updated_at":"2024-06-01T00:00:00Z","emails":["nope"]})",
       "invalid_value", "emails"},
      {"hr bad zone", "io.coachstream.hr.person",
       R"({"person_id":"p","updated_at":"2024-06-01T00:00:00Z","time_zone":"Mars/Olympus"})",
       "invalid_value", "time_zone"},
      {"hr bad quota period", "io.coachstream.hr.person",
       R"({"person_id":"p","updated_at":"2024-06-01T00:00:00Z",
           "quotas":[{"period":"June","amount":"1","currency":"USD"}]})",
       "invalid_value", "quotas[0].period"},
      {"empty value", kOpp, "", "missing_field", "empty"},
  };
  for (const Case& c : cases) {
    Harness h;
    RecordOutcome out = h.Run(c.ce_type, c.value);
    ASSERT_EQ(out.items.size(), 1u) << c.name;
    EXPECT_EQ(Kinds(out), "dead_letter") << c.name;
    EXPECT_EQ(Reasons(out), c.reason) << c.name << ": " << out.items[0].message;
    EXPECT_NE(out.items[0].message.find(c.message_part), std::string::npos)
        << c.name << ": " << out.items[0].message;
  }
}

TEST(BadInput, HugeValueAndHugeStrings) {
  ParseOptions small;
  small.max_payload_bytes = 4096;
  Harness h(false, small);
  RecordOutcome out = h.Run(kOpp, std::string(5000, ' '));
  EXPECT_EQ(Reasons(out), "too_large");
  // A 900 KiB string inside the default 1 MiB limit parses and is ignored.
  Harness big;
  nlohmann::json doc = Fixture(kSfFile, "cometd_create");
  doc["data"]["payload"]["Description"] = std::string(900 * 1024, 'x');
  EXPECT_EQ(Kinds(big.Run(kOpp, doc.dump())), "emit");
  doc["data"]["payload"]["Description"] = std::string(1100 * 1024, 'x');
  EXPECT_EQ(Reasons(big.Run(kOpp, doc.dump())), "too_large");
}

TEST(Envelope, MissingOrInvalidTenant) {
  Harness h;
  std::string create = FixtureText(kSfFile, "cometd_create");
  EXPECT_EQ(Reasons(h.Run(Binary(kOpp, create, ""))), "missing_tenant");
  EXPECT_EQ(Reasons(h.Run(Binary(kOpp, create, "t/8812"))), "missing_tenant");
}

TEST(Envelope, TypeRules) {
  Harness h;
  std::string create = FixtureText(kSfFile, "cometd_create");
  RecordOutcome unknown = h.Run("com.example.unknown", create);
  EXPECT_EQ(Reasons(unknown), "unsupported_type");
  EXPECT_NE(unknown.items[0].message.find("com.example.unknown"), std::string::npos);
  RawRecord no_type = Binary(kOpp, create);
  std::erase_if(no_type.headers, [](const auto& h) { return h.first == "ce_type"; });
  EXPECT_EQ(Reasons(h.Run(no_type)), "missing_field");
  RawRecord v2 = Binary(kOpp, create);
  v2.headers[0].second = "2.0";
  EXPECT_EQ(Reasons(h.Run(v2)), "unsupported_type");
  RawRecord bad_header = Binary(kOpp, create);
  bad_header.headers.emplace_back("x-note", "\xc3\x28");
  EXPECT_EQ(Reasons(h.Run(bad_header)), "invalid_utf8");
  RawRecord bad_time = Binary(kOpp, create);
  bad_time.headers.emplace_back("ce_time", "yesterday");
  EXPECT_EQ(Reasons(h.Run(bad_time)), "invalid_value");
}

TEST(Envelope, SourceRestriction) {
  ParseOptions calendar_only;
  calendar_only.source = SourceKind::kCalendar;
  Harness h(false, calendar_only);
  RecordOutcome out = h.Run(kOpp, FixtureText(kSfFile, "cometd_create"));
  EXPECT_EQ(Reasons(out), "unsupported_type");
  EXPECT_NE(out.items[0].message.find("belongs to source crm"), std::string::npos);
  EXPECT_EQ(ParseSourceKind("calls"), SourceKind::kCalls);
  EXPECT_FALSE(ParseSourceKind("fax").has_value());
}

RawRecord Structured(nlohmann::json event, const char* content_type) {
  RawRecord r;
  r.topic = "raw.crm.v1";
  r.value = event.dump();
  r.headers = {{"Content-Type", content_type}};
  return r;
}

TEST(Envelope, StructuredMode) {
  Harness h;
  nlohmann::json ex = Fixture("cloudevents_kafka_examples.json", "structured_mode_record")["value"];
  // The example's own type is not one of ours.
  RecordOutcome other = h.Run(Structured(ex, "application/cloudevents+json; charset=UTF-8"));
  EXPECT_EQ(Reasons(other), "unsupported_type");
  ex["type"] = kOpp;
  ex["data"] = Fixture(kSfFile, "cometd_create");
  RecordOutcome ok = h.Run(Structured(ex, "Application/CloudEvents+JSON"));
  ASSERT_EQ(Kinds(ok), "emit");
  EXPECT_EQ(ok.items[0].events[0].tenant_id(), "t_8812");
  nlohmann::json no_tenant = ex;
  no_tenant.erase("tenantid");
  EXPECT_EQ(Reasons(h.Run(Structured(no_tenant, "application/cloudevents+json"))),
            "missing_tenant");
  nlohmann::json b64 = Fixture("cloudevents_kafka_examples.json",
                               "structured_mode_binary_data_example");
  b64["tenantid"] = "t_8812";
  b64["type"] = kOpp;
  EXPECT_EQ(Reasons(h.Run(Structured(b64, "application/cloudevents+json"))), "unsupported_type");
  nlohmann::json no_data = ex;
  no_data.erase("data");
  EXPECT_EQ(Reasons(h.Run(Structured(no_data, "application/cloudevents+json"))),
            "missing_field");
}

TEST(Envelope, BinaryModeExampleHeaders) {
  // The fixture's binary record: our parser reads its ce_* headers.
  nlohmann::json ex = Fixture("cloudevents_kafka_examples.json", "binary_mode_record");
  RawRecord r;
  for (auto& [k, v] : ex["headers"].items()) r.headers.emplace_back(k, v.get<std::string>());
  r.value = ex["value"].dump();
  PayloadParser parser;
  absl::StatusOr<ParsedRecord> parsed = parser.Parse(r);
  EXPECT_EQ(ReasonOf(parsed.status()), Reason::kUnsupportedType);  // com.ourco... type
  for (auto& [k, v] : r.headers) {
    if (k == "ce_type") v = "io.coachstream.hr.person";
  }
  parsed = parser.Parse(r);
  EXPECT_EQ(ReasonOf(parsed.status()), Reason::kMissingField);  // not an HR record
}

TEST(BadInput, GooglePushNotificationsHaveNoBody) {
  Harness h;
  EXPECT_EQ(Reasons(h.Run("com.google.calendar.event", "")), "missing_field");
}

}  // namespace
}  // namespace cs::ingest::testing
