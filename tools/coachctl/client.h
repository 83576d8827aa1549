#pragma once

// The RPC plumbing of coachctl: one channel per service, a deadline and the
// caller's identity (x-coachstream-person metadata) on every call, and
// grpc::Status converted to absl::Status (codes one to one).

#include <functional>
#include <memory>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "coachstream/v1/coaching_service.grpc.pb.h"
#include "coachstream/v1/metrics_service.grpc.pb.h"
#include "tools/coachctl/config.h"

namespace cs::coachctl {

class Client {
 public:
  explicit Client(const Config& config);

  coachstream::v1::CoachingService::Stub& coaching();
  coachstream::v1::MetricsService::Stub& metrics();

  // Runs one unary call with a fresh context (deadline = --timeout).
  // "UNAVAILABLE: ... (coaching at 127.0.0.1:50053)" names the target when
  // it cannot be reached.
  absl::Status Coaching(const std::function<grpc::Status(grpc::ClientContext*)>& rpc);
  absl::Status Metrics(const std::function<grpc::Status(grpc::ClientContext*)>& rpc);

  // A context for a streaming call: identity, and a deadline only when
  // `with_deadline`.
  std::unique_ptr<grpc::ClientContext> StreamContext(bool with_deadline) const;
  // Converts a stream's final status as Coaching() does.
  absl::Status FromStream(const grpc::Status& status) const;

 private:
  void Prepare(grpc::ClientContext* ctx, bool with_deadline) const;
  absl::Status Convert(const grpc::Status& status, const char* service, const std::string& address) const;

  const Config config_;
  std::unique_ptr<coachstream::v1::CoachingService::Stub> coaching_;
  std::unique_ptr<coachstream::v1::MetricsService::Stub> metrics_;
};

}  // namespace cs::coachctl
