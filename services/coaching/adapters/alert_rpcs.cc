#include "services/coaching/adapters/alert_rpcs.h"

#include <map>

#include "libs/grpc/status.h"

namespace cs::coaching_service {

using coachstream::v1::Alert;

namespace {

template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return grpc_util::ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

void AlertWatchHub::OnAlertChanged(const Alert& alert, coaching::alerts::AlertChange) {
  absl::MutexLock lock(&mu_);
  bool queued = false;
  for (Watcher* w : watchers_) {
    if (w->overflowed || w->tenant != alert.tenant_id() || !engine_.InView(w->tenant, w->person, alert)) continue;
    if (w->queue.size() >= kMaxQueued) {
      w->overflowed = true;
    } else {
      w->queue.push_back(alert);
    }
    queued = true;
  }
  if (queued) cv_.SignalAll();
}

void AlertWatchHub::Shutdown() {
  absl::MutexLock lock(&mu_);
  shutdown_ = true;
  cv_.SignalAll();
}

int AlertWatchHub::watchers() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(watchers_.size());
}

grpc::Status AlertWatchHub::Serve(grpc::ServerContext* context, const coachstream::v1::WatchAlertsRequest& request,
                                  grpc::ServerWriter<Alert>* writer) {
  Watcher watcher{request.tenant_id(), request.person_id(), {}, false};
  {
    absl::MutexLock lock(&mu_);
    if (shutdown_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "shutting down");
    watchers_.insert(&watcher);  // before the snapshot: no change falls in between
  }
  auto unregister = [&] {
    absl::MutexLock lock(&mu_);
    watchers_.erase(&watcher);
  };
  absl::StatusOr<std::vector<Alert>> initial = engine_.StartWatch(request);
  if (!initial.ok()) {
    unregister();
    return grpc_util::ToGrpcStatus(initial.status());
  }
  std::map<std::string, int64_t> sent;  // alert id -> version
  bool open = true;
  for (const Alert& a : *initial) {
    if (!(open = writer->Write(a))) break;
    sent[a.alert_id()] = a.version();
  }
  grpc::Status result = grpc::Status::OK;
  while (open && !context->IsCancelled()) {
    Alert next;
    {
      absl::MutexLock lock(&mu_);
      if (watcher.queue.empty() && !shutdown_ && !watcher.overflowed) {
        cv_.WaitWithTimeout(&mu_, absl::Milliseconds(250));
      }
      if (shutdown_) break;
      if (watcher.overflowed) {
        result = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "watcher fell too far behind; reconnect");
        break;
      }
      if (watcher.queue.empty()) continue;
      next = std::move(watcher.queue.front());
      watcher.queue.pop_front();
    }
    auto it = sent.find(next.alert_id());
    if (it != sent.end() && it->second >= next.version()) continue;
    open = writer->Write(next);
    sent[next.alert_id()] = next.version();
  }
  unregister();
  return result;
}

grpc::Status AlertRpcs::ListAlerts(grpc::ServerContext*, const coachstream::v1::ListAlertsRequest* req,
                                   coachstream::v1::ListAlertsResponse* resp) {
  return Reply(engine_.ListAlerts(*req), resp);
}

grpc::Status AlertRpcs::AcknowledgeAlert(grpc::ServerContext*, const coachstream::v1::AcknowledgeAlertRequest* req,
                                         Alert* resp) {
  return Reply(engine_.Acknowledge(*req), resp);
}

grpc::Status AlertRpcs::ResolveAlert(grpc::ServerContext*, const coachstream::v1::ResolveAlertRequest* req,
                                     Alert* resp) {
  return Reply(engine_.Resolve(*req), resp);
}

grpc::Status AlertRpcs::WatchAlerts(grpc::ServerContext* context, const coachstream::v1::WatchAlertsRequest* req,
                                    grpc::ServerWriter<Alert>* writer) {
  return hub_.Serve(context, *req, writer);
}

grpc::Status AlertRpcs::GetAlertRollup(grpc::ServerContext*, const coachstream::v1::GetAlertRollupRequest* req,
                                       coachstream::v1::GetAlertRollupResponse* resp) {
  return Reply(engine_.Rollup(*req), resp);
}

}  // namespace cs::coaching_service
