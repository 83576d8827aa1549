#pragma once

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace cs::metrics {

// A Timestamp left at its default (0, 0) means "not set".
inline bool HasTime(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

inline absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace cs::metrics
