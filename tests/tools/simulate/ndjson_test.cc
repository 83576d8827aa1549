// NDJSON replay files round-trip, and the CloudEvents headers match the
// Kafka library's binary-mode headers exactly.

#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "libs/kafka/cloudevents.h"
#include "tests/tools/simulate/sim_fixture.h"
#include "tools/simulate/ndjson.h"

namespace cs::simulate {
namespace {

TEST(NdjsonTest, RoundTrip) {
  SimOptions o;
  o.reps = 8;
  o.managers = 2;
  o.months = 1;
  auto sim = Simulation::Create(o);
  ASSERT_TRUE(sim.ok());
  const std::string dir = ::testing::TempDir() + "/simulate_ndjson";
  std::filesystem::remove_all(dir);
  auto writer = NdjsonWriter::Create(dir);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*sim)->Emit(**writer).ok());
  ASSERT_TRUE((*writer)->Close().ok());

  // Expected lines per topic, in delivery order.
  std::map<std::string, std::vector<SimRecord>> expected;
  for (size_t i = 0; i < (*sim)->size(); ++i) {
    SimRecord r = (*sim)->Record(i);
    expected[r.topic].push_back(std::move(r));
  }
  std::map<std::string, size_t> next;
  bool seen_other = false, org_first = true;
  absl::Status s = ReadNdjsonDir(dir, [&](const ReplayRecord& got) {
    if (got.topic == "raw.org.v1" && seen_other) org_first = false;
    seen_other |= got.topic != "raw.org.v1";
    const SimRecord& want = expected[got.topic][next[got.topic]++];
    EXPECT_EQ(got.key, want.key);
    EXPECT_EQ(got.value, want.value);
    EXPECT_EQ(got.headers, HeadersOf(want.ce));
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_TRUE(org_first);
  for (const auto& [topic, records] : expected) EXPECT_EQ(next[topic], records.size()) << topic;
}

TEST(NdjsonTest, BadLinesNameTheProblem) {
  EXPECT_FALSE(ParseNdjsonLine("not json").ok());
  EXPECT_FALSE(ParseNdjsonLine(R"({"topic":"t","key":"k","value":"v"})").ok());
  EXPECT_TRUE(ParseNdjsonLine(R"({"topic":"t","key":"k","headers":{},"value":"v"})").ok());
}

TEST(NdjsonTest, HeadersMatchKafkaBinaryMode) {
  const Simulation& sim = testing::DefaultSimulation();
  for (size_t i = 0; i < sim.size(); i += 101) {
    const SimRecord r = sim.Record(i);
    cs::kafka::CloudEventAttributes a;
    a.id = r.ce.id;
    a.source = r.ce.source;
    a.type = r.ce.type;
    a.time = r.ce.time;
    a.subject = r.ce.subject;
    a.tenant_id = r.ce.tenant_id;
    a.content_type = r.ce.content_type;
    HeaderList want;
    for (const auto& h : cs::kafka::BinaryModeHeaders(a)) want.emplace_back(h.key, h.value);
    ASSERT_EQ(HeadersOf(r.ce), want) << i;
  }
}

}  // namespace
}  // namespace cs::simulate
