// metrics: consumes coaching.events.v1, keeps per-rep drivers per week,
// month and quarter in RocksDB (offsets in the same write batch), and serves
// MetricsService over gRPC.

#include <thread>

#include "absl/flags/flag.h"
#include "libs/base/flags.h"
#include "libs/base/log.h"
#include "libs/base/shutdown.h"
#include "libs/kv/store.h"
#include "libs/service/runtime.h"
#include "services/metrics/adapters/event_consumer.h"
#include "coachstream/v1/metrics_service.grpc.pb.h"

ABSL_FLAG(int, max_batch, 5000, "Events per poll batch (one RocksDB write each)");
ABSL_FLAG(std::string, group_id, "coachstream-metrics", "Kafka consumer group");

namespace {

// Placeholder sink until the driver aggregation is wired: offsets only.
class OffsetsOnlySink : public cs::metrics_service::BatchSink {
 public:
  absl::Status Apply(const cs::kafka::Message&) override { return absl::OkStatus(); }
  absl::Status Stage(cs::kv::Batch&) override { return absl::OkStatus(); }
};

}  // namespace

int main(int argc, char** argv) {
  auto rt = cs::service::Runtime::Init(
      argc, argv, "metrics", "metrics: per-rep performance drivers from coaching.events.v1",
      []() -> std::string { return absl::GetFlag(FLAGS_max_batch) < 1 ? "--max_batch: must be >= 1" : ""; });
  cs::kv::StoreOptions store_options;
  store_options.path = rt.state_dir();
  store_options.column_families = {"state", "offsets"};
  auto store = cs::kv::Store::Open(store_options);
  if (!store.ok()) cs::FatalConfig("--state_dir: " + std::string(store.status().message()));

  OffsetsOnlySink sink;
  cs::metrics_service::EventConsumerOptions options;
  options.consumer.client = rt.kafka_client();
  options.consumer.group_id = absl::GetFlag(FLAGS_group_id);
  options.consumer.topics = {"coaching.events.v1"};
  options.consumer.session_timeout_ms = rt.session_timeout_ms();
  options.max_batch = static_cast<size_t>(absl::GetFlag(FLAGS_max_batch));
  auto consumer = cs::metrics_service::EventConsumer::Create(options, store->get(), &sink, rt.registry());
  if (!consumer.ok()) cs::FatalConfig("--kafka_properties: " + std::string(consumer.status().message()));

  coachstream::v1::MetricsService::Service service;  // RPCs answer UNIMPLEMENTED until wired
  rt.StartGrpc({&service}, {"coachstream.v1.MetricsService"});
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
  worker.join();
  if (auto s = (*consumer)->Close(); !s.ok()) cs::log::Warn("consumer close", {{"error", s.ToString()}});
  if (auto s = (*store)->Close(); !s.ok()) cs::log::Error("close state", {{"error", s.ToString()}});
  int rc = rt.Finish();
  return exit_code != 0 ? exit_code : rc;
}
