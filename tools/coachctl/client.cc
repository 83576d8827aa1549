#include "tools/coachctl/client.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace cs::coachctl {

Client::Client(const Config& config) : config_(config) {}

coachstream::v1::CoachingService::Stub& Client::coaching() {
  if (!coaching_) {
    coaching_ = coachstream::v1::CoachingService::NewStub(
        grpc::CreateChannel(config_.coaching_address, grpc::InsecureChannelCredentials()));
  }
  return *coaching_;
}

coachstream::v1::MetricsService::Stub& Client::metrics() {
  if (!metrics_) {
    metrics_ = coachstream::v1::MetricsService::NewStub(
        grpc::CreateChannel(config_.metrics_address, grpc::InsecureChannelCredentials()));
  }
  return *metrics_;
}

void Client::Prepare(grpc::ClientContext* ctx, bool with_deadline) const {
  if (with_deadline) ctx->set_deadline(absl::ToChronoTime(absl::Now() + config_.timeout));
  if (!config_.person.empty()) ctx->AddMetadata(kPersonMetadataKey, config_.person);
}

absl::Status Client::Convert(const grpc::Status& status, const char* service, const std::string& address) const {
  if (status.ok()) return absl::OkStatus();
  std::string message = status.error_message();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    absl::StrAppend(&message, " (", service, " at ", address, ")");
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), message);
}

absl::Status Client::Coaching(const std::function<grpc::Status(grpc::ClientContext*)>& rpc) {
  coaching();
  grpc::ClientContext ctx;
  Prepare(&ctx, true);
  return Convert(rpc(&ctx), "coaching", config_.coaching_address);
}

absl::Status Client::Metrics(const std::function<grpc::Status(grpc::ClientContext*)>& rpc) {
  metrics();
  grpc::ClientContext ctx;
  Prepare(&ctx, true);
  return Convert(rpc(&ctx), "metrics", config_.metrics_address);
}

std::unique_ptr<grpc::ClientContext> Client::StreamContext(bool with_deadline) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  Prepare(ctx.get(), with_deadline);
  return ctx;
}

absl::Status Client::FromStream(const grpc::Status& status) const {
  return Convert(status, "coaching", config_.coaching_address);
}

}  // namespace cs::coachctl
