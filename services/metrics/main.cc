// metrics: consumes coaching.events.v1, keeps per-rep drivers per week,
// month and quarter in RocksDB (offsets in the same write batch), and serves
// MetricsService over gRPC.

#include <thread>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "libs/base/clock.h"
#include "libs/base/flags.h"
#include "libs/base/log.h"
#include "libs/base/shutdown.h"
#include "libs/grpc/health_names.h"
#include "libs/kv/store.h"
#include "libs/service/runtime.h"
#include "services/metrics/adapters/event_consumer.h"
#include "services/metrics/adapters/grpc_service.h"
#include "services/metrics/adapters/metrics_sink.h"
#include "services/metrics/adapters/rocks_state.h"
#include "services/metrics/core/keys.h"
#include "services/metrics/core/metrics_core.h"
#include "services/metrics/core/queries.h"

ABSL_FLAG(int, max_batch, 100000,
          "Most events per batch (one RocksDB write with the offsets); bigger coalesces more writes");
ABSL_FLAG(absl::Duration, max_batch_delay, absl::Milliseconds(250),
          "Longest time spent gathering a batch before it is written (e.g. 250ms)");
ABSL_FLAG(std::string, group_id, "coachstream-metrics", "Kafka consumer group");
ABSL_FLAG(std::string, dlq_topic, "dlq.v1", "Topic for records of coaching.events.v1 that cannot be applied");
ABSL_FLAG(int, stalled_after_days, 14, "An open deal with no activity for this many days is stalled");
ABSL_FLAG(int, dedup_retention_days, 400, "Days of event ids kept for deduplication");
ABSL_FLAG(absl::Duration, benchmark_cache_ttl, absl::ZeroDuration(),
          "How long peer benchmarks are cached; 0 = computed per request (exact). Large peer groups "
          "(thousands of reps) answer GetTeamDrivers in ms instead of seconds with e.g. 60s, but see "
          "README: a cached entry computed while the service was catching up was seen to outlive its TTL");
ABSL_FLAG(int, apply_threads, 2,
          "Threads a batch is applied on (reps are split among them; deal snapshots are applied on one)");
ABSL_FLAG(int64_t, max_cached_entries, 2'000'000,
          "Parsed state entries kept in memory across batches (0 = none; ~0.3-1 KB each)");

int main(int argc, char** argv) {
  auto rt = cs::service::Runtime::Init(
      argc, argv, "metrics", "metrics: per-rep performance drivers from coaching.events.v1",
      []() -> std::string {
        if (absl::GetFlag(FLAGS_max_batch) < 1) return "--max_batch: must be >= 1";
        if (absl::GetFlag(FLAGS_max_batch_delay) <= absl::ZeroDuration()) return "--max_batch_delay: must be > 0";
        if (absl::GetFlag(FLAGS_stalled_after_days) < 1) return "--stalled_after_days: must be >= 1";
        if (absl::GetFlag(FLAGS_dedup_retention_days) < 7) return "--dedup_retention_days: must be >= 7";
        if (absl::GetFlag(FLAGS_max_cached_entries) < 0) return "--max_cached_entries: must be >= 0";
        if (absl::GetFlag(FLAGS_apply_threads) < 1 || absl::GetFlag(FLAGS_apply_threads) > cs::metrics::kDedupBuckets) {
          return "--apply_threads: must be 1 to " + std::to_string(cs::metrics::kDedupBuckets);
        }
        if (absl::GetFlag(FLAGS_benchmark_cache_ttl) < absl::ZeroDuration()) return "--benchmark_cache_ttl: must be >= 0";
        return "";
      });
  cs::kv::StoreOptions store_options;
  store_options.path = rt.state_dir();
  store_options.column_families = {"state", "offsets"};
  store_options.sorted_batches = true;  // the core emits each key family sorted
  auto store = cs::kv::Store::Open(store_options);
  if (!store.ok()) cs::FatalConfig("--state_dir: " + std::string(store.status().message()));
  int state_cf = (*store)->Cf("state");
  cs::metrics_service::RocksState state(**store, state_cf);

  cs::metrics::MetricsCoreOptions core_options;
  core_options.default_time_zone = rt.tenant_default_time_zone();
  core_options.stalled_after_days = absl::GetFlag(FLAGS_stalled_after_days);
  core_options.dedup_retention_days = absl::GetFlag(FLAGS_dedup_retention_days);
  core_options.max_cached_entries = absl::GetFlag(FLAGS_max_cached_entries);
  core_options.apply_threads = absl::GetFlag(FLAGS_apply_threads);
  core_options.benchmark_cache_seconds =
      static_cast<int>(absl::ToInt64Seconds(absl::GetFlag(FLAGS_benchmark_cache_ttl)));
  auto core = cs::metrics::MetricsCore::Create(core_options, state, cs::SystemClock::Get());
  if (!core.ok()) cs::FatalConfig(std::string(core.status().message()));
  // Records it cannot apply go to the DLQ, like ingest's (DESIGN.md).
  cs::kafka::ProducerOptions producer_options;
  producer_options.client = rt.kafka_client();
  auto dlq_producer = cs::kafka::Producer::Create(producer_options);
  if (!dlq_producer.ok()) cs::FatalConfig("--kafka_properties: " + std::string(dlq_producer.status().message()));
  cs::metrics_service::DeadLetterOptions dead_letters;
  dead_letters.producer = dlq_producer->get();
  dead_letters.topic = absl::GetFlag(FLAGS_dlq_topic);
  dead_letters.headers_from = rt.kafka_client();  // the consumer skips headers: read again for dead letters
  cs::metrics_service::MetricsSink sink(core->get(), state_cf, cs::SystemClock::Get(), rt.registry(), dead_letters);

  cs::metrics_service::EventConsumerOptions options;
  options.consumer.client = rt.kafka_client();
  options.consumer.group_id = absl::GetFlag(FLAGS_group_id);
  options.consumer.topics = {"coaching.events.v1"};
  options.consumer.session_timeout_ms = rt.session_timeout_ms();
  options.consumer.copy_headers = false;  // metrics never reads Kafka headers
  cs::metrics_service::TuneMetricsConsumer(options.consumer);
  rt.CountOffsetResets(&options.consumer);  // events deleted before they were read are counted
  options.max_batch = static_cast<size_t>(absl::GetFlag(FLAGS_max_batch));
  options.max_batch_delay = absl::GetFlag(FLAGS_max_batch_delay);
  // Readiness for clients that judge people on the numbers (alerts): SERVING
  // once the assigned partitions are consumed (libs/grpc/health_names.h).
  options.on_caught_up = [&rt](bool caught_up) { rt.SetReady(cs::grpc_util::kMetricsCaughtUp, caught_up); };
  auto consumer = cs::metrics_service::EventConsumer::Create(options, store->get(), &sink, rt.registry());
  if (!consumer.ok()) cs::FatalConfig("--kafka_properties: " + std::string(consumer.status().message()));

  cs::metrics::MetricsQueries queries(state, state, cs::SystemClock::Get(), core_options);
  cs::metrics_service::MetricsGrpcService service(queries, state, state);
  rt.StartGrpc({&service}, {"coachstream.v1.MetricsService"}, {cs::grpc_util::kMetricsCaughtUp});
  int exit_code = 0;
  std::thread worker([&] {
    absl::Status s = (*consumer)->Run([] { return cs::ShutdownRequested(); });
    if (!s.ok()) {
      cs::log::Error("consumer stopped", {{"error", s.ToString()}});
      exit_code = 1;
      cs::RequestShutdown();
    }
  });
  rt.WaitForShutdown();
  // The batch in progress is written (state + offsets) before Run returns.
  worker.join();
  if (auto s = (*consumer)->Close(); !s.ok()) cs::log::Warn("consumer close", {{"error", s.ToString()}});
  // gRPC handlers read the store: stop them before closing it.
  int rc = rt.Finish();
  if (auto s = (*store)->Close(); !s.ok()) {
    cs::log::Error("close state", {{"error", s.ToString()}});
    rc = 1;
  }
  return exit_code != 0 ? exit_code : rc;
}
