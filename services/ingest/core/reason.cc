#include "services/ingest/core/reason.h"

#include <array>
#include <optional>
#include <string>

#include "absl/strings/cord.h"

namespace cs::ingest {
namespace {

constexpr char kPayloadUrl[] = "type.coachstream.dev/ingest.reason";

struct Entry {
  Reason reason;
  std::string_view code;
};

constexpr std::array kCodes = {
    Entry{Reason::kNone, "none"},
    Entry{Reason::kInvalidJson, "invalid_json"},
    Entry{Reason::kMissingField, "missing_field"},
    Entry{Reason::kWrongType, "wrong_type"},
    Entry{Reason::kInvalidValue, "invalid_value"},
    Entry{Reason::kUnsupportedType, "unsupported_type"},
    Entry{Reason::kTooLarge, "too_large"},
    Entry{Reason::kInvalidUtf8, "invalid_utf8"},
    Entry{Reason::kMissingTenant, "missing_tenant"},
    Entry{Reason::kUnresolvedIdentity, "unresolved_identity"},
    Entry{Reason::kUnknownParent, "unknown_parent"},
    Entry{Reason::kGapUnknownRecord, "gap_unknown_record"},
    Entry{Reason::kInternal, "internal"},
    Entry{Reason::kTestPayload, "test_payload"},
    Entry{Reason::kNotACall, "not_a_call"},
    Entry{Reason::kHydrationRequired, "hydration_required"},
    Entry{Reason::kNoRelevantFields, "no_relevant_fields"},
    Entry{Reason::kNoOwner, "no_owner"},
    Entry{Reason::kUnknownRecord, "unknown_record"},
    Entry{Reason::kUnsupportedChange, "unsupported_change"},
};

}  // namespace

std::string_view ReasonCode(Reason reason) {
  for (const Entry& e : kCodes) {
    if (e.reason == reason) return e.code;
  }
  return "internal";
}

absl::Status IngestError(Reason reason, std::string_view message) {
  absl::Status status(absl::StatusCode::kInvalidArgument,
                      absl::string_view(message.data(), message.size()));
  std::string_view code = ReasonCode(reason);
  status.SetPayload(kPayloadUrl, absl::Cord(absl::string_view(code.data(), code.size())));
  return status;
}

Reason ReasonOf(const absl::Status& status) {
  if (status.ok()) return Reason::kNone;
  auto payload = status.GetPayload(kPayloadUrl);  // absl::optional on Debian
  if (!payload) return Reason::kInternal;
  std::string code(*payload);
  for (const Entry& e : kCodes) {
    if (e.code == code) return e.reason;
  }
  return Reason::kInternal;
}

}  // namespace cs::ingest
