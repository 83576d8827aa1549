#pragma once

// grpc.health.v1 service names that carry a readiness meaning of their
// own, shared by the service that reports them and the clients that ask.

namespace cs::grpc_util {

// Reported by the metrics service: SERVING once its consumer has reached
// the end of every assigned partition of coaching.events.v1 (lag 0) since
// it started or last got partitions; NOT_SERVING while catching up. Its
// queries answer either way (from the state consumed so far); clients that
// judge people on the numbers (the coaching service's alerts) wait for it.
inline constexpr char kMetricsCaughtUp[] = "coachstream.v1.MetricsService.caught_up";

}  // namespace cs::grpc_util
