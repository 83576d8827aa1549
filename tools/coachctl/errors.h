#pragma once

// Exit statuses and the one-line error of coachctl, for scripts:
//   0 ok, 1 other error, 2 usage error, 3 not found, 4 invalid argument
//   (from the server), 5 unavailable or timed out.
// Errors print "coachctl: <command>: <gRPC code>: <message>" on stderr.

#include <string>

#include "absl/status/status.h"

namespace cs::coachctl {

enum ExitCode : int {
  kExitOk = 0,
  kExitOther = 1,
  kExitUsage = 2,
  kExitNotFound = 3,
  kExitInvalidArgument = 4,
  kExitUnavailable = 5,
};

// A usage error found after parsing (a flag value coachctl checks itself):
// exit status 2, printed as "coachctl: <command>: usage: <message>".
absl::Status UsageStatus(absl::string_view message);
bool IsUsage(const absl::Status& status);

int ExitCodeFor(const absl::Status& status);
// "coachctl: <command>: NOT_FOUND: <message>" (no newline). `command` may
// be empty.
std::string ErrorLine(const std::string& command, const absl::Status& status);

}  // namespace cs::coachctl
