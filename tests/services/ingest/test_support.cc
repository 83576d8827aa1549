#include "tests/services/ingest/test_support.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace cs::ingest::testing {

nlohmann::json Fixture(std::string_view file, std::string_view key) {
  const char* dir = std::getenv("CS_FIXTURES_DIR");
  std::string path = std::string(dir ? dir : "tests/fixtures/vendor") + "/" +
                     std::string(file);
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open fixture " << path;
  std::stringstream buf;
  buf << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(buf.str());
  if (key.empty()) return doc;
  EXPECT_TRUE(doc.contains(std::string(key))) << file << " has no key " << key;
  return doc[std::string(key)];
}

std::string FixtureText(std::string_view file, std::string_view key) {
  return Fixture(file, key).dump();
}

RawRecord Binary(std::string_view ce_type, std::string value, std::string_view tenant) {
  RawRecord r;
  r.topic = "raw.test.v1";
  r.partition = 0;
  r.offset = 42;
  r.value = std::move(value);
  r.headers = {{"ce_specversion", "1.0"},
               {"ce_id", "test-1"},
               {"ce_source", "/connectors/test"},
               {"ce_type", std::string(ce_type)},
               {"content-type", "application/json"}};
  if (!tenant.empty()) r.headers.emplace_back("ce_tenantid", std::string(tenant));
  return r;
}

coachstream::v1::Person MakePerson(std::string_view id, std::string_view email,
                                   std::string_view manager) {
  coachstream::v1::Person p;
  p.set_tenant_id(kTenant);
  p.set_person_id(std::string(id));
  p.add_emails(std::string(email));
  p.set_manager_id(std::string(manager));
  p.set_active(true);
  return p;
}

namespace {
void AddId(coachstream::v1::Person* p, coachstream::v1::SourceSystem system, const char* id) {
  auto* identity = p->add_identities();
  identity->set_system(system);
  identity->set_user_id(id);
}
}  // namespace

void SeedDirectory(InMemoryDirectory* directory, bool vp_manages_dana) {
  coachstream::v1::Person dana =
      MakePerson("p_dana", "dana.rep@ourco.com", vp_manages_dana ? "p_vp" : "p_mia");
  dana.set_display_name("Dana Rep");
  dana.set_role(coachstream::v1::ROLE_ACCOUNT_EXECUTIVE);
  AddId(&dana, coachstream::v1::SOURCE_SYSTEM_SALESFORCE, "0055g00000AbCdEAAZ");
  AddId(&dana, coachstream::v1::SOURCE_SYSTEM_HUBSPOT, "61234987");
  AddId(&dana, coachstream::v1::SOURCE_SYSTEM_GONG, "5108871993412760021");
  AddId(&dana, coachstream::v1::SOURCE_SYSTEM_SALESLOFT, "61001");
  AddId(&dana, coachstream::v1::SOURCE_SYSTEM_OUTREACH, "42");
  directory->Upsert(dana);
  directory->Upsert(MakePerson("p_mia", "mia.manager@ourco.com", "p_vp"));
  directory->Upsert(MakePerson("p_vp", "vp.sales@ourco.com", ""));
  coachstream::v1::Person lee = MakePerson("p_lee", "lee.seller@ourco.com", "p_mia");
  AddId(&lee, coachstream::v1::SOURCE_SYSTEM_SALESFORCE, "0055g00000XyZaBAAV");
  directory->Upsert(lee);
}

Harness::Harness(bool vp_manages_dana, ParseOptions parse_options)
    : clock(absl::FromUnixSeconds(1719792000)) {
  SeedDirectory(&directory, vp_manages_dana);
  pipeline = std::make_unique<IngestPipeline>(parse_options, NormalizerOptions{}, directory,
                                              store, clock);
}

coachstream::v1::Person Forget(InMemoryDirectory* directory, std::string_view person_id) {
  PersonPtr person = directory->FindById(kTenant, person_id);
  EXPECT_NE(person, nullptr) << person_id;
  coachstream::v1::Person copy = person ? *person : coachstream::v1::Person();
  directory->Remove(kTenant, person_id);
  return copy;
}

RecordOutcome Harness::Run(const RawRecord& record) {
  absl::StatusOr<RecordOutcome> out = pipeline->Process(record);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *std::move(out) : RecordOutcome{};
}

std::string Kinds(const RecordOutcome& out) {
  std::string s;
  for (const ItemOutcome& item : out.items) {
    if (!s.empty()) s += ",";
    s += std::string(OutcomeName(item.kind));
  }
  return s;
}

std::string Reasons(const RecordOutcome& out) {
  std::string s;
  for (const ItemOutcome& item : out.items) {
    if (!s.empty()) s += ",";
    s += std::string(ReasonCode(item.reason));
  }
  return s;
}

std::vector<coachstream::v1::Event> Events(const RecordOutcome& out) {
  std::vector<coachstream::v1::Event> events;
  for (const ItemOutcome& item : out.items) {
    events.insert(events.end(), item.events.begin(), item.events.end());
  }
  return events;
}

std::string Iso(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  absl::Time t = absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

std::string DateText(const coachstream::v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

}  // namespace cs::ingest::testing
