// Benchmark of the metrics service, side by side in one run:
//   (a) replay: the real `metrics` binary consuming a pre-filled
//       coaching.events.v1 from devbroker (events/s, wall and per CPU-second),
//       --replays times, each in a fresh process on an empty state directory;
//   (b) the ceiling: a bare consumer (libs/kafka over librdkafka) reading the
//       same topic without the Kafka headers, as the service does, timed
//       like (a) from the assignment, in a fresh process like (a), run
//       alternately with (a); the ratio (a)/(b) is of the two medians; also
//       printed: a bare run in this process and one with the headers copied;
//   (c) a PostgreSQL baseline computing per-rep aggregates from the same
//       events with the same exactly-once design (dedup table + aggregates +
//       offsets in one transaction per batch, batched INSERT ... ON CONFLICT
//       DO UPDATE), and the ratio (a)/(c): PostgreSQL sums every event's
//       increments itself (see PgAggregation); (c') the same with the sums
//       merged per batch in the client first, as the metrics service does;
//   (d) GetTeamDrivers latency (p50/p99) for a 12-rep team under concurrent
//       clients;
//   (e) RSS of the metrics process holding reps x months of state.
//
// The stream: the org directory, one event per rep and month over --months
// (history, so that state spans the whole window), then --events recent
// events over the last --recent_days (realistic density), in time order.
//
//   bench_metrics [--events=600000] [--recent_days=7] [--reps=10000] [--months=24] [--partitions=48]
//                 [--clients=4] [--seconds=5] [--pg_batch=50000] [--pg=1] [--apply_threads=2]
//                 [--service_log=0] [--replays=3]
//                 [--metrics_args="--flag=v;--flag2=v"]  (extra metrics flags, for trials)
//
// Binaries (devbroker, metrics) are taken from $CS_BIN_DIR (default: the
// directory of this binary). PostgreSQL 15 from Debian: the benchmark starts
// a throwaway cluster in a temporary directory (initdb + pg_ctl on a free
// port). PostgreSQL refuses to run as root, so when we are root the
// directory is chowned to the `postgres` user (created by the Debian
// package) and initdb/pg_ctl run through `runuser -u postgres --`.
// Durability is matched: RocksDB writes its WAL without fsync per batch, so
// PostgreSQL runs with synchronous_commit=off (WAL written, flushed in the
// background); both survive a process crash, neither a power loss.

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "bench/bench_util.h"
#include "bench/metrics/stream.h"
#include "coachstream/v1/event.pb.h"
#include "coachstream/v1/metrics_service.grpc.pb.h"
#include "libs/kafka/consumer.h"
#include "libs/kafka/producer.h"
#include "services/metrics/adapters/event_consumer.h"
#include "tests/integration/harness.h"

namespace {

using coachstream::v1::Event;

using cs::bench::Flag;
using cs::bench::kTenant;
using cs::bench::ProcessCpuSeconds;
using cs::bench::ProcessMemMiB;
using cs::bench::kTopic;
using cs::bench::ManagerId;

struct Config {
  int64_t events = 600'000;  // recent events, on top of one per rep and month
  int recent_days = 7;
  int reps = 10'000;
  int months = 24;
  int partitions = 48;
  int clients = 4;
  int seconds = 5;
  // The baselines' batch: 50,000 did better for PostgreSQL than the metrics
  // service's 100,000 (README, Benchmarks), so the baselines keep it.
  int pg_batch = 50'000;
  bool pg = true;
  int apply_threads = 2;  // the metrics service's --apply_threads (its default)
  bool service_log = false;  // print the replay's service log (at debug: one line per batch)
  int replays = 3;  // (a) and (b) runs, alternated; their medians are compared
  std::vector<std::string> metrics_args;  // extra flags for the metrics service (--metrics_args, ';'-separated)
};

// Thrown rather than exit(): unwinding stops the broker, the metrics process
// and the PostgreSQL cluster this benchmark started (as the harness does).
[[noreturn]] void Die(const std::string& what) { throw std::runtime_error(what); }

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

double DirMiB(const std::string& path) {
  std::error_code ec;
  uintmax_t total = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(path, ec)) {
    if (f.is_regular_file(ec)) total += f.file_size(ec);
  }
  return static_cast<double>(total) / (1 << 20);
}

double Metric(int port, const std::string& sample) {
  auto text = cs::testing::HttpGet(port, "/metrics");
  return text ? cs::testing::MetricValue(*text, sample).value_or(0) : -1;
}

// (b): read the whole topic with a bare consumer. Configured as the
// metrics service's consumer: without the Kafka headers, with its
// queued.min.messages and fetch.wait.max.ms; with the headers copied, as (b) was measured before
// the service stopped copying them.
struct BareRate {
  double from_assignment = 0;     // timed as (a) is: from the assignment (fetch warm-up included)
  double from_first_message = 0;  // from the first message polled (as (b) was timed until 2026-12-02)
};

BareRate BareConsume(const std::string& bootstrap, int64_t total, bool copy_headers, const char* label) {
  cs::kafka::ConsumerOptions co;
  co.client.bootstrap_servers = bootstrap;
  co.group_id = copy_headers ? "bench-bare-headers" : "bench-bare";
  co.topics = {kTopic};
  co.read_whole_topics = true;
  co.copy_headers = copy_headers;
  cs::metrics_service::TuneMetricsConsumer(co);  // configured as the service's consumer
  auto consumer = cs::kafka::Consumer::Create(co);
  if (!consumer.ok()) Die(consumer.status().ToString());
  const absl::Time assigned = absl::Now();  // read_whole_topics assigns in Create
  int64_t got = 0, bytes = 0;
  absl::Time first;
  const absl::Time deadline = absl::Now() + absl::Minutes(5);
  while (got < total && absl::Now() < deadline) {
    auto batch = (*consumer)->Poll(50'000, absl::Milliseconds(200));
    if (!batch.ok()) Die(batch.status().ToString());
    if (got == 0 && !batch->empty()) first = absl::Now();
    got += static_cast<int64_t>(batch->size());
    for (const auto& m : *batch) bytes += static_cast<int64_t>(m.value.size());
  }
  const absl::Time done = absl::Now();
  BareRate rate;
  rate.from_assignment = static_cast<double>(got) / Seconds(done - assigned);
  rate.from_first_message = static_cast<double>(got) / Seconds(done - first);
  std::printf("%s %8.0f events/s from assignment, %8.0f from the first message  (%lld events, %.1f MiB of values, %.2f s)\n",
              label, rate.from_assignment, rate.from_first_message, static_cast<long long>(got),
              static_cast<double>(bytes) / (1 << 20), Seconds(done - assigned));
  std::fflush(stdout);
  return rate;
}

// BareConsume in a fresh process (this binary with --bare_consume), as the
// service runs: this process's heap is already faulted in (it built the
// stream), a fresh one pays the first touch of librdkafka's prefetch
// buffers like the service does.
BareRate BareConsumeFresh(const std::string& dir, const std::string& bootstrap, int64_t total, int run) {
  const std::string self = std::filesystem::canonical("/proc/self/exe").string();
  cs::testing::Process child("bare-" + std::to_string(run), self,
                             {"--bare_consume=" + bootstrap, "--bare_total=" + std::to_string(total)}, dir);
  if (child.Wait(absl::Minutes(6)) != 0) Die("bare consumer process failed: " + child.Stderr());
  const std::string out = child.Stdout();
  const size_t rates = out.find("rates ");
  BareRate rate;
  if (rates == std::string::npos ||
      std::sscanf(out.c_str() + rates, "rates %lf %lf", &rate.from_assignment, &rate.from_first_message) != 2) {
    Die("bare consumer process printed no rates: " + out);
  }
  std::printf("%s", out.substr(0, rates).c_str());
  return rate;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// (a): the metrics binary replays the topic, in a fresh process on an empty
// state directory of its own (and its own consumer group), timed from the
// partition assignment (the "resuming partition" log line) to the last
// event committed: fetch warm-up included, group join not. The service is
// left running.
struct ReplayRun {
  std::string dir;
  cs::testing::Service svc;
  double rate = 0;     // events/s
  double per_cpu = 0;  // events per CPU-second of the metrics process
};

ReplayRun Replay(const std::string& parent, const std::string& bootstrap, int64_t total, const Config& c, int run) {
  ReplayRun r;
  r.dir = parent + "/replay-" + std::to_string(run);
  std::filesystem::create_directories(r.dir);
  std::vector<std::string> args = {
      "--dedup_retention_days=" + std::to_string(c.months * 31 + 90), "--session_timeout_ms=6000",
      "--benchmark_cache_ttl=60s", "--apply_threads=" + std::to_string(c.apply_threads),
      "--group_id=bench-metrics-" + std::to_string(run),
      std::string("--log_level=") + (c.service_log ? "debug" : "info")};
  args.insert(args.end(), c.metrics_args.begin(), c.metrics_args.end());
  r.svc = cs::testing::StartService("metrics", "metrics", bootstrap, r.dir, args);
  cs::testing::Service& svc = r.svc;
  const std::string consumed = "coachstream_metrics_events_consumed_total";
  absl::Time assigned = absl::InfinitePast();
  absl::Time history_done = absl::InfinitePast();
  const int64_t history = total - c.events;  // directory + one event per rep and month
  double cpu_assigned = 0;
  const absl::Time deadline = absl::Now() + absl::Minutes(10);
  while (absl::Now() < deadline) {
    if (assigned == absl::InfinitePast() && svc.process->Stderr().find("resuming partition") != std::string::npos) {
      assigned = absl::Now();
      cpu_assigned = ProcessCpuSeconds(svc.process->pid());
    }
    const double n = Metric(svc.metrics_port, consumed);
    if (assigned == absl::InfinitePast() && n > 0) {  // the log line was missed: first batch instead
      assigned = absl::Now();
      cpu_assigned = ProcessCpuSeconds(svc.process->pid());
    }
    if (history_done == absl::InfinitePast() && n >= static_cast<double>(history)) history_done = absl::Now();
    if (n >= static_cast<double>(total)) break;
    // Each poll renders the service's /metrics page on the 2 cores it is
    // measured on: 20 ms costs <0.5% of a ~4 s replay in resolution.
    absl::SleepFor(absl::Milliseconds(20));
  }
  if (assigned == absl::InfinitePast()) Die("metrics never logged its assignment");
  const double replay_s = Seconds(absl::Now() - assigned);
  const double cpu_s = ProcessCpuSeconds(svc.process->pid()) - cpu_assigned;
  r.rate = static_cast<double>(total) / replay_s;
  r.per_cpu = static_cast<double>(total) / cpu_s;
  std::printf("    metrics replay %d     %8.0f events/s  (%lld events in %.2f s from assignment; %.0f events per "
              "CPU-second; %d apply threads)\n",
              run, r.rate, static_cast<long long>(total), replay_s, r.per_cpu, c.apply_threads);
  std::printf("        history (%lld events, each a cold key) %.0f events/s; recent (%lld events) %.0f events/s\n",
              static_cast<long long>(history), static_cast<double>(history) / Seconds(history_done - assigned),
              static_cast<long long>(c.events), static_cast<double>(c.events) / Seconds(absl::Now() - history_done));
  if (c.service_log) std::fprintf(stderr, "%s\n", svc.process->Stderr().c_str());
  const double batches = Metric(svc.metrics_port, "coachstream_metrics_batches_committed_total");
  std::printf("        %.0f RocksDB batches, %.0f events per batch on average; %.2f s of apply + RocksDB write "
              "(a batch's write overlaps the next batch); RSS %.0f MiB\n",
              batches, static_cast<double>(total) / std::max(1.0, batches),
              Metric(svc.metrics_port, "coachstream_metrics_batch_duration_seconds_sum"),
              ProcessMemMiB(svc.process->pid(), "VmRSS"));
  std::fflush(stdout);
  return r;
}

std::string Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return "n/a";
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return absl::StrCat(static_cast<int>(v[i] * 1e6), " us");
}

// (d): GetTeamDrivers for manager mgr-0 (12 reps) from `clients` threads.
void TeamLatency(int port, const Config& c, const std::string& period) {
  {  // the first request of each team computes (and caches) its peer benchmarks
    auto stub = coachstream::v1::MetricsService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
    for (int t = 0; t < 3; ++t) {
      grpc::ClientContext ctx;
      coachstream::v1::GetTeamDriversRequest req;
      req.set_tenant_id(kTenant);
      req.set_manager_id(ManagerId(t));
      req.set_period(period);
      coachstream::v1::GetTeamDriversResponse resp;
      const absl::Time t0 = absl::Now();
      grpc::Status st = stub->GetTeamDrivers(&ctx, req, &resp);
      std::printf("    GetTeamDrivers %s cold: %.0f ms (%s)\n", ManagerId(t).c_str(), Seconds(absl::Now() - t0) * 1e3,
                  st.ok() ? "ok" : st.error_message().c_str());
    }
  }
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> lat(static_cast<size_t>(c.clients));
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  const absl::Time start = absl::Now();
  for (int t = 0; t < c.clients; ++t) {
    threads.emplace_back([&, t] {
      auto stub = coachstream::v1::MetricsService::NewStub(
          grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
      coachstream::v1::GetTeamDriversRequest req;
      req.set_tenant_id(kTenant);
      req.set_manager_id(ManagerId(t % 3));  // three teams of 12
      req.set_period(period);
      while (!stop.load()) {
        grpc::ClientContext ctx;
        coachstream::v1::GetTeamDriversResponse resp;
        const auto t0 = std::chrono::steady_clock::now();
        grpc::Status st = stub->GetTeamDrivers(&ctx, req, &resp);
        const auto t1 = std::chrono::steady_clock::now();
        if (!st.ok() || resp.reps_size() != 12) ++errors;
        lat[static_cast<size_t>(t)].push_back(std::chrono::duration<double>(t1 - t0).count());
      }
    });
  }
  absl::SleepFor(absl::Seconds(c.seconds));
  stop = true;
  for (auto& th : threads) th.join();
  const double elapsed = Seconds(absl::Now() - start);
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  const size_t n = all.size();
  std::printf("(d) GetTeamDrivers 12 reps, %d clients: p50 %s, p99 %s, %.0f req/s (%zu requests, %d errors)\n",
              c.clients, Percentile(all, 0.50).c_str(), Percentile(all, 0.99).c_str(),
              static_cast<double>(n) / elapsed, n, errors.load());
}

// ---- (c) PostgreSQL ------------------------------------------------------

std::string Run(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  if (pclose(p) != 0) Die("command failed: " + cmd + "\n" + out);
  return out;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// A throwaway PostgreSQL cluster; stopped and removed on destruction.
class PgCluster {
 public:
  // The cluster lives in dir/name.
  PgCluster(const std::string& dir, const std::string& name) : dir_(dir + "/" + name), port_(FreePort()) {
    const std::string bin = "/usr/lib/postgresql/15/bin/";
    std::filesystem::create_directories(dir_);
    if (geteuid() == 0) {  // postgres refuses root: run as the postgres user
      Run("chown postgres " + dir_ + " && chmod 755 " + dir);
      as_ = "runuser -u postgres -- ";
    }
    Run(as_ + bin + "initdb -D " + dir_ + "/data -A trust -U postgres --no-sync > /dev/null");
    Run(as_ + bin + "pg_ctl -D " + dir_ + "/data -l " + dir_ + "/log -w -o \"-p " + std::to_string(port_) +
        " -k " + dir_ + " -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c shared_buffers=512MB"
        " -c max_wal_size=4GB -c checkpoint_timeout=30min\" start > /dev/null");
    started_ = true;
  }
  ~PgCluster() {
    if (started_) {
      std::system((as_ + "/usr/lib/postgresql/15/bin/pg_ctl -D " + dir_ + "/data -m fast stop > /dev/null 2>&1").c_str());
    }
  }
  std::string conninfo() const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=postgres";
  }

 private:
  std::string dir_;
  int port_;
  std::string as_;
  bool started_ = false;
};

void Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) Die(sql.substr(0, 80) + ": " + PQerrorMessage(c));
  PQclear(r);
}

// A PostgreSQL array literal of strings.
std::string TextArray(const std::vector<std::string>& v) {
  std::string out = "{";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char ch : v[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

template <typename T>
std::string NumArray(const std::vector<T>& v) {
  std::string out = "{";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    out += absl::StrCat(v[i]);
  }
  return out + "}";
}

// Per (rep, period) additive parts: the subset of drivers the core keeps
// that SQL can maintain with plain sums.
struct Agg {
  int64_t calls_made = 0, calls_connected = 0, talk_n = 0, mono_sum = 0, mono_n = 0, next_n = 0, next_known = 0;
  double talk_sum = 0;
  int64_t meetings_booked = 0, meetings_held = 0, coaching_minutes = 0, sessions_micro = 0;
  int64_t stage_advanced = 0, deals_won = 0, won_amount = 0, deals_lost = 0;
};

using AggKey = std::pair<std::string, std::string>;  // (rep, period)

// Where the per-(rep, period) sums are computed.
enum class PgAggregation {
  // PostgreSQL: each event's increments are upserted as they are (one row
  // per event and period, `SET x = rep_period.x + EXCLUDED.x`). A statement
  // may touch a row only once, so a batch's rows go in rounds: round k
  // holds the k-th increment of every key, one multi-row upsert per round.
  kDatabase,
  // The client: increments are merged per (rep, period) for the whole batch
  // first, then one upsert row per key (what the metrics service does in
  // its own memory).
  kClient,
};

struct DealRow {
  std::string owner;
  int stage = 0;
  int64_t version = 0;
  int64_t amount = 0;
  bool dirty = false;
};

class PgBaseline {
 public:
  PgBaseline(PGconn* c, PgAggregation aggregation) : c_(c), aggregation_(aggregation) {}

  void Schema() {
    Exec(c_, R"(CREATE TABLE seen (event_id text PRIMARY KEY);
      CREATE TABLE deals (deal_id text PRIMARY KEY, owner text, stage int, version bigint, amount bigint);
      CREATE TABLE people (person_id text PRIMARY KEY, manager_id text, role int, updated_at bigint);
      CREATE TABLE offsets (topic text, part int, next_offset bigint, PRIMARY KEY (topic, part));
      CREATE TABLE rep_period (rep text, period text,
        calls_made bigint, calls_connected bigint, talk_sum float8, talk_n bigint, mono_sum bigint, mono_n bigint,
        next_n bigint, next_known bigint, meetings_booked bigint, meetings_held bigint, coaching_minutes bigint,
        sessions_micro bigint, stage_advanced bigint, deals_won bigint, won_amount bigint, deals_lost bigint,
        PRIMARY KEY (rep, period));)");
  }

  // One batch, one transaction: dedup, deal states read once and written
  // once, aggregate upserts (see PgAggregation), people, offsets.
  void Batch(const std::vector<cs::kafka::Message>& batch) {
    std::vector<Event> events(batch.size());
    std::vector<std::string> ids;
    for (size_t i = 0; i < batch.size(); ++i) {
      events[i].ParseFromString(batch[i].value);
      if (!events[i].has_person()) ids.push_back(events[i].event_id());
    }
    Exec(c_, "BEGIN");
    std::set<std::string> fresh = InsertSeen(ids);
    std::map<std::string, DealRow> deals = LoadDeals(events);
    std::vector<std::pair<AggKey, Agg>> increments;  // in event order
    std::vector<std::string> person_ids, managers;
    std::vector<int> roles;
    std::vector<int64_t> updated;
    for (const Event& e : events) {
      if (e.has_person()) {
        person_ids.push_back(e.person().person().person_id());
        managers.push_back(e.person().person().manager_id());
        roles.push_back(e.person().person().role());
        updated.push_back(e.person().person().updated_at().seconds());
        continue;
      }
      if (!fresh.count(e.event_id())) continue;
      Apply(e, &deals, &increments);
    }
    if (aggregation_ == PgAggregation::kClient) {
      std::map<AggKey, Agg> merged;
      for (const auto& [key, inc] : increments) Add(inc, &merged[key]);
      WriteAggs(std::vector<std::pair<AggKey, Agg>>(merged.begin(), merged.end()));
    } else {
      // Round k: the k-th increment of each key, so no statement touches a row twice.
      std::map<AggKey, size_t> seen;
      std::vector<std::vector<std::pair<AggKey, Agg>>> rounds;
      for (auto& [key, inc] : increments) {
        const size_t round = seen[key]++;
        if (round == rounds.size()) rounds.emplace_back();
        rounds[round].emplace_back(std::move(key), inc);
      }
      for (const auto& round : rounds) WriteAggs(round);
    }
    WriteDeals(deals);
    if (!person_ids.empty()) {
      Exec(c_, absl::StrCat("INSERT INTO people SELECT * FROM unnest('", TextArray(person_ids), "'::text[], '",
                            TextArray(managers), "'::text[], '", NumArray(roles), "'::int[], '", NumArray(updated),
                            "'::bigint[]) ON CONFLICT (person_id) DO UPDATE SET manager_id = EXCLUDED.manager_id, "
                            "role = EXCLUDED.role, updated_at = EXCLUDED.updated_at "
                            "WHERE people.updated_at < EXCLUDED.updated_at"));
    }
    std::vector<int> parts;
    std::vector<int64_t> next;
    for (const auto& tp : cs::kafka::NextOffsets(batch)) {
      parts.push_back(tp.partition);
      next.push_back(tp.offset);
    }
    Exec(c_, absl::StrCat("INSERT INTO offsets SELECT '", kTopic, "', * FROM unnest('", NumArray(parts), "'::int[], '",
                          NumArray(next), "'::bigint[]) ON CONFLICT (topic, part) DO UPDATE SET next_offset = "
                          "EXCLUDED.next_offset"));
    Exec(c_, "COMMIT");
  }

 private:
  std::set<std::string> InsertSeen(const std::vector<std::string>& ids) {
    std::set<std::string> fresh;
    if (ids.empty()) return fresh;
    const std::string sql = "INSERT INTO seen SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING event_id";
    const std::string arr = TextArray(ids);
    const char* params[] = {arr.c_str()};
    PGresult* r = PQexecParams(c_, sql.c_str(), 1, nullptr, params, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(std::string("seen: ") + PQerrorMessage(c_));
    for (int i = 0; i < PQntuples(r); ++i) fresh.insert(PQgetvalue(r, i, 0));
    PQclear(r);
    return fresh;
  }

  std::map<std::string, DealRow> LoadDeals(const std::vector<Event>& events) {
    std::set<std::string> wanted;
    for (const Event& e : events) {
      if (e.has_deal()) wanted.insert(e.deal().deal_id());
    }
    std::map<std::string, DealRow> out;
    if (wanted.empty()) return out;
    const std::string arr = TextArray(std::vector<std::string>(wanted.begin(), wanted.end()));
    const char* params[] = {arr.c_str()};
    PGresult* r = PQexecParams(c_, "SELECT deal_id, owner, stage, version, amount FROM deals WHERE deal_id = ANY($1::text[])",
                               1, nullptr, params, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(std::string("deals: ") + PQerrorMessage(c_));
    for (int i = 0; i < PQntuples(r); ++i) {
      DealRow& d = out[PQgetvalue(r, i, 0)];
      d.owner = PQgetvalue(r, i, 1);
      d.stage = std::atoi(PQgetvalue(r, i, 2));
      d.version = std::atoll(PQgetvalue(r, i, 3));
      d.amount = std::atoll(PQgetvalue(r, i, 4));
    }
    PQclear(r);
    return out;
  }

  static std::vector<std::string> PeriodsOf(int64_t t) {  // UTC month and ISO week
    const absl::Time at = absl::FromUnixSeconds(t);
    return {absl::FormatTime("%Y-%m", at, absl::UTCTimeZone()), absl::FormatTime("%G-W%V", at, absl::UTCTimeZone())};
  }

  static void Add(const Agg& a, Agg* to) {
    to->calls_made += a.calls_made, to->calls_connected += a.calls_connected, to->talk_sum += a.talk_sum;
    to->talk_n += a.talk_n, to->mono_sum += a.mono_sum, to->mono_n += a.mono_n, to->next_n += a.next_n;
    to->next_known += a.next_known, to->meetings_booked += a.meetings_booked, to->meetings_held += a.meetings_held;
    to->coaching_minutes += a.coaching_minutes, to->sessions_micro += a.sessions_micro;
    to->stage_advanced += a.stage_advanced, to->deals_won += a.deals_won, to->won_amount += a.won_amount;
    to->deals_lost += a.deals_lost;
  }

  // Appends the event's increments, one per period it counts in.
  void Apply(const Event& e, std::map<std::string, DealRow>* deals,
             std::vector<std::pair<AggKey, Agg>>* increments) {
    auto each = [&](int64_t t, const auto& fn) {
      for (const std::string& p : PeriodsOf(t)) {
        Agg inc;
        fn(inc);
        increments->emplace_back(AggKey{e.rep_id(), p}, inc);
      }
    };
    const int64_t t = e.occurred_at().seconds();
    if (e.has_call()) {
      const auto& c = e.call();
      each(t, [&](Agg& a) {
        a.calls_made += 1;
        a.calls_connected += c.connected();
        if (c.stats().has_talk_ratio()) a.talk_sum += c.stats().talk_ratio(), a.talk_n += 1;
        if (c.stats().has_longest_monologue_s()) a.mono_sum += c.stats().longest_monologue_s(), a.mono_n += 1;
        if (c.stats().has_has_next_step()) a.next_n += c.stats().has_next_step(), a.next_known += 1;
      });
    } else if (e.has_meeting()) {
      const auto& m = e.meeting();
      each(m.booked_at().seconds(), [&](Agg& a) { a.meetings_booked += 1; });
      each(m.start_at().seconds(), [&](Agg& a) {
        if (m.kind() == coachstream::v1::MEETING_KIND_CUSTOMER) a.meetings_held += 1;
        else a.coaching_minutes += (m.end_at().seconds() - m.start_at().seconds()) / 60;
      });
    } else if (e.has_coaching_session()) {
      each(t, [&](Agg& a) {
        a.coaching_minutes += e.coaching_session().duration_minutes();
        a.sessions_micro += 1;
      });
    } else if (e.has_deal()) {
      const auto& d = e.deal();
      DealRow& row = (*deals)[d.deal_id()];
      if (row.version >= d.source_version()) return;  // stale snapshot
      const int stage = d.stage();
      each(t, [&](Agg& a) {
        if (row.stage >= 1 && row.stage <= 5 && stage > row.stage && stage <= 6) a.stage_advanced += 1;
        if (stage == 6 && row.stage != 6) a.deals_won += 1, a.won_amount += d.amount().amount_minor();
        if (stage == 7 && row.stage != 7) a.deals_lost += 1;
      });
      row.owner = d.owner_id();
      row.stage = stage;
      row.version = d.source_version();
      row.amount = d.amount().amount_minor();
      row.dirty = true;
    }
  }

  // One multi-row upsert adding `aggs` (each key at most once) to rep_period.
  void WriteAggs(const std::vector<std::pair<AggKey, Agg>>& aggs) {
    if (aggs.empty()) return;
    std::vector<std::string> reps, periods;
    std::vector<int64_t> cm, cc, tn, ms, mn, nn, nk, mb, mh, mins, sm, sa, dw, wa, dl;
    std::vector<double> ts;
    for (const auto& [key, a] : aggs) {
      reps.push_back(key.first);
      periods.push_back(key.second);
      cm.push_back(a.calls_made), cc.push_back(a.calls_connected), ts.push_back(a.talk_sum), tn.push_back(a.talk_n);
      ms.push_back(a.mono_sum), mn.push_back(a.mono_n), nn.push_back(a.next_n), nk.push_back(a.next_known);
      mb.push_back(a.meetings_booked), mh.push_back(a.meetings_held), mins.push_back(a.coaching_minutes);
      sm.push_back(a.sessions_micro), sa.push_back(a.stage_advanced), dw.push_back(a.deals_won);
      wa.push_back(a.won_amount), dl.push_back(a.deals_lost);
    }
    std::string sql = absl::StrCat(
        "INSERT INTO rep_period SELECT * FROM unnest('", TextArray(reps), "'::text[], '", TextArray(periods),
        "'::text[], '", NumArray(cm), "'::bigint[], '", NumArray(cc), "'::bigint[], '", NumArray(ts),
        "'::float8[], '", NumArray(tn), "'::bigint[], '", NumArray(ms), "'::bigint[], '", NumArray(mn),
        "'::bigint[], '", NumArray(nn), "'::bigint[], '", NumArray(nk), "'::bigint[], '", NumArray(mb),
        "'::bigint[], '", NumArray(mh), "'::bigint[], '", NumArray(mins), "'::bigint[], '", NumArray(sm),
        "'::bigint[], '", NumArray(sa), "'::bigint[], '", NumArray(dw), "'::bigint[], '", NumArray(wa),
        "'::bigint[], '", NumArray(dl), "'::bigint[]) ON CONFLICT (rep, period) DO UPDATE SET ");
    const char* cols[] = {"calls_made", "calls_connected", "talk_sum", "talk_n", "mono_sum", "mono_n",
                          "next_n", "next_known", "meetings_booked", "meetings_held", "coaching_minutes",
                          "sessions_micro", "stage_advanced", "deals_won", "won_amount", "deals_lost"};
    for (size_t i = 0; i < std::size(cols); ++i) {
      absl::StrAppend(&sql, i ? ", " : "", cols[i], " = rep_period.", cols[i], " + EXCLUDED.", cols[i]);
    }
    Exec(c_, sql);
  }

  void WriteDeals(const std::map<std::string, DealRow>& deals) {
    std::vector<std::string> ids, owners;
    std::vector<int> stages;
    std::vector<int64_t> versions, amounts;
    for (const auto& [id, d] : deals) {
      if (!d.dirty) continue;
      ids.push_back(id), owners.push_back(d.owner), stages.push_back(d.stage);
      versions.push_back(d.version), amounts.push_back(d.amount);
    }
    if (ids.empty()) return;
    Exec(c_, absl::StrCat("INSERT INTO deals SELECT * FROM unnest('", TextArray(ids), "'::text[], '",
                          TextArray(owners), "'::text[], '", NumArray(stages), "'::int[], '", NumArray(versions),
                          "'::bigint[], '", NumArray(amounts), "'::bigint[]) ON CONFLICT (deal_id) DO UPDATE SET "
                          "owner = EXCLUDED.owner, stage = EXCLUDED.stage, version = EXCLUDED.version, "
                          "amount = EXCLUDED.amount"));
  }

  PGconn* c_;
  PgAggregation aggregation_;
};

// (c): consume the same topic and maintain the aggregates in a fresh
// PostgreSQL cluster. Returns events/s, and the team's calls_made for
// `month` in *team_calls.
double PostgresBaseline(const std::string& dir, const std::string& bootstrap, int64_t total, const Config& c,
                        PgAggregation aggregation, const std::string& month, int run, int64_t* team_calls,
                        double* per_cpu) {
  const bool in_db = aggregation == PgAggregation::kDatabase;
  PgCluster cluster(dir, (in_db ? "pg-db-" : "pg-client-") + std::to_string(run));
  PGconn* conn = PQconnectdb(cluster.conninfo().c_str());
  if (PQstatus(conn) != CONNECTION_OK) Die(std::string("postgres: ") + PQerrorMessage(conn));
  PgBaseline pg(conn, aggregation);
  pg.Schema();
  cs::kafka::ConsumerOptions co;
  co.client.bootstrap_servers = bootstrap;
  co.group_id = in_db ? "bench-pg-db" : "bench-pg-client";
  co.topics = {kTopic};
  co.read_whole_topics = true;
  co.copy_headers = false;  // as the metrics service
  cs::metrics_service::TuneMetricsConsumer(co);
  auto consumer = cs::kafka::Consumer::Create(co);
  if (!consumer.ok()) Die(consumer.status().ToString());
  int64_t got = 0;
  std::vector<cs::kafka::Message> batch;
  absl::Time first;
  const double cpu0 = ProcessCpuSeconds(getpid());
  const pid_t backend = PQbackendPID(conn);
  const double backend_cpu0 = ProcessCpuSeconds(backend);
  while (got < total) {
    auto polled = (*consumer)->Poll(static_cast<size_t>(c.pg_batch) - batch.size(), absl::Milliseconds(200));
    if (!polled.ok()) Die(polled.status().ToString());
    if (got == 0 && batch.empty() && !polled->empty()) first = absl::Now();
    for (auto& m : *polled) batch.push_back(std::move(m));
    if (batch.size() >= static_cast<size_t>(c.pg_batch) || got + static_cast<int64_t>(batch.size()) >= total) {
      pg.Batch(batch);
      got += static_cast<int64_t>(batch.size());
      batch.clear();
    }
  }
  const double s = Seconds(absl::Now() - first);
  const double client_cpu = ProcessCpuSeconds(getpid()) - cpu0;
  const double backend_cpu = ProcessCpuSeconds(backend) - backend_cpu0;
  *per_cpu = static_cast<double>(got) / (client_cpu + backend_cpu);
  PGresult* r = PQexec(conn, ("SELECT coalesce(sum(calls_made), 0) FROM rep_period WHERE period = '" + month +
                              "' AND rep IN (SELECT person_id FROM people WHERE manager_id = 'mgr-0')").c_str());
  *team_calls = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoll(PQgetvalue(r, 0, 0)) : -1;
  PQclear(r);
  PQfinish(conn);
  std::printf("%s %8.0f events/s  (batches of %d, one transaction each; %.2f s; "
              "%.0f events per CPU-second of backend %.1f s + client %.1f s)\n",
              in_db ? "(c) PostgreSQL 15, sums by PostgreSQL (per-event upserts)"
                    : "(c') PostgreSQL 15, sums merged per batch in the client   ",
              static_cast<double>(got) / s, c.pg_batch, s, *per_cpu, backend_cpu, client_cpu);
  return static_cast<double>(got) / s;
}

}  // namespace

int Main(int argc, char** argv) {
  if (const char* bootstrap = cs::bench::FlagText(argc, argv, "--bare_consume")) {  // see BareConsumeFresh
    const double cpu_start = ProcessCpuSeconds(getpid());
    const BareRate rate = BareConsume(bootstrap, Flag(argc, argv, "--bare_total", 0), false,
                                      "    bare consumer, fresh process");
    // What the ceiling itself costs, to set beside (a)'s CPU and RSS.
    std::printf("        %.2f CPU-seconds for the read, peak RSS %.0f MiB\n", ProcessCpuSeconds(getpid()) - cpu_start,
                ProcessMemMiB(getpid(), "VmHWM"));
    std::printf("rates %.3f %.3f\n", rate.from_assignment, rate.from_first_message);
    return 0;
  }
  Config c;
  c.events = Flag(argc, argv, "--events", c.events);
  c.recent_days = static_cast<int>(Flag(argc, argv, "--recent_days", c.recent_days));
  c.reps = static_cast<int>(Flag(argc, argv, "--reps", c.reps));
  c.months = static_cast<int>(Flag(argc, argv, "--months", c.months));
  c.partitions = static_cast<int>(Flag(argc, argv, "--partitions", c.partitions));
  c.clients = static_cast<int>(Flag(argc, argv, "--clients", c.clients));
  c.seconds = static_cast<int>(Flag(argc, argv, "--seconds", c.seconds));
  c.pg_batch = static_cast<int>(Flag(argc, argv, "--pg_batch", c.pg_batch));
  c.pg = Flag(argc, argv, "--pg", 1) != 0;
  c.service_log = Flag(argc, argv, "--service_log", 0) != 0;
  c.apply_threads = static_cast<int>(Flag(argc, argv, "--apply_threads", c.apply_threads));
  c.replays = static_cast<int>(Flag(argc, argv, "--replays", c.replays));
  if (const char* extra = cs::bench::FlagText(argc, argv, "--metrics_args")) {
    for (absl::string_view a : absl::StrSplit(extra, ';', absl::SkipEmpty())) {
      c.metrics_args.emplace_back(a.data(), a.size());
    }
  }
  if (c.replays < 1) Die("need --replays >= 1");
  if (c.reps < 36 || c.months < 1 || c.events < 0 || c.recent_days < 1) {
    Die("need --reps >= 36, --months >= 1, --events >= 0, --recent_days >= 1");
  }
  if (std::getenv("CS_BIN_DIR") == nullptr) {
    setenv("CS_BIN_DIR", std::filesystem::canonical("/proc/self/exe").parent_path().c_str(), 1);
  }

  cs::testing::TempDir dir;
  cs::testing::Broker broker =
      cs::testing::StartBroker(dir.path(), absl::StrCat(kTopic, ":", c.partitions));
  const absl::CivilMonth now(absl::ToCivilSecond(absl::Now(), absl::UTCTimeZone()));
  const absl::CivilMonth first_month = now - c.months - 1;
  const std::string team_month = absl::FormatCivilTime(now - 2);

  const std::vector<Event> events =
      cs::bench::MakeStream({c.events, c.recent_days, c.reps, c.months}, first_month);
  const int64_t total = static_cast<int64_t>(events.size());
  {
    cs::kafka::ProducerOptions po;
    po.client.bootstrap_servers = broker.bootstrap;
    po.linger_ms = 20;
    auto producer = cs::kafka::Producer::Create(po);
    if (!producer.ok()) Die(producer.status().ToString());
    cs::kafka::DeliveryBatch delivery;
    const absl::Time t0 = absl::Now();
    for (const Event& e : events) {
      cs::kafka::OutRecord r;
      r.topic = kTopic;
      r.key = e.tenant_id() + "/" + e.rep_id();
      r.value = e.SerializeAsString();
      r.headers = {{"ce_type", "io.coachstream.event.v1"}, {"ce_id", e.event_id()}};
      if (auto s = (*producer)->Produce(r, &delivery); !s.ok()) Die(s.ToString());
    }
    if (auto s = (*producer)->Await(delivery, absl::Minutes(5)); !s.ok()) Die(s.ToString());
    std::printf("pre-filled %s with %lld events (%d reps in teams of 12: directory, %d months x 1 event per rep, "
                "%lld over the last %d days; %d partitions) in %.1f s\n",
                kTopic, static_cast<long long>(total), c.reps, c.months, static_cast<long long>(c.events),
                c.recent_days, c.partitions, Seconds(absl::Now() - t0));
  }

  // (b) and (a) alternately, --replays times each, every run in a fresh
  // process (a fresh metrics process on an empty state directory for (a)):
  // both sides are medians taken over the same stretch of time, so a slow
  // or fast spell of this VM moves both. Then (b) once in this process, as
  // it was measured before.
  std::vector<double> fresh;
  std::vector<ReplayRun> replays;
  for (int run = 1; run <= c.replays; ++run) {
    fresh.push_back(BareConsumeFresh(dir.path(), broker.bootstrap, total, run).from_assignment);
    if (!replays.empty()) replays.back().svc.process->Stop(SIGTERM, absl::Seconds(30));
    replays.push_back(Replay(dir.path(), broker.bootstrap, total, c, run));
    std::printf("    pair %d: (a)/(b) = %.2f\n", run, replays.back().rate / fresh.back());
  }
  const double bare = Median(fresh);
  std::vector<double> rates;
  for (const ReplayRun& r : replays) rates.push_back(r.rate);
  const double metrics_rate = Median(rates);
  std::printf("(b) bare consumer      %8.0f events/s  (median of %d fresh processes, from assignment)\n", bare,
              c.replays);
  std::printf("(a) metrics replay     %8.0f events/s  (median of %d replays, from assignment)\n", metrics_rate,
              c.replays);
  const BareRate warm = BareConsume(broker.bootstrap, total, false, "    bare, this process  ");
  (void)BareConsume(broker.bootstrap, total, true, "    bare, headers copied");
  std::printf("    ratio (a)/(b) = %.2f of the bare consume rate, medians (against this process's bare run timed from "
              "its first message, as measured until 2026-12-02: %.2f)\n",
              metrics_rate / bare, metrics_rate / warm.from_first_message);
  std::vector<double> per_cpu;
  for (const ReplayRun& r : replays) per_cpu.push_back(r.per_cpu);
  const double metrics_per_cpu = Median(per_cpu);
  cs::testing::Service& svc = replays.back().svc;  // the last replay's service serves (e) and (d)

  // (e) memory with the whole window of state.
  const pid_t pid = svc.process->pid();
  std::printf("(e) metrics RSS %.0f MiB (peak %.0f MiB) holding %d reps x %d months; state on disk %.0f MiB\n",
              ProcessMemMiB(pid, "VmRSS"), ProcessMemMiB(pid, "VmHWM"), c.reps, c.months,
              DirMiB(replays.back().dir + "/state"));

  // (d) query latency.
  TeamLatency(svc.grpc_port, c, team_month);
  int64_t metrics_team_calls = -1;
  {
    auto stub = coachstream::v1::MetricsService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(svc.grpc_port), grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    coachstream::v1::GetTeamDriversRequest req;
    req.set_tenant_id(kTenant);
    req.set_manager_id(ManagerId(0));
    req.set_period(team_month);
    coachstream::v1::GetTeamDriversResponse resp;
    if (stub->GetTeamDrivers(&ctx, req, &resp).ok()) {
      for (const auto& d : resp.rollup()) {
        if (d.driver() == "calls_made") metrics_team_calls = static_cast<int64_t>(d.value());
      }
    }
  }
  svc.process->Stop(SIGTERM, absl::Seconds(30));

  if (c.pg) {
    // (c) is the baseline the issue asks for: PostgreSQL computes the sums;
    // --replays runs, each on a fresh cluster, compared by their median.
    // (c') merges them in the client first, as the metrics service does
    // (one run).
    for (PgAggregation aggregation : {PgAggregation::kDatabase, PgAggregation::kClient}) {
      const bool in_db = aggregation == PgAggregation::kDatabase;
      std::vector<double> pg_rates, pg_per_cpus;
      int64_t pg_team_calls = -1;
      for (int run = 1; run <= (in_db ? c.replays : 1); ++run) {
        double pg_per_cpu = 0;
        pg_rates.push_back(PostgresBaseline(dir.path(), broker.bootstrap, total, c, aggregation, team_month, run,
                                            &pg_team_calls, &pg_per_cpu));
        pg_per_cpus.push_back(pg_per_cpu);
      }
      const double pg = Median(pg_rates);
      std::printf("    ratio (a)/(%s) = %.1fx PostgreSQL wall-clock, %.1fx per CPU-second%s\n", in_db ? "c" : "c'",
                  metrics_rate / pg, metrics_per_cpu / Median(pg_per_cpus),
                  pg_rates.size() > 1 ? " (medians)" : "");
      std::printf("    check: mgr-0's team calls_made in %s: metrics %lld, PostgreSQL %lld\n", team_month.c_str(),
                  static_cast<long long>(metrics_team_calls), static_cast<long long>(pg_team_calls));
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_metrics: %s\n", e.what());
    return 1;
  }
}
