#pragma once

// absl::Status <-> grpc::Status. Codes map one to one; the message is kept,
// so a bad request's status names the problem.

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace cs::grpc_util {

::grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const ::grpc::Status& status);

}  // namespace cs::grpc_util
