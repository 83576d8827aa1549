// coaching: the focus skill per rep per month, coaching plans and sessions,
// team triage and accountability alerts, over gRPC. State in RocksDB.

#include "absl/flags/flag.h"
#include "libs/base/flags.h"
#include "libs/base/log.h"
#include "libs/kv/store.h"
#include "libs/service/runtime.h"
#include "coachstream/v1/coaching_service.grpc.pb.h"

ABSL_FLAG(std::string, metrics_target, "127.0.0.1:50052", "MetricsService gRPC address (host:port)");

int main(int argc, char** argv) {
  auto rt = cs::service::Runtime::Init(
      argc, argv, "coaching", "coaching: focus skills, plans, sessions and alerts over gRPC",
      []() -> std::string {
        return absl::GetFlag(FLAGS_metrics_target).empty() ? "--metrics_target: empty" : "";
      });
  cs::kv::StoreOptions store_options;
  store_options.path = rt.state_dir();
  store_options.column_families = {"plans", "sessions", "alerts"};
  auto store = cs::kv::Store::Open(store_options);
  if (!store.ok()) cs::FatalConfig("--state_dir: " + std::string(store.status().message()));

  coachstream::v1::CoachingService::Service service;  // RPCs answer UNIMPLEMENTED until wired
  rt.StartGrpc({&service}, {"coachstream.v1.CoachingService"});
  rt.WaitForShutdown();
  if (auto s = (*store)->Close(); !s.ok()) cs::log::Error("close state", {{"error", s.ToString()}});
  return rt.Finish();
}
