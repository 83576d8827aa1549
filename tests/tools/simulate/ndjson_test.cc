// NDJSON replay files round-trip, and the CloudEvents headers match the
// Kafka library's binary-mode headers exactly.

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

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

// simulate --topics: the demo writes the HR feed, waits for the directory,
// then writes the rest; with the same options the two runs must write
// exactly the files one run writes.
TEST(NdjsonTest, DisjointTopicRunsWriteWhatOneRunWrites) {
  SimOptions o;
  o.reps = 8;
  o.managers = 2;
  o.months = 1;
  const std::string root = ::testing::TempDir() + "/simulate_topics";
  std::filesystem::remove_all(root);
  auto write = [&](const std::string& dir, TopicSet topics) {
    auto sim = Simulation::Create(o);  // a fresh run with the same options
    ASSERT_TRUE(sim.ok());
    auto writer = NdjsonWriter::Create(root + "/" + dir);
    ASSERT_TRUE(writer.ok());
    TopicFilter filter(writer->get(), std::move(topics));
    ASSERT_TRUE((*sim)->Emit(filter).ok());
    ASSERT_TRUE((*writer)->Close().ok());
  };
  write("all", {std::string(kTopicOrg), std::string(kTopicCrm), std::string(kTopicCalls), std::string(kTopicCalendar)});
  write("org", {std::string(kTopicOrg)});
  write("rest", {std::string(kTopicCrm), std::string(kTopicCalls), std::string(kTopicCalendar)});
  auto read = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root + "/all")) {
    const std::string name = entry.path().filename().string();
    const std::string part = name == std::string(kTopicOrg) + ".ndjson" ? "org" : "rest";
    const std::filesystem::path split = root + "/" + part + "/" + name;
    ASSERT_TRUE(std::filesystem::exists(split)) << name;
    const std::string whole = read(entry.path());
    EXPECT_FALSE(whole.empty()) << name;
    EXPECT_EQ(read(split), whole) << name;
    ++files;
  }
  EXPECT_EQ(files, 4);
  EXPECT_FALSE(std::filesystem::exists(root + "/org/" + std::string(kTopicCrm) + ".ndjson"));
  EXPECT_FALSE(std::filesystem::exists(root + "/rest/" + std::string(kTopicOrg) + ".ndjson"));
}

}  // namespace
}  // namespace cs::simulate
