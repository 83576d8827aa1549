// simulate: a deterministic synthetic sales org emitted in vendor formats on
// the raw.* topics (or NDJSON replay files), plus its ground truth.
//
//   simulate --out=ndjson --dir=/tmp/sim --truth=/tmp/sim/truth.json
//   simulate --out=kafka --kafka_bootstrap=127.0.0.1:9092 --progress
//   simulate --replay=/tmp/sim --kafka_bootstrap=127.0.0.1:9092
//   simulate --out=kafka --topics=raw.org.v1   (then the rest: --topics=raw.crm.v1,...)

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/base/flags.h"
#include "libs/base/log.h"
#include "tools/simulate/kafka_output.h"
#include "tools/simulate/ndjson.h"
#include "tools/simulate/simulation.h"
#include "tools/simulate/truth.h"

ABSL_FLAG(uint64_t, seed, 42, "Seed of every random draw (same seed => identical output)");
ABSL_FLAG(int, reps, 40, "Number of reps (about 1/4 SDRs, 3/4 account executives)");
ABSL_FLAG(int, managers, 5, "Number of first-line managers");
ABSL_FLAG(int, directors, 2, "Number of directors (under one VP)");
ABSL_FLAG(int, months, 4, "Full months of history before the month of --end");
ABSL_FLAG(std::string, end, "2026-11-20", "First day not generated: YYYY-MM-DD or \"today\" (UTC)");
ABSL_FLAG(std::string, tenant, "acme", "CloudEvents tenantid of every record");
ABSL_FLAG(std::string, domain, "acme.example", "The org's internal e-mail domain");
ABSL_FLAG(std::string, out, "ndjson", "ndjson | kafka | none (ground truth and summary only)");
ABSL_FLAG(std::string, dir, "", "Directory of the NDJSON files (--out=ndjson)");
ABSL_FLAG(std::string, topics, "",
          "Write only these raw topics, comma-separated (default: all four). Two runs with the same "
          "seed, e.g. raw.org.v1 then the other three, write the same records as one run");
ABSL_FLAG(std::string, replay, "", "Produce a previously written NDJSON directory to Kafka and exit");
ABSL_FLAG(std::string, truth, "", "Write the ground truth JSON to this file");
ABSL_FLAG(std::string, kafka_bootstrap, "127.0.0.1:9092", "Kafka bootstrap servers (host:port,...)");
ABSL_FLAG(std::string, kafka_properties, "", "Extra librdkafka properties, k=v,k2=v2");
ABSL_FLAG(double, rate, 0,
          "Records per second at most with --out=kafka / --replay (0 = unlimited). devbroker keeps "
          "~5 MiB per partition: pace below what ingest consumes so nothing is dropped there");
ABSL_FLAG(bool, progress, false, "Print records/s and % done on stderr while producing");

namespace {

using cs::simulate::SimOptions;

constexpr char kUsage[] =
    "simulate: deterministic synthetic sales org in vendor formats (raw.* topics or NDJSON)";

[[noreturn]] void BadFlag(const std::string& message) {
  std::fprintf(stderr, "simulate: %s\n", message.c_str());
  std::exit(2);
}

// Checks one flag value without keeping it (the real parse sets it again).
void CheckValue(const std::string& name, const std::string& value, const char* where) {
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
  std::string error;
  if (flag != nullptr && !flag->ParseFrom(value, &error)) {
    BadFlag(std::string(where) + "--" + name + ": bad value \"" + value + "\": " + error);
  }
}

// absl's own parse errors exit with status 1 and a multi-line message: check
// names and values first so that every bad flag (command line or
// COACHSTREAM_* variable) is a one-line error with status 2.
void CheckFlags(int argc, char** argv) {
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    const std::string var = "COACHSTREAM_" + absl::AsciiStrToUpper(std::string(name));
    if (const char* v = std::getenv(var.c_str())) CheckValue(std::string(name), v, (var + ": ").c_str());
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.empty() || arg[0] != '-') BadFlag("unexpected argument \"" + arg + "\" (flags are --name=value)");
    const std::string body = arg.substr(arg.find_first_not_of('-'));
    const size_t eq = body.find('=');
    std::string name = body.substr(0, eq);
    if (name == "help" || name == "helpfull" || name == "version") continue;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr && name.rfind("no", 0) == 0) {
      flag = absl::FindCommandLineFlag(name.substr(2));
      if (flag != nullptr && flag->IsOfType<bool>() && eq == std::string::npos) continue;  // --noprogress
      flag = nullptr;
    }
    if (flag == nullptr) BadFlag("unknown flag --" + name);
    if (eq != std::string::npos) {
      CheckValue(name, body.substr(eq + 1), "");
    } else if (!flag->IsOfType<bool>()) {
      if (i + 1 >= argc) BadFlag("--" + name + ": missing value");
      CheckValue(name, argv[++i], "");
    }
  }
}

SimOptions OptionsFromFlags() {
  SimOptions o;
  o.seed = absl::GetFlag(FLAGS_seed);
  o.reps = absl::GetFlag(FLAGS_reps);
  o.managers = absl::GetFlag(FLAGS_managers);
  o.directors = absl::GetFlag(FLAGS_directors);
  o.months = absl::GetFlag(FLAGS_months);
  o.tenant = absl::GetFlag(FLAGS_tenant);
  o.email_domain = absl::GetFlag(FLAGS_domain);
  const std::string end = absl::GetFlag(FLAGS_end);
  if (end == "today") {
    o.end_day = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  } else if (!absl::ParseCivilTime(end, &o.end_day)) {
    cs::FatalConfig("--end: expected YYYY-MM-DD or \"today\", got \"" + end + "\"");
  }
  if (absl::Status s = cs::simulate::ValidateOptions(o); !s.ok()) cs::FatalConfig(std::string(s.message()));
  return o;
}

cs::simulate::KafkaOutputOptions KafkaOptions(int64_t expected) {
  cs::simulate::KafkaOutputOptions k;
  k.client.bootstrap_servers = absl::GetFlag(FLAGS_kafka_bootstrap);
  k.client.client_id = "coachstream-simulate";
  if (k.client.bootstrap_servers.empty()) cs::FatalConfig("--kafka_bootstrap: must not be empty");
  if (!cs::kafka::ParseProperties(absl::GetFlag(FLAGS_kafka_properties), &k.client.properties)) {
    cs::FatalConfig("--kafka_properties: expected k=v,k2=v2");
  }
  k.expected = expected;
  k.progress = absl::GetFlag(FLAGS_progress);
  k.rate = absl::GetFlag(FLAGS_rate);
  if (k.rate < 0) cs::FatalConfig("--rate: must be >= 0");
  return k;
}

int Replay(const std::string& dir) {
  if (!std::filesystem::is_directory(dir)) BadFlag("--replay: " + dir + " is not a directory");
  auto out = cs::simulate::KafkaOutput::Create(KafkaOptions(0));
  if (!out.ok()) cs::FatalConfig(std::string(out.status().message()));
  std::map<std::string, int64_t> per_topic;
  absl::Status s = cs::simulate::ReadNdjsonDir(dir, [&](const cs::simulate::ReplayRecord& r) {
    ++per_topic[r.topic];
    return (*out)->WriteReplay(r);
  });
  if (s.ok()) s = (*out)->Finish();
  if (!s.ok()) {
    std::fprintf(stderr, "simulate: replay failed: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::string line = absl::StrCat("simulate: replayed ", (*out)->produced(), " records from ", dir, ":");
  for (const auto& [topic, n] : per_topic) absl::StrAppend(&line, " ", topic, "=", n);
  std::printf("%s\n", line.c_str());
  return 0;
}

absl::Status WriteTruth(const cs::simulate::Simulation& sim, const std::string& path) {
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream f(path, std::ios::out | std::ios::trunc);
  f << cs::simulate::GroundTruth(sim).dump(2) << "\n";
  f.close();
  if (!f) return absl::UnavailableError("--truth: cannot write " + path);
  return absl::OkStatus();
}

// A sink that drops records (--out=none still exercises the encoders).
class NullSink : public cs::simulate::RecordSink {
 public:
  absl::Status Write(const cs::simulate::SimRecord&) override { return absl::OkStatus(); }
};

// The topics --topics selects (all four when empty).
cs::simulate::TopicSet SelectedTopics() {
  cs::simulate::TopicSet all(std::begin(cs::simulate::kRawTopics), std::end(cs::simulate::kRawTopics));
  const std::string flag = absl::GetFlag(FLAGS_topics);
  if (flag.empty()) return all;
  cs::simulate::TopicSet out;
  for (absl::string_view t : absl::StrSplit(flag, ',', absl::SkipEmpty())) {
    if (!all.count(std::string(t))) {
      cs::FatalConfig("--topics: unknown topic \"" + std::string(t) +
                      "\" (raw.org.v1, raw.crm.v1, raw.calls.v1, raw.calendar.v1)");
    }
    out.insert(std::string(t));
  }
  if (out.empty()) cs::FatalConfig("--topics: no topic given");
  return out;
}

// Records the selected topics hold (the progress total).
int64_t SelectedRecords(const cs::simulate::Simulation& sim, const cs::simulate::TopicSet& topics) {
  int64_t n = 0;
  for (const auto& [topic, count] : sim.totals().per_topic) {
    if (topics.count(topic)) n += count;
  }
  return n;
}

absl::Status Output(const cs::simulate::Simulation& sim, const std::string& out,
                    const cs::simulate::TopicSet& topics) {
  if (out == "ndjson") {
    auto w = cs::simulate::NdjsonWriter::Create(absl::GetFlag(FLAGS_dir));
    if (!w.ok()) return w.status();
    cs::simulate::TopicFilter filter(w->get(), topics);
    if (absl::Status s = sim.Emit(filter); !s.ok()) return s;
    return (*w)->Close();
  }
  if (out == "kafka") {
    auto k = cs::simulate::KafkaOutput::Create(KafkaOptions(SelectedRecords(sim, topics)));
    if (!k.ok()) return k.status();
    cs::simulate::TopicFilter filter(k->get(), topics);
    if (absl::Status s = sim.Emit(filter); !s.ok()) return s;
    return (*k)->Finish();
  }
  NullSink none;
  return sim.Emit(none);
}

std::string Summary(const cs::simulate::Simulation& sim, double seconds) {
  const auto& t = sim.totals();
  std::string line = absl::StrCat("simulate: ", t.records, " records in ", absl::StrFormat("%.1f", seconds),
                                  " s (", absl::StrFormat("%.0f", t.records / std::max(seconds, 1e-3)),
                                  " records/s):");
  for (std::string_view topic : cs::simulate::kRawTopics) {
    auto it = t.per_topic.find(std::string(topic));
    absl::StrAppend(&line, " ", std::string(topic), "=", it == t.per_topic.end() ? 0 : it->second);
  }
  absl::StrAppend(&line, "; duplicates=", t.duplicates, " delayed=", t.delayed,
                  " late_crm_updates=", t.late_updates, " gap_events=", t.gap_events);
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  CheckFlags(argc, argv);
  std::vector<std::string> rest = cs::ParseFlagsWithEnv(argc, argv, kUsage);
  if (rest.size() > 1) cs::FatalConfig("unexpected argument \"" + rest[1] + "\"");
  cs::log::Init("simulate", cs::log::Level::kWarn);
  if (!absl::GetFlag(FLAGS_replay).empty()) return Replay(absl::GetFlag(FLAGS_replay));

  const std::string out = absl::GetFlag(FLAGS_out);
  if (out != "ndjson" && out != "kafka" && out != "none") {
    cs::FatalConfig("--out: expected ndjson, kafka or none, got \"" + out + "\"");
  }
  if (out == "ndjson" && absl::GetFlag(FLAGS_dir).empty()) cs::FatalConfig("--dir: required with --out=ndjson");
  const SimOptions options = OptionsFromFlags();
  const cs::simulate::TopicSet topics = SelectedTopics();  // a bad --topics fails before any output
  const absl::Time started = absl::Now();
  auto sim = cs::simulate::Simulation::Create(options);
  if (!sim.ok()) cs::FatalConfig(std::string(sim.status().message()));
  if (!absl::GetFlag(FLAGS_truth).empty()) {
    if (absl::Status s = WriteTruth(**sim, absl::GetFlag(FLAGS_truth)); !s.ok()) {
      cs::FatalConfig(std::string(s.message()));
    }
  }
  if (absl::Status s = Output(**sim, out, topics); !s.ok()) {
    std::fprintf(stderr, "simulate: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf("%s\n", Summary(**sim, absl::ToDoubleSeconds(absl::Now() - started)).c_str());
  return 0;
}
