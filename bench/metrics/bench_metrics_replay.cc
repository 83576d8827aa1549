// In-process replay of the metrics service's write path, without a broker:
// the bench_metrics stream, pre-serialised as consumed records, goes through
// the service's own MetricsSink (decode + MetricsCore::ApplyBatch), Stage and one
// RocksDB write per batch with the offsets, as EventConsumer does.
//
//   bench_metrics_replay [--events=600000] [--recent_days=7] [--reps=10000] [--months=24]
//                        [--batch=100000] [--sorted_batches=1] [--apply_threads=1]
//                        [--max_cached_entries=2000000]
//
// Prints thread CPU time per phase (apply, stage, write) for the history
// and the recent part of the stream. Thread CPU time moves less with other
// load than wall time does, but on the development VM still ±15% between
// runs (page faults and cache misses cost more when the host is busy): for
// A/B changes to the write path alternate the two binaries over several
// runs. bench_metrics is the end-to-end benchmark.
// With --apply_threads > 1 the apply phase also runs on helper threads,
// whose time is not in the thread CPU figure: compare "apply wall" and the
// whole-process figures then.

#include <sys/resource.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "absl/time/clock.h"
#include "bench/bench_util.h"
#include "bench/metrics/stream.h"
#include "libs/base/clock.h"
#include "libs/kafka/kafka.h"
#include "libs/kv/store.h"
#include "services/metrics/adapters/event_consumer.h"
#include "services/metrics/adapters/metrics_sink.h"
#include "services/metrics/adapters/rocks_state.h"
#include "services/metrics/core/metrics_core.h"

namespace {

using cs::bench::Flag;

int64_t MinorFaults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

double CpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct PhaseTimes {
  double apply = 0, apply_wall = 0, stage = 0, write = 0, process = 0, wall = 0;
  int64_t events = 0, keys = 0, faults = 0;

  void Print(const char* name) const {
    const double thread = apply + stage + write;
    std::printf("%-8s %8lld events: %7.0f events per thread CPU-second (apply %.2f s, %.2f s wall, stage %.2f s, "
                "RocksDB write %.2f s; %.1f keys per event); whole process %.0f events per CPU-second, "
                "%.0f events/s wall, %.0f page faults per 1000 events\n",
                name, static_cast<long long>(events), static_cast<double>(events) / thread, apply, apply_wall, stage,
                write, static_cast<double>(keys) / static_cast<double>(events),
                static_cast<double>(events) / process, static_cast<double>(events) / wall,
                1000.0 * static_cast<double>(faults) / static_cast<double>(events));
  }
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "bench_metrics_replay: %s\n", what.c_str());
  std::exit(1);
}

int Main(int argc, char** argv) {
  cs::bench::StreamConfig sc;
  sc.events = Flag(argc, argv, "--events", sc.events);
  sc.recent_days = static_cast<int>(Flag(argc, argv, "--recent_days", sc.recent_days));
  sc.reps = static_cast<int>(Flag(argc, argv, "--reps", sc.reps));
  sc.months = static_cast<int>(Flag(argc, argv, "--months", sc.months));
  const size_t batch_size = static_cast<size_t>(Flag(argc, argv, "--batch", 100'000));
  const int partitions = 48;

  const absl::CivilMonth now(absl::ToCivilSecond(absl::Now(), absl::UTCTimeZone()));
  const std::vector<coachstream::v1::Event> events = cs::bench::MakeStream(sc, now - sc.months - 1);
  std::vector<cs::kafka::Message> records(events.size());
  std::vector<int64_t> next_offset(partitions, 0);
  for (size_t i = 0; i < events.size(); ++i) {
    cs::kafka::Message& m = records[i];
    m.topic = cs::bench::kTopic;
    m.key = events[i].tenant_id() + "/" + events[i].rep_id();
    m.partition = static_cast<int32_t>(std::hash<std::string>()(m.key) % partitions);
    m.offset = next_offset[static_cast<size_t>(m.partition)]++;
    m.value = events[i].SerializeAsString();
  }
  const size_t history = events.size() - static_cast<size_t>(sc.events);

  char tmpl[] = "/tmp/bench-replay-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  const std::string dir = tmpl;
  {
    // As services/metrics/main.cc opens it.
    cs::kv::StoreOptions so;
    so.path = dir;
    so.column_families = {"state", "offsets"};
    so.sorted_batches = Flag(argc, argv, "--sorted_batches", 1) != 0;
    auto store = cs::kv::Store::Open(so);
    if (!store.ok()) Die(store.status().ToString());
    const int state_cf = (*store)->Cf("state");
    const int offsets_cf = (*store)->Cf("offsets");
    cs::metrics_service::RocksState state(**store, state_cf);
    cs::metrics::MetricsCoreOptions options;
    options.dedup_retention_days = sc.months * 31 + 90;  // as bench_metrics: the whole window is deduplicated
    options.apply_threads = static_cast<int>(Flag(argc, argv, "--apply_threads", 1));
    options.max_cached_entries = Flag(argc, argv, "--max_cached_entries", options.max_cached_entries);
    auto core = cs::metrics::MetricsCore::Create(options, state, cs::SystemClock::Get());
    if (!core.ok()) Die(core.status().ToString());
    prometheus::Registry registry;
    cs::metrics_service::MetricsSink sink(core->get(), state_cf, cs::SystemClock::Get(), registry);

    // --per_message=1: MetricsSink::Apply per record (the path before ApplyBatch), for A/B runs.
    const bool per_message = Flag(argc, argv, "--per_message", 0) != 0;
    PhaseTimes phases[2];
    cs::kv::Batch write(**store);
    for (size_t begin = 0; begin < records.size();) {
      const size_t limit = begin < history ? history : records.size();
      const size_t end = std::min(begin + batch_size, limit);
      PhaseTimes& p = phases[begin < history ? 0 : 1];
      const double wall0 = absl::ToUnixMicros(absl::Now()) * 1e-6;
      const double process0 = CpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
      const int64_t faults0 = MinorFaults();
      const double t0 = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
      std::vector<cs::kafka::Message> batch(records.begin() + static_cast<ptrdiff_t>(begin),
                                            records.begin() + static_cast<ptrdiff_t>(end));
      const double apply_wall0 = absl::ToUnixMicros(absl::Now()) * 1e-6;
      if (per_message) {
        for (const cs::kafka::Message& m : batch) {
          if (auto s = sink.Apply(m); !s.ok()) Die(s.ToString());
        }
      } else if (auto s = sink.ApplyBatch(batch, sink.Decode(batch)); !s.ok()) {
        Die(s.ToString());
      }
      p.apply_wall += absl::ToUnixMicros(absl::Now()) * 1e-6 - apply_wall0;
      const double t1 = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
      write.Clear();  // reused, as EventConsumer does: its buffer keeps its capacity
      if (auto s = sink.Stage(write); !s.ok()) Die(s.ToString());
      for (const auto& tp : cs::kafka::NextOffsets(batch)) {
        write.Put(offsets_cf, cs::metrics_service::EventConsumer::OffsetKey(tp.topic, tp.partition),
                  std::to_string(tp.offset));
      }
      const double t2 = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
      p.keys += static_cast<int64_t>(write.Count());
      if (auto s = (*store)->Write(write); !s.ok()) Die(s.ToString());
      sink.Committed();
      const double t3 = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
      p.apply += t1 - t0;
      p.stage += t2 - t1;
      p.write += t3 - t2;
      p.process += CpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - process0;
      p.faults += MinorFaults() - faults0;
      p.wall += absl::ToUnixMicros(absl::Now()) * 1e-6 - wall0;
      p.events += static_cast<int64_t>(end - begin);
      begin = end;
    }
    std::printf("replay of %zu events (%d reps, %d months of history, %lld recent events over %d days), "
                "batches of %zu, %d apply threads\n",
                records.size(), sc.reps, sc.months, static_cast<long long>(sc.events), sc.recent_days, batch_size,
                options.apply_threads);
    phases[0].Print("history");
    phases[1].Print("recent");
    PhaseTimes all;
    for (const PhaseTimes& p : phases) {
      all.apply += p.apply, all.apply_wall += p.apply_wall, all.stage += p.stage, all.write += p.write, all.process += p.process;
      all.wall += p.wall, all.events += p.events, all.keys += p.keys;
      all.faults += p.faults;
    }
    all.Print("all");
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Main(argc, argv); }
