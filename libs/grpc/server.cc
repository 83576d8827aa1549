#include "libs/grpc/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <chrono>

#include "libs/base/log.h"
#include "libs/grpc/interceptors.h"

namespace cs::grpc_util {

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  ::grpc::EnableDefaultHealthCheckService(true);
  ::grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<Server> s(new Server());
  ::grpc::ServerBuilder builder;
  builder.AddListeningPort(options.address, ::grpc::InsecureServerCredentials(), &s->port_);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  for (::grpc::Service* svc : options.services) builder.RegisterService(svc);
  std::vector<std::unique_ptr<::grpc::experimental::ServerInterceptorFactoryInterface>> chain;
  if (options.registry != nullptr) {
    chain.push_back(MakeMetricsInterceptor(*options.registry, options.component));
  }
  builder.experimental().SetInterceptorCreators(std::move(chain));
  s->server_ = builder.BuildAndStart();
  if (!s->server_ || s->port_ == 0) {
    return absl::InvalidArgumentError("cannot listen for gRPC on " + options.address);
  }
  s->service_names_ = options.health_service_names;
  s->readiness_names_ = options.readiness_names;
  s->SetServing(true);
  for (const auto& name : s->readiness_names_) s->SetReady(name, false);
  log::Info("grpc listening", {{"port", s->port_}});
  return s;
}

Server::~Server() { Shutdown(absl::Seconds(1)); }

void Server::SetServing(bool serving) {
  if (auto* health = server_->GetHealthCheckService()) {
    health->SetServingStatus(serving);
    for (const auto& name : service_names_) health->SetServingStatus(name, serving);
    if (!serving) {
      for (const auto& name : readiness_names_) health->SetServingStatus(name, false);
    }
  }
}

void Server::SetReady(const std::string& name, bool ready) {
  if (shut_down_) return;
  if (auto* health = server_->GetHealthCheckService()) health->SetServingStatus(name, ready);
}

void Server::Shutdown(absl::Duration grace) {
  if (shut_down_ || !server_) return;
  shut_down_ = true;
  SetServing(false);
  server_->Shutdown(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(absl::ToInt64Milliseconds(grace)));
}

}  // namespace cs::grpc_util
