#include "services/coaching/adapters/grpc_service.h"

#include "libs/base/log.h"
#include "libs/grpc/status.h"

namespace cs::coaching_service {

using namespace coachstream::v1;

namespace {

// Copies an OK result into the response, or maps the error.
template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* response) {
  if (!result.ok()) return grpc_util::ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status CoachingGrpcService::RecommendFocusSkill(grpc::ServerContext*, const RecommendFocusSkillRequest* req,
                                                      RecommendFocusSkillResponse* resp) {
  return Reply(core_.RecommendFocusSkill(*req), resp);
}

grpc::Status CoachingGrpcService::AcceptFocusSkill(grpc::ServerContext*, const AcceptFocusSkillRequest* req,
                                                   AcceptFocusSkillResponse* resp) {
  grpc::Status s = Reply(core_.AcceptFocusSkill(*req), resp);
  if (s.ok()) Changed(req->tenant_id(), req->rep_id());
  return s;
}

grpc::Status CoachingGrpcService::CreatePlan(grpc::ServerContext*, const CreatePlanRequest* req,
                                             CoachingPlan* resp) {
  grpc::Status s = Reply(core_.CreatePlan(*req), resp);
  if (s.ok()) Changed(req->plan().tenant_id(), req->plan().rep_id());
  return s;
}

grpc::Status CoachingGrpcService::GetPlan(grpc::ServerContext*, const GetPlanRequest* req, CoachingPlan* resp) {
  return Reply(core_.GetPlan(*req), resp);
}

grpc::Status CoachingGrpcService::ReviewObjective(grpc::ServerContext*, const ReviewObjectiveRequest* req,
                                                  Objective* resp) {
  grpc::Status s = Reply(core_.ReviewObjective(*req), resp);
  if (s.ok()) Changed(req->tenant_id(), req->rep_id());
  return s;
}

grpc::Status CoachingGrpcService::LogSession(grpc::ServerContext*, const LogSessionRequest* req,
                                             LogSessionResponse* resp) {
  auto logged = core_.LogSession(*req);
  if (!logged.ok()) return grpc_util::ToGrpcStatus(logged.status());
  // Stored first, then published: a failure here is retried by the caller
  // and the retry republishes the same event_id.
  if (absl::Status s = publisher_.Publish(logged->event, logged->event_key); !s.ok()) {
    log::Warn("session event not published", {{"session_id", logged->response.session_id()},
                                              {"error", s.ToString()}});
    return grpc_util::ToGrpcStatus(s);
  }
  *resp = std::move(logged->response);
  Changed(req->tenant_id(), req->rep_id());
  return grpc::Status::OK;
}

grpc::Status CoachingGrpcService::ListSessions(grpc::ServerContext*, const ListSessionsRequest* req,
                                               ListSessionsResponse* resp) {
  return Reply(core_.ListSessions(*req), resp);
}

grpc::Status CoachingGrpcService::GetTeamBoard(grpc::ServerContext*, const GetTeamBoardRequest* req,
                                               GetTeamBoardResponse* resp) {
  return Reply(core_.GetTeamBoard(*req), resp);
}

grpc::Status CoachingGrpcService::GetCoachingImpact(grpc::ServerContext*, const GetCoachingImpactRequest* req,
                                                    GetCoachingImpactResponse* resp) {
  return Reply(core_.GetCoachingImpact(*req), resp);
}

static grpc::Status NoAlerts() { return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "alerts are not enabled"); }

grpc::Status CoachingGrpcService::ListAlerts(grpc::ServerContext* ctx, const ListAlertsRequest* req,
                                             ListAlertsResponse* resp) {
  return alerts_ ? alerts_->ListAlerts(ctx, req, resp) : NoAlerts();
}

grpc::Status CoachingGrpcService::AcknowledgeAlert(grpc::ServerContext* ctx, const AcknowledgeAlertRequest* req,
                                                   Alert* resp) {
  return alerts_ ? alerts_->AcknowledgeAlert(ctx, req, resp) : NoAlerts();
}

grpc::Status CoachingGrpcService::ResolveAlert(grpc::ServerContext* ctx, const ResolveAlertRequest* req,
                                               Alert* resp) {
  return alerts_ ? alerts_->ResolveAlert(ctx, req, resp) : NoAlerts();
}

grpc::Status CoachingGrpcService::WatchAlerts(grpc::ServerContext* ctx, const WatchAlertsRequest* req,
                                              grpc::ServerWriter<Alert>* writer) {
  return alerts_ ? alerts_->WatchAlerts(ctx, req, writer) : NoAlerts();
}

grpc::Status CoachingGrpcService::GetAlertRollup(grpc::ServerContext* ctx, const GetAlertRollupRequest* req,
                                                 GetAlertRollupResponse* resp) {
  return alerts_ ? alerts_->GetAlertRollup(ctx, req, resp) : NoAlerts();
}

}  // namespace cs::coaching_service
