#include "tests/integration/harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <grpcpp/grpcpp.h>

#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace cs::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string BinDir() {
  const char* d = std::getenv("CS_BIN_DIR");
  return d ? d : "./bin";
}

}  // namespace

Process::Process(std::string name, const std::string& binary, std::vector<std::string> args,
                 const std::string& dir, std::map<std::string, std::string> env)
    : name_(std::move(name)) {
  out_path_ = dir + "/" + name_ + ".out";
  err_path_ = dir + "/" + name_ + ".err";
  std::string path = binary.find('/') == std::string::npos ? BinDir() + "/" + binary : binary;
  pid_ = fork();
  if (pid_ == 0) {
    int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(out, 1);
    dup2(err, 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    // The parent may block signals (gtest does not, but services do): reset.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(path.data());
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(path.c_str(), argv.data());
    _exit(127);
  }
}

Process::~Process() {
  if (Running()) Stop(SIGKILL, absl::Seconds(5));
}

bool Process::Running() {
  if (exit_status_) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return false;
}

std::optional<int> Process::Wait(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (Running()) {
    if (absl::Now() > deadline) return std::nullopt;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return exit_status_;
}

std::optional<int> Process::Stop(int sig, absl::Duration timeout) {
  if (Running()) kill(pid_, sig);
  return Wait(timeout);
}

std::string Process::Stdout() const { return ReadAll(out_path_); }
std::string Process::Stderr() const { return ReadAll(err_path_); }

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "coachstream-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  if (std::getenv("CS_KEEP_TMP") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
}

std::optional<std::string> WaitForFile(const std::string& path, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    std::string content = ReadAll(path);
    if (!content.empty()) return content;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return std::nullopt;
}

std::map<std::string, int> ParsePorts(const std::string& text) {
  std::map<std::string, int> out;
  std::istringstream in(text);
  std::string name;
  int port = 0;
  while (in >> name >> port) out[name] = port;
  return out;
}

Broker StartBroker(const std::string& dir, const std::string& extra_topics) {
  Broker b;
  std::string file = dir + "/bootstrap.txt";
  std::vector<std::string> args = {"--listen=127.0.0.1:0", "--bootstrap_file=" + file};
  if (!extra_topics.empty()) args.push_back("--topics=" + extra_topics);
  b.process = std::make_unique<Process>("devbroker", "devbroker", args, dir);
  auto content = WaitForFile(file, absl::Seconds(10));
  if (!content) throw std::runtime_error("devbroker did not start: " + b.process->Stderr());
  b.bootstrap = content->substr(0, content->find('\n'));
  return b;
}

Service StartService(const std::string& name, const std::string& binary, const std::string& bootstrap,
                     const std::string& dir, std::vector<std::string> args) {
  Service s;
  std::string ports_file = dir + "/" + name + ".ports";
  std::filesystem::remove(ports_file);
  std::vector<std::string> all = {"--kafka_bootstrap=" + bootstrap, "--grpc_address=127.0.0.1:0",
                                  "--metrics_address=127.0.0.1:0", "--state_dir=" + dir + "/state",
                                  "--ports_file=" + ports_file, "--session_timeout_ms=4500"};
  for (auto& a : args) all.push_back(std::move(a));
  s.process = std::make_unique<Process>(name, binary, all, dir);
  auto content = WaitForFile(ports_file, absl::Seconds(20));
  if (!content) throw std::runtime_error(name + " did not report its ports: " + s.process->Stderr());
  auto ports = ParsePorts(*content);
  s.grpc_port = ports["grpc"];
  s.metrics_port = ports["metrics"];
  return s;
}

std::string HealthStatus(int grpc_port, const std::string& service) {
  auto channel = ::grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port),
                                       ::grpc::InsecureChannelCredentials());
  auto stub = ::grpc::health::v1::Health::NewStub(channel);
  ::grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  ::grpc::health::v1::HealthCheckRequest req;
  req.set_service(service);
  ::grpc::health::v1::HealthCheckResponse resp;
  ::grpc::Status st = stub->Check(&ctx, req, &resp);
  if (!st.ok()) return "error: " + st.error_message();
  return ::grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status());
}

bool WaitServing(int grpc_port, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (HealthStatus(grpc_port) == "SERVING") return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

std::optional<std::string> HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return std::nullopt;
  }
  std::string req = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) {
    close(fd);
    return std::nullopt;
  }
  std::string resp;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) resp.append(buf, static_cast<size_t>(n));
  close(fd);
  size_t body = resp.find("\r\n\r\n");
  if (resp.rfind("HTTP/1.", 0) != 0 || resp.find(" 200 ") == std::string::npos || body == std::string::npos) {
    return std::nullopt;
  }
  return resp.substr(body + 4);
}

std::optional<double> MetricValue(const std::string& exposition, const std::string& sample) {
  std::istringstream in(exposition);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(sample + " ", 0) == 0) return std::stod(line.substr(sample.size() + 1));
  }
  return std::nullopt;
}

double SumMetric(int port, const std::string& family) {
  auto text = HttpGet(port, "/metrics");
  if (!text) return -1;
  double sum = 0;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(family, 0) != 0) continue;
    const char next = line.size() > family.size() ? line[family.size()] : ' ';
    if (next == '{' || next == ' ') sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

}  // namespace cs::testing

namespace cs::testing {

bool WaitFor(const std::function<bool()>& cond, absl::Duration timeout, absl::Duration every) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (cond()) return true;
    absl::SleepFor(every);
  }
  return cond();
}

void ProduceAll(const std::string& bootstrap, const std::vector<kafka::OutRecord>& records,
                absl::Duration ack_timeout) {
  kafka::ProducerOptions po;
  po.client.bootstrap_servers = bootstrap;
  auto producer = kafka::Producer::Create(po);
  if (!producer.ok()) throw std::runtime_error(producer.status().ToString());
  kafka::DeliveryBatch batch;
  for (const auto& r : records) {
    auto s = (*producer)->Produce(r, &batch);
    if (!s.ok()) throw std::runtime_error(s.ToString());
  }
  auto s = (*producer)->Await(batch, ack_timeout);
  if (!s.ok()) throw std::runtime_error(s.ToString());
}

namespace {

// A consumer of the whole of `topic` from the beginning (no committed offsets).
std::unique_ptr<kafka::Consumer> TopicReader(const std::string& bootstrap, const std::string& topic) {
  kafka::ConsumerOptions co;
  co.client.bootstrap_servers = bootstrap;
  co.group_id = "test-reader";
  co.topics = {topic};
  co.read_whole_topics = true;
  auto consumer = kafka::Consumer::Create(co);
  if (!consumer.ok()) throw std::runtime_error(consumer.status().ToString());
  return std::move(*consumer);
}

}  // namespace

std::vector<kafka::Message> ReadTopicUntil(const std::string& bootstrap, const std::string& topic,
                                           const std::function<bool(const std::vector<kafka::Message>&)>& done,
                                           absl::Duration timeout) {
  auto consumer = TopicReader(bootstrap, topic);
  std::vector<kafka::Message> out;
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline && !done(out)) {
    auto batch = consumer->Poll(10000, absl::Milliseconds(100));
    if (!batch.ok()) break;
    for (auto& m : *batch) out.push_back(std::move(m));
  }
  return out;
}

std::vector<kafka::Message> ReadTopic(const std::string& bootstrap, const std::string& topic,
                                      absl::Duration quiet) {
  // Done when the reader's position has reached every partition's high
  // watermark (asked of the broker, so a slow first fetch on a loaded
  // machine does not end the read early) and nothing new came for `quiet`.
  auto consumer = TopicReader(bootstrap, topic);
  std::vector<kafka::Message> out;
  const absl::Time deadline = absl::Now() + absl::Minutes(2);
  absl::Time last_change = absl::Now();
  while (absl::Now() < deadline) {
    auto batch = consumer->Poll(10000, absl::Milliseconds(100));
    if (!batch.ok()) break;
    if (!batch->empty()) last_change = absl::Now();
    for (auto& m : *batch) out.push_back(std::move(m));
    if (absl::Now() - last_change > quiet) {
      absl::StatusOr<bool> caught_up = consumer->CaughtUp(absl::Seconds(5));
      if (caught_up.ok() && *caught_up) break;
    }
  }
  return out;
}

kafka::OutRecord CloudEventRecord(const std::string& topic, const std::string& key, const std::string& ce_type,
                                  const std::string& ce_id, const std::string& tenant, const std::string& value) {
  kafka::OutRecord r;
  r.topic = topic;
  r.key = key;
  r.value = value;
  r.headers = {{"ce_specversion", "1.0"}, {"ce_id", ce_id}, {"ce_source", "/tests"},
               {"ce_type", ce_type},      {"ce_tenantid", tenant}, {"content-type", "application/json"}};
  return r;
}

}  // namespace cs::testing
