#pragma once

// The global settings of one coachctl run: flags first, then COACHCTL_*
// environment variables, then defaults. Pure (the environment is passed in).

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/coachctl/args.h"

namespace cs::coachctl {

// Defaults match the documented service addresses (README "Deploying").
inline constexpr char kDefaultCoachingAddress[] = "127.0.0.1:50053";
inline constexpr char kDefaultMetricsAddress[] = "127.0.0.1:50052";
inline constexpr absl::Duration kDefaultTimeout = absl::Seconds(10);
// gRPC metadata carrying the caller's person id (for the authorization interceptor).
inline constexpr char kPersonMetadataKey[] = "x-coachstream-person";

struct Config {
  std::string coaching_address = kDefaultCoachingAddress;  // CoachingService host:port
  std::string metrics_address = kDefaultMetricsAddress;    // MetricsService host:port
  std::string tenant;                                      // required by every RPC command
  std::string person;                                      // --as; empty = anonymous
  std::string month;                                       // "YYYY-MM", validated
  absl::Duration timeout = kDefaultTimeout;                // per call
  bool timeout_explicit = false;                           // given by flag or environment
  bool json = false;
};

// Returns the value of an environment variable, or nullopt.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// INVALID_ARGUMENT naming the flag or variable for a bad value (a usage
// error). `now` picks the default month (UTC).
absl::StatusOr<Config> ResolveConfig(const Invocation& invocation, const EnvLookup& env, absl::Time now);

// Validates "YYYY-MM"; INVALID_ARGUMENT naming `what` otherwise.
absl::Status CheckMonth(std::string_view what, std::string_view month);
// "2024-06" moved by `delta` months ("2024-04" for -2). `month` must be valid.
std::string AddMonths(std::string_view month, int delta);
// "10s", "500ms", "1m", or a plain number of seconds.
absl::StatusOr<absl::Duration> ParseTimeout(std::string_view text);

}  // namespace cs::coachctl
