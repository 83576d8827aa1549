#pragma once

// coachctl's entry point as a function: parse, resolve the configuration,
// run one command against the services, print, and return the exit status
// (errors.h). main() only passes argv, the real environment and the
// standard streams, so tests can drive it against in-process fakes.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "coachstream/v1/coaching_service.pb.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "tools/coachctl/args.h"
#include "tools/coachctl/client.h"
#include "tools/coachctl/config.h"

namespace cs::coachctl {

struct RunOptions {
  EnvLookup env;                       // COACHCTL_* lookup
  absl::Time now = absl::InfinitePast();  // InfinitePast = the real clock
};

// `args` excludes the program name.
int Run(const std::vector<std::string>& args, const RunOptions& options, std::ostream& out, std::ostream& err);

// What one command needs.
struct CommandContext {
  const Invocation& inv;
  const Config& config;
  Client& client;
  std::ostream& out;
  absl::Time now;
};

// The 1:1 pack command (pack_command.cc).
absl::Status RunPack(CommandContext& ctx);

// Calls shared by several commands (commands.cc), for the month of the config.
// The rep's drivers and the benchmarks of their peer group (role, segment).
absl::Status FetchDrivers(CommandContext& ctx, const std::string& rep, coachstream::v1::RepDrivers* drivers,
                          std::vector<coachstream::v1::Benchmark>* benchmarks);
absl::StatusOr<coachstream::v1::RecommendFocusSkillResponse> FetchRecommendation(CommandContext& ctx,
                                                                                  const std::string& rep);
// nullopt when the rep has no plan for the month (NOT_FOUND).
absl::StatusOr<std::optional<coachstream::v1::CoachingPlan>> FetchPlan(CommandContext& ctx, const std::string& rep);

}  // namespace cs::coachctl
