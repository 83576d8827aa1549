// devbroker: a local Kafka-protocol broker for development, demos and tests,
// built on librdkafka's mock cluster. Real clients (librdkafka, kcat) talk
// to it over loopback TCP. Not for production: it keeps only a few MiB per
// partition and has no durable storage.

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "libs/base/flags.h"
#include "libs/base/log.h"
#include "libs/base/shutdown.h"
#include "tools/devbroker/tcp_forwarder.h"
#include "tools/devbroker/topics.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:9092",
          "Fixed bootstrap address (host:port) forwarded to the broker; port 0 picks a free one");
ABSL_FLAG(int, brokers, 1, "Number of mock brokers");
ABSL_FLAG(std::string, topics, "",
          "Extra topics or partition overrides, \"name:partitions,...\" (DESIGN.md topics are always created)");
ABSL_FLAG(std::string, bootstrap_file, "", "Write the bootstrap address to this file once ready");
ABSL_FLAG(std::string, log_level, "info", "debug | info | warn | error");

namespace {

struct MockCluster {
  rd_kafka_t* rk = nullptr;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  ~MockCluster() {
    if (cluster) rd_kafka_mock_cluster_destroy(cluster);
    if (rk) rd_kafka_destroy(rk);
  }
};

void SplitHostPort(const std::string& text, std::string* host, int* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) cs::FatalConfig("--listen: expected host:port, got \"" + text + "\"");
  *host = text.substr(0, colon);
  try {
    *port = std::stoi(text.substr(colon + 1));
  } catch (...) {
    cs::FatalConfig("--listen: bad port in \"" + text + "\"");
  }
  if (*port < 0 || *port > 65535) cs::FatalConfig("--listen: port out of range in \"" + text + "\"");
}

}  // namespace

int main(int argc, char** argv) {
  cs::ParseFlagsWithEnv(argc, argv, "devbroker: local Kafka-protocol broker for coachstream");
  cs::log::Level level;
  if (!cs::log::ParseLevel(absl::GetFlag(FLAGS_log_level), &level)) cs::FatalConfig("--log_level: unknown level");
  cs::log::Init("devbroker", level);
  cs::InstallShutdownHandlers();

  auto extra = cs::devbroker::ParseTopicSpecs(absl::GetFlag(FLAGS_topics));
  if (!extra.ok()) cs::FatalConfig(std::string(extra.status().message()));
  std::string host;
  int port = 0;
  SplitHostPort(absl::GetFlag(FLAGS_listen), &host, &port);
  int brokers = absl::GetFlag(FLAGS_brokers);
  if (brokers < 1 || brokers > 9) cs::FatalConfig("--brokers: must be 1-9");

  MockCluster mock;
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  mock.rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!mock.rk) cs::FatalConfig(std::string("cannot create mock client: ") + errstr);
  mock.cluster = rd_kafka_mock_cluster_new(mock.rk, brokers);
  if (!mock.cluster) cs::FatalConfig("cannot create mock cluster");
  std::string broker_addr = rd_kafka_mock_cluster_bootstraps(mock.cluster);

  for (const auto& t : cs::devbroker::MergeTopics(cs::devbroker::DefaultTopics(), *extra)) {
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(mock.cluster, t.name.c_str(), t.partitions, 1);
    if (err) cs::FatalConfig("cannot create topic " + t.name + ": " + rd_kafka_err2str(err));
    cs::log::Info("topic created", {{"topic", t.name}, {"partitions", t.partitions}});
  }

  // The mock advertises its own ephemeral address; the forwarder gives a fixed bootstrap.
  std::string first = broker_addr.substr(0, broker_addr.find(','));
  std::string bhost;
  int bport = 0;
  SplitHostPort(first, &bhost, &bport);
  auto forwarder = cs::devbroker::TcpForwarder::Start(host, port, bhost, bport);
  if (!forwarder.ok()) cs::FatalConfig(std::string(forwarder.status().message()));
  std::string bootstrap = host + ":" + std::to_string((*forwarder)->port());

  if (!absl::GetFlag(FLAGS_bootstrap_file).empty()) {
    std::string path = absl::GetFlag(FLAGS_bootstrap_file);
    std::string tmp = path + ".tmp";
    std::ofstream(tmp) << bootstrap << "\n";
    std::rename(tmp.c_str(), path.c_str());  // atomic: readers never see half a line
  }
  std::printf("%s\n", bootstrap.c_str());
  std::fflush(stdout);
  cs::log::Info("devbroker ready", {{"bootstrap", bootstrap}, {"brokers", broker_addr}});

  cs::WaitForShutdown();
  cs::log::Info("devbroker stopping");
  (*forwarder)->Stop();
  return 0;
}
