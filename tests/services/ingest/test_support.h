#pragma once

// Shared helpers for the ingest core tests: fixtures, records, a seeded
// directory and a pipeline over in-memory ports.

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "libs/base/clock.h"
#include "services/ingest/core/in_memory.h"
#include "services/ingest/core/normalizer.h"

namespace cs::ingest::testing {

inline constexpr char kTenant[] = "t_8812";

// The vendor fixture `file` (CS_FIXTURES_DIR), whole or one top-level key.
nlohmann::json Fixture(std::string_view file, std::string_view key = "");
std::string FixtureText(std::string_view file, std::string_view key = "");

// A binary-mode CloudEvents record.
RawRecord Binary(std::string_view ce_type, std::string value, std::string_view tenant = kTenant);

// People of tenant t_8812 (ids match the fixtures):
//   p_dana  Dana Rep, AE, dana.rep@ourco.com; salesforce 0055g00000AbCdEAAZ,
//           hubspot 61234987, gong 5108871993412760021, salesloft 61001,
//           outreach 42; manager p_mia (or p_vp if `vp_manages_dana`).
//   p_mia   Mia Manager, mia.manager@ourco.com, manager p_vp.
//   p_vp    VP Sales, vp.sales@ourco.com.
//   p_lee   Lee Seller, salesforce 0055g00000XyZaBAAV, lee.seller@ourco.com.
void SeedDirectory(InMemoryDirectory* directory, bool vp_manages_dana = false);
// Removes `person_id` of kTenant from `directory` and returns the person,
// to Upsert again when the test has the directory learn them.
coachstream::v1::Person Forget(InMemoryDirectory* directory, std::string_view person_id);
coachstream::v1::Person MakePerson(std::string_view id, std::string_view email,
                                   std::string_view manager);

// A pipeline over in-memory ports, clock at 2024-07-01T00:00:00Z.
struct Harness {
  explicit Harness(bool vp_manages_dana = false, ParseOptions parse_options = {});
  RecordOutcome Run(const RawRecord& record);
  RecordOutcome Run(std::string_view ce_type, std::string value) {
    return Run(Binary(ce_type, std::move(value)));
  }
  // As the adapter retries a parked record once its person is learned.
  RecordOutcome Retry(std::string_view ce_type, std::string value) {
    RawRecord record = Binary(ce_type, std::move(value));
    record.retried = true;
    return Run(record);
  }

  InMemoryDirectory directory;
  InMemoryStateStore store;
  ManualClock clock;
  std::unique_ptr<IngestPipeline> pipeline;
};

// "emit,skip,..." in item order, for compact assertions.
std::string Kinds(const RecordOutcome& out);
// "reason_code,..." in item order ("none" for emit/duplicate/stale).
std::string Reasons(const RecordOutcome& out);
// All events of all items.
std::vector<coachstream::v1::Event> Events(const RecordOutcome& out);
// RFC 3339 UTC with milliseconds, "" if unset.
std::string Iso(const google::protobuf::Timestamp& ts);
std::string DateText(const coachstream::v1::Date& d);

}  // namespace cs::ingest::testing
