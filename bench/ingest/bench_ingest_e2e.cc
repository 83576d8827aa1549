// bench_ingest_e2e: end-to-end throughput of the real `ingest` binary per
// source, through devbroker (issue #3; the in-process parse + normalize
// figures are bench_ingest_parse's).
//
//   1. The simulator core (cs::simulate_core, tools/simulate) generates a
//      realistic org and its activity in the vendor formats; the first --n
//      records of each raw topic (crm, calls, calendar) are kept.
//   2. devbroker starts with enough partitions per raw topic that the
//      pre-filled volume fits (the mock keeps ~5 MiB per partition).
//   3. The HR feed (raw.org.v1) goes first through `ingest --source=org`, so
//      that every identity resolves; then each raw topic is pre-filled.
//   4. Per source: (b) a bare consumer (libs/kafka over librdkafka) reads the
//      topic from its assignment - the ceiling; (a) `ingest --source=X` is started and timed from
//      its partition assignment (the "partitions assigned" log line) until
//      coachstream_ingest_records_total (summed over outcomes) reaches the
//      number of payloads; canonical events out come from
//      coachstream_ingest_output_records_total.
//
//   bench_ingest_e2e [--n=30000] [--reps=0 (auto)] [--months=4] [--seed=42]
//                    [--max_batch=5000] [--sources=crm,calls,calendar]
//
// Binaries (devbroker, ingest) are taken from $CS_BIN_DIR (default: the
// directory of this binary).

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/bench_util.h"
#include "libs/kafka/cloudevents.h"
#include "libs/kafka/consumer.h"
#include "libs/kafka/producer.h"
#include "tests/integration/harness.h"
#include "tools/simulate/kafka_output.h"
#include "tools/simulate/simulation.h"

namespace {

using cs::bench::CpuModel;
using cs::bench::Flag;
using cs::bench::FlagText;
using cs::bench::ProcessCpuSeconds;

constexpr double kMiB = 1 << 20;
// devbroker (librdkafka's mock cluster) keeps ~5 MiB per partition; stay well below.
constexpr double kBytesPerPartition = 2.5 * kMiB;

struct Config {
  int64_t n = 30'000;  // payloads per source
  int reps = 0;        // 0: sized so that every source has --n records
  int months = 4;
  uint64_t seed = 42;
  int max_batch = 5000;  // ingest's default
  std::vector<std::string> sources = {"crm", "calls", "calendar"};
};

// Thrown rather than exit(): unwinding stops the broker and the services.
[[noreturn]] void Die(const std::string& what) { throw std::runtime_error(what); }

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

std::string TopicOf(const std::string& source) { return "raw." + source + ".v1"; }

// Which raw topic an emission goes to (without encoding it).
std::string_view TopicOfKind(cs::simulate::EmitKind k) {
  using cs::simulate::EmitKind;
  switch (k) {
    case EmitKind::kPerson: return cs::simulate::kTopicOrg;
    case EmitKind::kSfOpportunity:
    case EmitKind::kSfLineItem:
    case EmitKind::kHubspotBatch: return cs::simulate::kTopicCrm;
    case EmitKind::kDial:
    case EmitKind::kGongCall: return cs::simulate::kTopicCalls;
    case EmitKind::kMeeting: return cs::simulate::kTopicCalendar;
  }
  return "";
}

std::unique_ptr<cs::simulate::Simulation> Simulate(const Config& c, int reps) {
  cs::simulate::SimOptions o;
  o.seed = c.seed;
  o.reps = reps;
  o.managers = std::max(1, reps / 8);
  o.directors = std::max(1, o.managers / 6);
  o.months = c.months;
  auto sim = cs::simulate::Simulation::Create(o);
  if (!sim.ok()) Die("simulate: " + sim.status().ToString());
  return std::move(*sim);
}

int64_t PerTopic(const cs::simulate::Simulation& sim, std::string_view topic) {
  auto it = sim.totals().per_topic.find(std::string(topic));
  return it == sim.totals().per_topic.end() ? 0 : it->second;
}

// The sum of every sample of `name` in Prometheus text (any labels), or -1
// if /metrics did not answer.
// Lines of `text` (std::string_view: Debian's absl::string_view is not std's).
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  return out;
}

std::vector<std::string> SplitComma(std::string_view text) {
  std::vector<std::string> out;
  for (size_t start = 0; start <= text.size();) {
    const size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

double MetricSum(int port, const std::string& name, const std::string& must_contain = "") {
  auto text = cs::testing::HttpGet(port, "/metrics");
  if (!text) return -1;
  double sum = 0;
  for (std::string_view line : Lines(*text)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.substr(0, name.size()) != name) continue;
    if (line.size() > name.size() && line[name.size()] != '{' && line[name.size()] != ' ') continue;
    if (!must_contain.empty() && line.find(must_contain) == std::string_view::npos) continue;
    const size_t sp = line.rfind(' ');
    if (sp == std::string_view::npos) continue;
    sum += std::strtod(std::string(line.substr(sp + 1)).c_str(), nullptr);
  }
  return sum;
}

// "emit 29000, duplicate 120, ..." from the labelled samples of records_total.
std::string Outcomes(int port) {
  auto text = cs::testing::HttpGet(port, "/metrics");
  if (!text) return "?";
  std::string out;
  const std::string name = "coachstream_ingest_records_total{";
  for (std::string_view line : Lines(*text)) {
    if (line.substr(0, name.size()) != name) continue;
    const size_t o = line.find("outcome=\"");
    if (o == std::string_view::npos) continue;
    const size_t e = line.find('"', o + 9);
    if (!out.empty()) out += ", ";
    out += std::string(line.substr(o + 9, e - o - 9)) + " " + std::string(line.substr(line.rfind(' ') + 1));
  }
  return out;
}

struct SourceResult {
  std::string source;
  int64_t payloads = 0;
  double mib = 0;
  int partitions = 0;
  double bare_rate = 0;
  double ingest_rate = 0;
  double events_rate = 0;
  double events = 0;
  double seconds = 0;
  double per_cpu = 0;
  std::string outcomes;
};

// (b): read the whole topic with a bare consumer; returns messages/s.
double BareConsume(const std::string& bootstrap, const std::string& topic, int64_t total) {
  cs::kafka::ConsumerOptions co;
  co.client.bootstrap_servers = bootstrap;
  co.group_id = "bench-bare-" + topic;
  co.topics = {topic};
  co.read_whole_topics = true;
  auto consumer = cs::kafka::Consumer::Create(co);
  if (!consumer.ok()) Die(consumer.status().ToString());
  // Timed from the assignment (read_whole_topics assigns every partition in
  // Create), like the service, not from the first batch: librdkafka prefetches
  // in the background, so the first batch can come after most of the topic
  // already sits in memory.
  const absl::Time first = absl::Now();
  int64_t got = 0;
  const absl::Time deadline = absl::Now() + absl::Minutes(5);
  while (got < total && absl::Now() < deadline) {
    auto batch = (*consumer)->Poll(50'000, absl::Milliseconds(200));
    if (!batch.ok()) Die(batch.status().ToString());
    got += static_cast<int64_t>(batch->size());
  }
  if (got < total) Die(absl::StrCat("bare consumer read only ", got, " of ", total, " records of ", topic));
  return static_cast<double>(got) / Seconds(absl::Now() - first);
}

}  // namespace

int Main(int argc, char** argv) {
  Config c;
  c.n = Flag(argc, argv, "--n", c.n);
  c.reps = static_cast<int>(Flag(argc, argv, "--reps", c.reps));
  c.months = static_cast<int>(Flag(argc, argv, "--months", c.months));
  c.seed = static_cast<uint64_t>(Flag(argc, argv, "--seed", static_cast<int64_t>(c.seed)));
  c.max_batch = static_cast<int>(Flag(argc, argv, "--max_batch", c.max_batch));
  if (const char* s = FlagText(argc, argv, "--sources")) {
    c.sources = SplitComma(s);
  }
  for (const auto& s : c.sources) {
    if (s != "crm" && s != "calls" && s != "calendar") Die("--sources: \"" + s + "\" is not crm, calls or calendar");
  }
  if (c.n < 1 || c.reps < 0 || c.months < 1 || c.max_batch < 1) {
    Die("need --n >= 1, --reps >= 0, --months >= 1, --max_batch >= 1");
  }
  if (std::getenv("CS_BIN_DIR") == nullptr) {
    setenv("CS_BIN_DIR", std::filesystem::canonical("/proc/self/exe").parent_path().c_str(), 1);
  }
  const absl::Time started = absl::Now();

  // 1. The simulated org, sized so that every source has --n records.
  int reps = c.reps > 0 ? c.reps : 80;
  auto sim = Simulate(c, reps);
  if (c.reps == 0) {
    for (int attempt = 0; attempt < 4; ++attempt) {
      double worst = 1e9;
      for (const auto& s : c.sources) {
        worst = std::min(worst, static_cast<double>(PerTopic(*sim, TopicOf(s))) / static_cast<double>(c.n));
      }
      if (worst >= 1) break;
      reps = static_cast<int>(std::ceil(reps / std::max(worst, 0.05) * 1.1));
      sim = Simulate(c, reps);
    }
  }
  std::map<std::string, std::vector<cs::kafka::OutRecord>> per_topic;
  std::map<std::string, double> bytes;
  for (size_t i = 0; i < sim->size(); ++i) {
    const std::string topic(TopicOfKind(sim->plan()[i].kind));
    auto& v = per_topic[topic];
    if (topic != cs::simulate::kTopicOrg && static_cast<int64_t>(v.size()) >= c.n) continue;
    v.push_back(cs::simulate::ToOutRecord(sim->Record(i)));
    bytes[topic] += static_cast<double>(v.back().value->size());
  }
  const auto& org_records = per_topic[std::string(cs::simulate::kTopicOrg)];
  std::printf("simulated org: %d reps, %zu people, %d months (seed %llu); generated in %.1f s\n", reps,
              org_records.size(), c.months, static_cast<unsigned long long>(c.seed),
              Seconds(absl::Now() - started));

  // 2. devbroker with enough partitions for the pre-filled volume.
  std::vector<SourceResult> results;
  std::string topics_flag = "coaching.events.v1:48";
  for (const auto& s : c.sources) {
    SourceResult r;
    r.source = s;
    r.payloads = static_cast<int64_t>(per_topic[TopicOf(s)].size());
    r.mib = bytes[TopicOf(s)] / kMiB;
    r.partitions = std::max(6, static_cast<int>(std::ceil(bytes[TopicOf(s)] / kBytesPerPartition)));
    if (r.payloads < c.n) {
      std::printf("note: only %lld %s records in the simulation (asked for %lld)\n",
                  static_cast<long long>(r.payloads), s.c_str(), static_cast<long long>(c.n));
    }
    absl::StrAppend(&topics_flag, ",", TopicOf(s), ":", r.partitions);
    results.push_back(r);
  }
  cs::testing::TempDir dir;
  cs::testing::Broker broker = cs::testing::StartBroker(dir.path(), topics_flag);

  // 3. The HR feed first, through ingest --source=org, so identities resolve.
  {
    cs::testing::ProduceAll(broker.bootstrap, org_records, absl::Minutes(5));
    cs::testing::Service org = cs::testing::StartService("ingest-org", "ingest", broker.bootstrap, dir.path(),
                                                         {"--source=org", "--directory_wait=5s"});
    const absl::Time deadline = absl::Now() + absl::Minutes(2);
    while (MetricSum(org.metrics_port, "coachstream_ingest_records_total") <
           static_cast<double>(org_records.size())) {
      if (absl::Now() > deadline) Die("ingest --source=org did not finish: " + org.process->Stderr());
      absl::SleepFor(absl::Milliseconds(50));
    }
    org.process->Stop(SIGTERM, absl::Seconds(30));
  }
  for (auto& r : results) {
    const absl::Time t0 = absl::Now();
    cs::testing::ProduceAll(broker.bootstrap, per_topic[TopicOf(r.source)], absl::Minutes(5));
    std::printf("pre-filled %s: %lld payloads, %.1f MiB, %d partitions, in %.1f s\n", TopicOf(r.source).c_str(),
                static_cast<long long>(r.payloads), r.mib, r.partitions, Seconds(absl::Now() - t0));
  }
  std::fflush(stdout);

  // 4. Per source: the ceiling, then the real binary.
  for (auto& r : results) {
    r.bare_rate = BareConsume(broker.bootstrap, TopicOf(r.source), r.payloads);
    cs::testing::Service svc =
        cs::testing::StartService("ingest-" + r.source, "ingest", broker.bootstrap, dir.path(),
                                  {"--source=" + r.source, "--log_level=info",
                                   "--max_batch=" + std::to_string(c.max_batch)});
    absl::Time assigned = absl::InfinitePast();
    double cpu_assigned = 0;
    double done = 0;
    const absl::Time deadline = absl::Now() + absl::Minutes(10);
    while (absl::Now() < deadline) {
      if (assigned == absl::InfinitePast() &&
          svc.process->Stderr().find("partitions assigned") != std::string::npos) {
        assigned = absl::Now();
        cpu_assigned = ProcessCpuSeconds(svc.process->pid());
      }
      done = MetricSum(svc.metrics_port, "coachstream_ingest_records_total");
      if (assigned == absl::InfinitePast() && done > 0) {  // the log line was missed: first batch instead
        assigned = absl::Now();
        cpu_assigned = ProcessCpuSeconds(svc.process->pid());
      }
      if (done >= static_cast<double>(r.payloads)) break;
      if (!svc.process->Running()) Die("ingest --source=" + r.source + " exited: " + svc.process->Stderr());
      absl::SleepFor(absl::Milliseconds(5));
    }
    if (done < static_cast<double>(r.payloads)) {
      Die(absl::StrCat("ingest --source=", r.source, " processed ", done, " of ", r.payloads,
                       " in 10 minutes; ", Outcomes(svc.metrics_port)));
    }
    r.seconds = Seconds(absl::Now() - assigned);
    const double cpu = ProcessCpuSeconds(svc.process->pid()) - cpu_assigned;
    r.events = MetricSum(svc.metrics_port, "coachstream_ingest_output_records_total");
    r.ingest_rate = static_cast<double>(r.payloads) / r.seconds;
    r.events_rate = r.events / r.seconds;
    r.per_cpu = cpu > 0 ? static_cast<double>(r.payloads) / cpu : 0;
    r.outcomes = Outcomes(svc.metrics_port);
    svc.process->Stop(SIGTERM, absl::Seconds(30));
    std::printf("%-8s %lld payloads in %.2f s from assignment: %s; %.0f canonical events out\n", r.source.c_str(),
                static_cast<long long>(r.payloads), r.seconds, r.outcomes.c_str(), r.events);
    std::fflush(stdout);
  }

  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  const int nproc = sched_getaffinity(0, sizeof(cpus), &cpus) == 0 ? CPU_COUNT(&cpus)
                                                                    : static_cast<int>(std::thread::hardware_concurrency());
  std::printf("\nbench_ingest_e2e  %s, nproc %d (%s), load %s\n",
              absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone()).c_str(), nproc, CpuModel().c_str(), [] {
                std::ifstream in("/proc/loadavg");
                std::string a, b, cc;
                in >> a >> b >> cc;
                return a + " " + b + " " + cc;
              }().c_str());
  std::printf("real `ingest --source=X` against devbroker, pre-filled topic, timed from partition assignment to "
              "the last record; max_batch %d\n",
              c.max_batch);
  std::printf("%-9s %9s %8s %5s %13s %13s %11s %14s %14s %6s\n", "source", "payloads", "MiB", "parts",
              "ingest pl/s", "events out/s", "ev/payload", "pl/CPU-second", "bare pl/s", "ratio");
  for (const auto& r : results) {
    std::printf("%-9s %9lld %8.1f %5d %13.0f %13.0f %11.2f %14.0f %14.0f %6.3f\n", r.source.c_str(),
                static_cast<long long>(r.payloads), r.mib, r.partitions, r.ingest_rate, r.events_rate,
                r.events / static_cast<double>(r.payloads), r.per_cpu, r.bare_rate, r.ingest_rate / r.bare_rate);
  }
  std::printf("(ratio = ingest payloads/s over the bare librdkafka consume rate of the same topic; total run %.0f s)\n",
              Seconds(absl::Now() - started));
  return 0;
}

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_ingest_e2e: %s\n", e.what());
    return 1;
  }
}
