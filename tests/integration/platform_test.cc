// The platform spine as real processes: devbroker with the DESIGN.md topics
// (checked with our client and with kcat), every service healthy with
// /metrics, a clean exit on SIGTERM, and a one-line error on bad config.

#include <csignal>
#include <cstdio>
#include <set>

#include <gtest/gtest.h>

#include "libs/kafka/consumer.h"
#include "tests/integration/harness.h"

namespace cs::testing {
namespace {

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

class PlatformTest : public ::testing::Test {
 protected:
  void SetUp() override { broker_ = StartBroker(dir_.path()); }
  TempDir dir_;
  Broker broker_;
};

TEST_F(PlatformTest, BrokerServesDesignTopicsToOurClientAndKcat) {
  kafka::ClientOptions client;
  client.bootstrap_servers = broker_.bootstrap;
  auto topics = kafka::ListTopics(client, absl::Seconds(5));
  ASSERT_TRUE(topics.ok()) << topics.status();
  std::map<std::string, int> got;
  for (const auto& t : *topics) got[t.name] = t.partitions;
  for (const char* name : {"raw.crm.v1", "raw.calls.v1", "raw.calendar.v1", "raw.org.v1",
                           "coaching.events.v1", "org.directory.v1", "dlq.v1", "coaching.alerts.v1"}) {
    EXPECT_GT(got[name], 0) << name;
  }
  EXPECT_EQ(got["coaching.events.v1"], 12);

  std::string listing = Shell("kcat -b " + broker_.bootstrap + " -L 2>&1");
  EXPECT_NE(listing.find("topic \"coaching.events.v1\" with 12 partitions"), std::string::npos) << listing;
  Shell("printf 'hello\\n' | kcat -b " + broker_.bootstrap + " -P -t raw.org.v1 -k k1 2>&1");
  std::string consumed =
      Shell("kcat -b " + broker_.bootstrap + " -C -t raw.org.v1 -o beginning -e -q -f '%k=%s\\n' 2>&1");
  EXPECT_NE(consumed.find("k1=hello"), std::string::npos) << consumed;
}

TEST_F(PlatformTest, EveryServiceIsHealthyServesMetricsAndStopsCleanly) {
  struct Spec {
    std::string name, binary;
    std::vector<std::string> args;
    std::string health_name;
  };
  std::vector<Spec> specs = {
      {"ingest-crm", "ingest", {"--source=crm"}, ""},
      {"metrics", "metrics", {}, "coachstream.v1.MetricsService"},
      {"coaching", "coaching", {}, "coachstream.v1.CoachingService"},
  };
  for (auto& spec : specs) {
    SCOPED_TRACE(spec.name);
    Service svc = StartService(spec.name, spec.binary, broker_.bootstrap, dir_.path(), spec.args);
    ASSERT_TRUE(WaitServing(svc.grpc_port, absl::Seconds(10))) << svc.process->Stderr();
    if (!spec.health_name.empty()) {
      EXPECT_EQ(HealthStatus(svc.grpc_port, spec.health_name), "SERVING");
    }
    auto metrics = HttpGet(svc.metrics_port, "/metrics");
    ASSERT_TRUE(metrics.has_value());
    EXPECT_NE(metrics->find("coachstream_build_info"), std::string::npos) << *metrics;
    auto code = svc.process->Stop(SIGTERM, absl::Seconds(15));
    ASSERT_TRUE(code.has_value()) << "did not exit within 15 s of SIGTERM";
    EXPECT_EQ(*code, 0) << svc.process->Stderr();
    EXPECT_NE(svc.process->Stderr().find("stopped cleanly"), std::string::npos);
  }
}

TEST_F(PlatformTest, BadConfigurationExitsWithOneLineNamingTheSetting) {
  struct Case {
    std::string binary;
    std::vector<std::string> args;
    std::string expect;
  };
  std::vector<Case> cases = {
      {"ingest", {"--source=ftp"}, "--source"},
      {"metrics", {"--default_time_zone=Mars/Olympus"}, "--default_time_zone"},
      {"coaching", {"--log_level=loud"}, "--log_level"},
      {"metrics", {"--kafka_properties=nonsense"}, "--kafka_properties"},
  };
  int i = 0;
  for (auto& c : cases) {
    std::vector<std::string> args = c.args;
    args.push_back("--state_dir=" + dir_.path() + "/state");
    Process p("bad" + std::to_string(i++), c.binary, args, dir_.path());
    auto code = p.Wait(absl::Seconds(10));
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 2) << p.Stderr();
    std::string err = p.Stderr();
    EXPECT_NE(err.find(c.expect), std::string::npos) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }
}

TEST_F(PlatformTest, IngestNeverDropsARecordItCannotUse) {
  Service svc = StartService("ingest-calls", "ingest", broker_.bootstrap, dir_.path(), {"--source=calls"});
  ASSERT_TRUE(WaitServing(svc.grpc_port, absl::Seconds(10)));
  Shell("printf '{not json\\n' | kcat -b " + broker_.bootstrap + " -P -t raw.calls.v1 -k bad1 2>&1");
  std::string dlq;
  for (int i = 0; i < 100 && dlq.find("bad1") == std::string::npos; ++i) {
    dlq = Shell("kcat -b " + broker_.bootstrap +
              " -C -t dlq.v1 -o beginning -e -q -f '%k %h\\n' 2>&1");
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_NE(dlq.find("bad1"), std::string::npos) << dlq << svc.process->Stderr();
  EXPECT_NE(dlq.find("dlq_reason="), std::string::npos) << dlq;
  EXPECT_NE(dlq.find("dlq_source_topic=raw.calls.v1"), std::string::npos) << dlq;
  auto code = svc.process->Stop(SIGTERM, absl::Seconds(15));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace cs::testing
