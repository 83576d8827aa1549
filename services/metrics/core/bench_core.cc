// Micro-benchmark of the metrics core's ingestion path: Apply over a
// synthetic stream, then TakeMutations per batch, with the mutations
// written back into an in-memory store (std::map, like an LSM's sorted
// view) so that cold batches pay real reads, parses and serialisations.
//
//   metrics_core_bench [--events=N] [--reps=N] [--batch=N] [--cache=N] [--days=N]
//
// Prints events per CPU-second (thread CPU time, so other load on the
// machine does not skew it) and mutations per event.

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "coachstream/v1/event.pb.h"
#include "libs/base/clock.h"
#include "services/metrics/core/metrics_core.h"

namespace {

using coachstream::v1::Event;

class MapStore final : public cs::metrics::StateReader {
 public:
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const override {
    auto it = data_.find(key);
    if (it == data_.end()) return std::nullopt;
    return it->second;
  }
  // Like a rocksdb::WriteBatch: copies of the mutations, applied later.
  struct Batch {
    std::vector<std::pair<std::string, std::optional<std::string>>> ops;
  };
  void Write(Batch& batch) {
    for (auto& [key, value] : batch.ops) {
      if (value) {
        data_.insert_or_assign(std::move(key), std::move(*value));
      } else {
        data_.erase(key);
      }
    }
  }
  size_t size() const { return data_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> data_;
};

struct Config {
  int64_t events = 1'000'000;
  int reps = 10'000;
  int batch = 50'000;
  int64_t cache = 2'000'000;
  int days = 3;  // event-time span of the stream
};

// CPU time of this thread: robust against other load on the 2 shared cores.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int64_t Flag(int argc, char** argv, const char* name, int64_t fallback) {
  const size_t n = std::strlen(name);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') return std::atoll(argv[i] + n + 1);
  }
  return fallback;
}

// A stream like a sales org's: mostly calls (some linked to deals, with
// stats), meetings, deal stage moves and a few coaching sessions, in event
// time order over --days (default 3: ~33 events per rep per day, an SDR's call volume), reps interleaved as on a Kafka partition.
std::vector<Event> MakeStream(const Config& config, absl::Time start) {
  std::mt19937_64 rng(42);
  std::vector<Event> events;
  events.reserve(config.events);
  const int64_t span_s = int64_t{config.days} * 86400;
  std::vector<int> deal_stage(config.reps * 4, 1);
  for (int64_t i = 0; i < config.events; ++i) {
    Event e;
    const int rep = static_cast<int>(rng() % config.reps);
    e.set_event_id(absl::StrCat("ev-", i));
    e.set_tenant_id("acme");
    e.set_rep_id(absl::StrCat("rep-", rep));
    const int64_t at = absl::ToUnixSeconds(start) + i * span_s / config.events;
    e.mutable_occurred_at()->set_seconds(at);
    const int kind = static_cast<int>(rng() % 100);
    const int deal = rep * 4 + static_cast<int>(rng() % 4);
    const std::string deal_id = absl::StrCat("deal-", deal);
    if (kind < 80) {
      auto* c = e.mutable_call();
      c->set_call_id(absl::StrCat("call-", i));
      c->set_direction(coachstream::v1::CALL_DIRECTION_OUTBOUND);
      c->set_connected(rng() % 3 == 0);
      if (c->connected()) {
        c->mutable_stats()->set_talk_ratio(0.3 + (rng() % 40) / 100.0);
        c->mutable_stats()->set_longest_monologue_s(static_cast<int>(rng() % 200));
        c->mutable_stats()->set_has_next_step(rng() % 2 == 0);
      }
      if (rng() % 4 == 0) c->set_deal_id(deal_id);
    } else if (kind < 92) {
      auto* m = e.mutable_meeting();
      m->set_meeting_id(absl::StrCat("m-", i));
      m->set_kind(rng() % 5 == 0 ? coachstream::v1::MEETING_KIND_ONE_ON_ONE : coachstream::v1::MEETING_KIND_CUSTOMER);
      m->set_status(coachstream::v1::MEETING_STATUS_SCHEDULED);
      m->mutable_start_at()->set_seconds(at + 86400);
      m->mutable_end_at()->set_seconds(at + 86400 + 1800);
      m->mutable_booked_at()->set_seconds(at);
    } else if (kind < 99) {
      auto* d = e.mutable_deal();
      d->set_deal_id(deal_id);
      d->set_owner_id(e.rep_id());
      int& stage = deal_stage[deal];
      d->set_previous_stage(static_cast<coachstream::v1::DealStage>(stage));
      stage = stage >= 7 ? 1 : stage + 1;
      d->set_stage(static_cast<coachstream::v1::DealStage>(stage));
      d->set_is_closed(stage >= 6);
      d->set_is_won(stage == 6);
      d->set_change(coachstream::v1::CHANGE_KIND_UPDATED);
      d->mutable_amount()->set_amount_minor(100'000 + deal);
      d->set_source_version(i + 1);
      d->mutable_created_at()->set_seconds(absl::ToUnixSeconds(start) - 86400 * 20);
    } else {
      auto* s = e.mutable_coaching_session();
      s->set_session_id(absl::StrCat("s-", i));
      s->set_kind(coachstream::v1::SESSION_KIND_MICRO_COACHING);
      s->set_duration_minutes(25);
      s->set_deal_id(deal_id);
    }
    events.push_back(std::move(e));
  }
  return events;
}

int Run(const Config& config) {
  const absl::Time start = absl::FromCivil(absl::CivilDay(2024, 5, 1), absl::UTCTimeZone());
  cs::ManualClock clock(start + absl::Hours(24 * (config.days + 10)));
  const std::vector<Event> events = MakeStream(config, start);
  MapStore store;
  cs::metrics::MetricsCoreOptions options;
  options.max_cached_entries = config.cache;
  auto core = cs::metrics::MetricsCore::Create(options, store, clock);
  if (!core.ok()) {
    std::fprintf(stderr, "metrics_core_bench: %s\n", std::string(core.status().message()).c_str());
    return 1;
  }
  int64_t mutations = 0;
  std::map<std::string, int64_t> by_prefix;  // "agg", "seen", ... -> mutations
  double core_s = 0, apply_s = 0, take_s = 0;
  const auto t0 = ThreadCpuSeconds();
  for (size_t begin = 0; begin < events.size(); begin += config.batch) {
    const size_t end = std::min(events.size(), begin + config.batch);
    const auto b0 = ThreadCpuSeconds();
    for (size_t i = begin; i < end; ++i) {
      absl::StatusOr<cs::metrics::ApplyResult> r = (*core)->Apply(events[i]);
      if (!r.ok()) {
        std::fprintf(stderr, "metrics_core_bench: %s\n", std::string(r.status().message()).c_str());
        return 1;
      }
    }
    const auto b1 = ThreadCpuSeconds();
    MapStore::Batch batch;
    (*core)->TakeMutations([&](cs::metrics::Mutation::Op op, std::string_view key, std::string_view value) {
      ++by_prefix[std::string(key.substr(0, key.find('/')))];
      batch.ops.emplace_back(std::string(key), op == cs::metrics::Mutation::Op::kPut
                                                   ? std::optional<std::string>(std::string(value))
                                                   : std::nullopt);
    });
    const auto b2 = ThreadCpuSeconds();
    apply_s += (b1 - b0);
    take_s += (b2 - b1);
    core_s += (b2 - b0);
    mutations += static_cast<int64_t>(batch.ops.size());
    store.Write(batch);
  }
  const double total_s = (ThreadCpuSeconds() - t0);
  std::printf(
      "events=%lld reps=%d days=%d batch=%d cache=%lld: core %.0f events/s (Apply+TakeMutations, %.2f s), "
      "with store writes %.0f events/s; %.3f mutations/event, %zu keys (apply %.2f s, take %.2f s)\n",
      static_cast<long long>(config.events), config.reps, config.days, config.batch, static_cast<long long>(config.cache),
      static_cast<double>(events.size()) / core_s, core_s, static_cast<double>(events.size()) / total_s,
      static_cast<double>(mutations) / static_cast<double>(events.size()), store.size(), apply_s, take_s);
  std::printf("  mutations per event by key prefix:");
  for (const auto& [prefix, n] : by_prefix) {
    std::printf(" %s=%.3f", prefix.c_str(), static_cast<double>(n) / static_cast<double>(events.size()));
  }
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Config config;
  config.events = Flag(argc, argv, "--events", config.events);
  config.reps = static_cast<int>(Flag(argc, argv, "--reps", config.reps));
  config.batch = static_cast<int>(Flag(argc, argv, "--batch", config.batch));
  config.cache = Flag(argc, argv, "--cache", config.cache);
  config.days = static_cast<int>(Flag(argc, argv, "--days", config.days));
  return Run(config);
}
