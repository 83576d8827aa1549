#include "tools/coachctl/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace cs::coachctl {
namespace {
constexpr char kUsagePayload[] = "type.coachstream.dev/coachctl.usage";
}

absl::Status UsageStatus(absl::string_view message) {
  absl::Status s = absl::InvalidArgumentError(message);
  s.SetPayload(kUsagePayload, absl::Cord("1"));
  return s;
}

bool IsUsage(const absl::Status& status) { return status.GetPayload(kUsagePayload).has_value(); }

int ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return kExitOk;
  if (IsUsage(status)) return kExitUsage;
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return kExitNotFound;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return kExitInvalidArgument;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return kExitUnavailable;
    default:
      return kExitOther;
  }
}

std::string ErrorLine(const std::string& command, const absl::Status& status) {
  std::string message(status.message());
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  const std::string code = IsUsage(status) ? "usage" : absl::StatusCodeToString(status.code());
  return absl::StrCat("coachctl: ", command, command.empty() ? "" : ": ", code, ": ", message);
}

}  // namespace cs::coachctl
