#pragma once

// The alert RPCs of CoachingService (ListAlerts, AcknowledgeAlert,
// ResolveAlert, WatchAlerts, GetAlertRollup) over the AlertEngine;
// CoachingGrpcService delegates to them.
//
// WatchAlerts streams the open and acknowledged alerts in the person's view
// (their subtree: AlertEngine::InView), then every change in that view as
// it is stored, until the client cancels or the service shuts down (then
// the stream ends with OK). A change that races the initial snapshot is
// sent once: versions already sent are skipped.

#include <deque>
#include <set>

#include <grpcpp/grpcpp.h>

#include "absl/synchronization/mutex.h"
#include "coachstream/v1/coaching_service.grpc.pb.h"
#include "services/coaching/alerts/alert_engine.h"

namespace cs::coaching_service {

// Fans stored changes out to the open WatchAlerts streams.
class AlertWatchHub final : public coaching::alerts::AlertObserver {
 public:
  explicit AlertWatchHub(const coaching::alerts::AlertEngine& engine) : engine_(engine) {}

  void OnAlertChanged(const coachstream::v1::Alert& alert, coaching::alerts::AlertChange change) override;
  // Serves one WatchAlerts call; returns when it ends.
  grpc::Status Serve(grpc::ServerContext* context, const coachstream::v1::WatchAlertsRequest& request,
                     grpc::ServerWriter<coachstream::v1::Alert>* writer);
  // Ends every stream (OK) and refuses new ones (UNAVAILABLE).
  void Shutdown();
  int watchers() const;

 private:
  struct Watcher {
    std::string tenant, person;
    std::deque<coachstream::v1::Alert> queue;
    bool overflowed = false;
  };
  // A slow client is cut off rather than buffering without bound.
  static constexpr size_t kMaxQueued = 10000;

  const coaching::alerts::AlertEngine& engine_;
  mutable absl::Mutex mu_;
  absl::CondVar cv_;
  std::set<Watcher*> watchers_;
  bool shutdown_ = false;
};

class AlertRpcs {
 public:
  AlertRpcs(coaching::alerts::AlertEngine& engine, AlertWatchHub& hub) : engine_(engine), hub_(hub) {}

  grpc::Status ListAlerts(grpc::ServerContext*, const coachstream::v1::ListAlertsRequest* req,
                          coachstream::v1::ListAlertsResponse* resp);
  grpc::Status AcknowledgeAlert(grpc::ServerContext*, const coachstream::v1::AcknowledgeAlertRequest* req,
                                coachstream::v1::Alert* resp);
  grpc::Status ResolveAlert(grpc::ServerContext*, const coachstream::v1::ResolveAlertRequest* req,
                            coachstream::v1::Alert* resp);
  grpc::Status WatchAlerts(grpc::ServerContext* context, const coachstream::v1::WatchAlertsRequest* req,
                           grpc::ServerWriter<coachstream::v1::Alert>* writer);
  grpc::Status GetAlertRollup(grpc::ServerContext*, const coachstream::v1::GetAlertRollupRequest* req,
                              coachstream::v1::GetAlertRollupResponse* resp);

 private:
  coaching::alerts::AlertEngine& engine_;
  AlertWatchHub& hub_;
};

}  // namespace cs::coaching_service
