#pragma once

// CoachingService over gRPC: each RPC is one CoachingCore call (which
// validates and names the bad field); absl codes map one to one to gRPC
// codes. LogSession publishes the session event before answering.
//
// The alert RPCs are served by the alerts component when one is attached
// (AlertRpcs); without it they answer UNIMPLEMENTED.

#include <functional>
#include <string>

#include "coachstream/v1/coaching_service.grpc.pb.h"
#include "services/coaching/adapters/alert_rpcs.h"
#include "services/coaching/adapters/session_publisher.h"
#include "services/coaching/core/coaching_core.h"

namespace cs::coaching_service {

// Called after an RPC changed a rep's coaching state (session, plan,
// review, accepted focus): alert rules re-evaluate that rep.
using RepChanged = std::function<void(const std::string& tenant, const std::string& rep)>;

class CoachingGrpcService : public coachstream::v1::CoachingService::Service {
 public:
  CoachingGrpcService(coaching::CoachingCore& core, SessionPublisher& publisher, RepChanged on_change = nullptr)
      : core_(core), publisher_(publisher), on_change_(std::move(on_change)) {}

  grpc::Status RecommendFocusSkill(grpc::ServerContext*, const coachstream::v1::RecommendFocusSkillRequest* req,
                                   coachstream::v1::RecommendFocusSkillResponse* resp) override;
  grpc::Status AcceptFocusSkill(grpc::ServerContext*, const coachstream::v1::AcceptFocusSkillRequest* req,
                                coachstream::v1::AcceptFocusSkillResponse* resp) override;
  grpc::Status CreatePlan(grpc::ServerContext*, const coachstream::v1::CreatePlanRequest* req,
                          coachstream::v1::CoachingPlan* resp) override;
  grpc::Status GetPlan(grpc::ServerContext*, const coachstream::v1::GetPlanRequest* req,
                       coachstream::v1::CoachingPlan* resp) override;
  grpc::Status ReviewObjective(grpc::ServerContext*, const coachstream::v1::ReviewObjectiveRequest* req,
                               coachstream::v1::Objective* resp) override;
  grpc::Status LogSession(grpc::ServerContext*, const coachstream::v1::LogSessionRequest* req,
                          coachstream::v1::LogSessionResponse* resp) override;
  grpc::Status ListSessions(grpc::ServerContext*, const coachstream::v1::ListSessionsRequest* req,
                            coachstream::v1::ListSessionsResponse* resp) override;
  grpc::Status GetTeamBoard(grpc::ServerContext*, const coachstream::v1::GetTeamBoardRequest* req,
                            coachstream::v1::GetTeamBoardResponse* resp) override;
  grpc::Status GetCoachingImpact(grpc::ServerContext*, const coachstream::v1::GetCoachingImpactRequest* req,
                                 coachstream::v1::GetCoachingImpactResponse* resp) override;

  // Serves the alert RPCs (not owned; attach before the server starts).
  void AttachAlerts(AlertRpcs* alerts) { alerts_ = alerts; }
  grpc::Status ListAlerts(grpc::ServerContext*, const coachstream::v1::ListAlertsRequest* req,
                          coachstream::v1::ListAlertsResponse* resp) override;
  grpc::Status AcknowledgeAlert(grpc::ServerContext*, const coachstream::v1::AcknowledgeAlertRequest* req,
                                coachstream::v1::Alert* resp) override;
  grpc::Status ResolveAlert(grpc::ServerContext*, const coachstream::v1::ResolveAlertRequest* req,
                            coachstream::v1::Alert* resp) override;
  grpc::Status WatchAlerts(grpc::ServerContext*, const coachstream::v1::WatchAlertsRequest* req,
                           grpc::ServerWriter<coachstream::v1::Alert>* writer) override;
  grpc::Status GetAlertRollup(grpc::ServerContext*, const coachstream::v1::GetAlertRollupRequest* req,
                              coachstream::v1::GetAlertRollupResponse* resp) override;

 private:
  void Changed(const std::string& tenant, const std::string& rep) {
    if (on_change_) on_change_(tenant, rep);
  }

  coaching::CoachingCore& core_;
  SessionPublisher& publisher_;
  RepChanged on_change_;
  AlertRpcs* alerts_ = nullptr;
};

}  // namespace cs::coaching_service
