#pragma once

// Multi-process test harness: start devbroker and services as real
// processes on loopback ephemeral ports, read the ports they chose, probe
// gRPC health and /metrics, stop them with SIGTERM (or SIGKILL).

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace cs::testing {

// A child process with stdout/stderr captured to files in `dir`.
class Process {
 public:
  // `binary` is looked up in $CS_BIN_DIR.
  Process(std::string name, const std::string& binary, std::vector<std::string> args,
          const std::string& dir, std::map<std::string, std::string> env = {});
  ~Process();

  pid_t pid() const { return pid_; }
  bool Running();
  // Sends `sig` and waits up to `timeout`; returns the exit status
  // (WEXITSTATUS, or 128+signal), or nullopt if it did not exit in time.
  std::optional<int> Stop(int sig, absl::Duration timeout);
  // Waits for exit without signalling.
  std::optional<int> Wait(absl::Duration timeout);
  std::string Stdout() const;
  std::string Stderr() const;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string out_path_;
  std::string err_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

// A fresh temporary directory, removed at destruction unless CS_KEEP_TMP is set.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Waits for `path` to exist and be non-empty; returns its content.
std::optional<std::string> WaitForFile(const std::string& path, absl::Duration timeout);
// Parses "name port" lines.
std::map<std::string, int> ParsePorts(const std::string& text);

// Started devbroker: bootstrap address on an ephemeral port.
struct Broker {
  std::unique_ptr<Process> process;
  std::string bootstrap;
};
Broker StartBroker(const std::string& dir, const std::string& extra_topics = "");

// A started service with its ports.
struct Service {
  std::unique_ptr<Process> process;
  int grpc_port = 0;
  int metrics_port = 0;
};
// Starts `binary` with common flags (bootstrap, ephemeral ports, state dir)
// plus `args`, and waits for its ports file.
Service StartService(const std::string& name, const std::string& binary, const std::string& bootstrap,
                     const std::string& dir, std::vector<std::string> args = {});

// grpc.health.v1 Check; returns "SERVING", "NOT_SERVING", ... or the error.
std::string HealthStatus(int grpc_port, const std::string& service = "");
// Waits until health says SERVING.
bool WaitServing(int grpc_port, absl::Duration timeout);
// HTTP GET on loopback; returns the body or nullopt.
std::optional<std::string> HttpGet(int port, const std::string& path);
// The value of an un-labelled or exactly-labelled sample in Prometheus text.
std::optional<double> MetricValue(const std::string& exposition, const std::string& sample);
// Sum of every sample of `family` (all label sets) scraped from
// http://127.0.0.1:<port>/metrics; -1 when the scrape fails.
double SumMetric(int port, const std::string& family);

}  // namespace cs::testing

#include "libs/kafka/consumer.h"
#include "libs/kafka/producer.h"

namespace cs::testing {

// Polls `cond` every `every` until it is true (returns true) or `timeout`
// has passed (returns its last value).
bool WaitFor(const std::function<bool()>& cond, absl::Duration timeout,
             absl::Duration every = absl::Milliseconds(100));

// Produces `records` and waits for the broker's acknowledgement.
void ProduceAll(const std::string& bootstrap, const std::vector<kafka::OutRecord>& records,
                absl::Duration ack_timeout = absl::Seconds(30));
// Reads `topic` from the beginning until `done(messages)` is true or `timeout`.
std::vector<kafka::Message> ReadTopicUntil(const std::string& bootstrap, const std::string& topic,
                                           const std::function<bool(const std::vector<kafka::Message>&)>& done,
                                           absl::Duration timeout);
// Reads everything currently on `topic` (stops after `quiet` without new records).
std::vector<kafka::Message> ReadTopic(const std::string& bootstrap, const std::string& topic,
                                      absl::Duration quiet = absl::Seconds(2));
// A binary-mode CloudEvents record on `topic`.
kafka::OutRecord CloudEventRecord(const std::string& topic, const std::string& key, const std::string& ce_type,
                                  const std::string& ce_id, const std::string& tenant, const std::string& value);

}  // namespace cs::testing
