// coaching: the focus skill per rep per month, coaching plans and sessions,
// team triage and accountability alerts, over gRPC. Reads drivers from the
// metrics service; keeps its own state in RocksDB; publishes logged
// sessions to coaching.events.v1.

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "libs/base/clock.h"
#include "libs/base/flags.h"
#include "libs/base/log.h"
#include "libs/directory/directory_cache.h"
#include "libs/directory/directory_follower.h"
#include "libs/kafka/producer.h"
#include "libs/kv/store.h"
#include "libs/service/runtime.h"
#include "services/coaching/adapters/alerts_component.h"
#include "services/coaching/adapters/grpc_service.h"
#include "services/coaching/adapters/metrics_client.h"
#include "services/coaching/adapters/rocks_store.h"
#include "services/coaching/adapters/session_publisher.h"
#include "services/coaching/core/coaching_core.h"

ABSL_FLAG(std::string, metrics_target, "127.0.0.1:50052", "MetricsService gRPC address (host:port)");
ABSL_FLAG(absl::Duration, metrics_deadline, absl::Seconds(5), "Deadline of each call to the metrics service");
ABSL_FLAG(std::string, competency_library, "",
          "JSON file replacing the built-in competency library (services/coaching/core/"
          "competencies.default.json shows the format); empty = built-in");
ABSL_FLAG(std::string, currency_code, "USD", "Currency of amounts in rationales (ISO 4217)");
ABSL_FLAG(absl::Duration, session_ack_timeout, absl::Seconds(10),
          "LogSession waits this long for Kafka to acknowledge the session event");
ABSL_FLAG(std::string, events_topic, "coaching.events.v1", "Topic logged sessions are published to");

namespace {

std::string Validate() {
  if (absl::GetFlag(FLAGS_metrics_target).empty()) return "--metrics_target: empty";
  if (absl::GetFlag(FLAGS_metrics_deadline) <= absl::ZeroDuration()) return "--metrics_deadline: must be > 0";
  if (absl::GetFlag(FLAGS_session_ack_timeout) <= absl::ZeroDuration()) {
    return "--session_ack_timeout: must be > 0";
  }
  if (absl::GetFlag(FLAGS_currency_code).size() != 3) return "--currency_code: not a 3-letter ISO 4217 code";
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  auto rt = cs::service::Runtime::Init(
      argc, argv, "coaching", "coaching: focus skills, plans, sessions and alerts over gRPC", Validate);

  auto library = absl::GetFlag(FLAGS_competency_library).empty()
                     ? cs::coaching::CompetencyLibrary::Default()
                     : cs::coaching::CompetencyLibrary::ReadFile(absl::GetFlag(FLAGS_competency_library));
  if (!library.ok()) cs::FatalConfig("--competency_library: " + std::string(library.status().message()));

  cs::kv::StoreOptions store_options;
  store_options.path = rt.state_dir();
  store_options.column_families = {"coaching"};
  auto store = cs::kv::Store::Open(store_options);
  if (!store.ok()) cs::FatalConfig("--state_dir: " + std::string(store.status().message()));
  cs::coaching_service::RocksCoachingStore coaching_store(**store, (*store)->Cf("coaching"));

  cs::kafka::ProducerOptions producer_options;
  producer_options.client = rt.kafka_client();
  auto producer = cs::kafka::Producer::Create(producer_options);
  if (!producer.ok()) cs::FatalConfig("--kafka_properties: " + std::string(producer.status().message()));
  cs::coaching_service::KafkaSessionPublisher publisher(producer->get(), absl::GetFlag(FLAGS_events_topic),
                                                        absl::GetFlag(FLAGS_session_ack_timeout));

  auto metrics_channel =
      grpc::CreateChannel(absl::GetFlag(FLAGS_metrics_target), grpc::InsecureChannelCredentials());
  cs::coaching_service::GrpcMetricsSource metrics(metrics_channel, absl::GetFlag(FLAGS_metrics_deadline));
  cs::coaching_service::GrpcMetricsReadiness metrics_readiness(metrics_channel,
                                                               absl::GetFlag(FLAGS_metrics_deadline));

  cs::coaching::CoachingCoreOptions core_options;
  core_options.default_time_zone = rt.tenant_default_time_zone();
  core_options.currency_code = absl::GetFlag(FLAGS_currency_code);
  auto core = cs::coaching::CoachingCore::Create(core_options, *std::move(library), metrics, coaching_store,
                                                 cs::SystemClock::Get());
  if (!core.ok()) cs::FatalConfig(std::string(core.status().message()));

  // The org directory (org.directory.v1): management chains for the alerts.
  cs::directory::DirectoryCache directory;
  cs::directory::FollowerOptions follower_options;
  follower_options.client = rt.kafka_client();
  auto follower = cs::directory::DirectoryFollower::Start(follower_options, &directory);
  if (!follower.ok()) cs::FatalConfig("--kafka_bootstrap: " + std::string(follower.status().message()));

  // Accountability alerts (flags in services/coaching/adapters/alerts_component.h).
  // Rules judge people on the metrics: they wait while metrics catches up.
  auto alerts = cs::coaching_service::AlertsComponent::Create(
      rt.registry(), metrics, coaching_store, directory, **producer, rt.tenant_default_time_zone(),
      [&metrics_readiness] { return metrics_readiness.CaughtUp(); });
  if (!alerts.ok()) cs::FatalConfig(std::string(alerts.status().message()));

  cs::coaching_service::CoachingGrpcService service(
      **core, publisher,
      [&alerts](const std::string& tenant, const std::string& rep) { (*alerts)->MarkDirty(tenant, rep); });
  service.AttachAlerts(&(*alerts)->rpcs());
  rt.StartGrpc({&service}, {"coachstream.v1.CoachingService"});
  // Rules judge teams from the directory: start once it is loaded.
  if (!(*follower)->WaitCaughtUp(absl::Seconds(30))) {
    cs::log::Warn("org directory not caught up after 30 s; alerts start anyway");
  }
  (*alerts)->Start();
  rt.WaitForShutdown();
  (*alerts)->StopWatches();  // WatchAlerts streams end so gRPC can stop
  int rc = rt.Finish();      // stops gRPC first: no RPC writes after this
  (*alerts)->Stop();         // publishes what RPCs changed last
  (*follower)->Stop();
  if (auto s = (*producer)->Flush(absl::Seconds(5)); !s.ok()) {
    cs::log::Warn("producer flush", {{"error", s.ToString()}});
  }
  if (auto s = (*store)->Close(); !s.ok()) cs::log::Error("close state", {{"error", s.ToString()}});
  return rc;
}
