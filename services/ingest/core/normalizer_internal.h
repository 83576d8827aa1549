#pragma once

// Internal to the normalizer: shared context and helpers of the
// normalize_*.cc files.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/event.pb.h"
#include "services/ingest/core/normalizer.h"
#include "services/ingest/core/state_codec.h"

namespace cs::ingest::internal {

struct NormalizeContext {
  const Envelope& envelope;
  const NormalizerOptions& options;
  const Directory& directory;
  RecordStateStore& store;
  absl::Time now;
  bool retried = false;  // RawRecord::retried
  const std::string& tenant() const { return envelope.tenant_id; }
};

ItemOutcome MakeOutcome(OutcomeKind kind, std::string_view ref, Reason reason,
                        std::string message);
ItemOutcome ParkOutcome(std::string_view ref, const UserRef& who);
std::string Describe(const UserRef& who);

// By vendor user id first, then by e-mail; nullptr if unknown.
PersonPtr Resolve(const NormalizeContext& ctx, const UserRef& who);

// Whether a change must wait behind a version of its record parked for
// `pending` (none if empty): always on its first processing, even if the
// person was learned a moment ago (the parked version is about to be
// retried, and the adapter retries this one after it); when retried, only
// while the person is still unknown (known, the parked version is gone:
// dead-lettered, say).
bool MustWaitBehind(const NormalizeContext& ctx, const UserRef& pending);

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out);

// An Event with the common fields set and no payload.
coachstream::v1::Event BaseEvent(const NormalizeContext& ctx, std::string_view event_id,
                                 std::string_view rep_id, absl::Time occurred_at, System system,
                                 std::string_view source_ref);

absl::StatusOr<std::optional<SeenRecord>> LoadSeen(const NormalizeContext& ctx,
                                                   const std::string& key);

absl::StatusOr<ItemOutcome> NormalizeDeal(const NormalizeContext& ctx, const DealChange& change);
absl::StatusOr<ItemOutcome> NormalizeCall(const NormalizeContext& ctx, const CallObs& call);
absl::StatusOr<ItemOutcome> NormalizeMeeting(const NormalizeContext& ctx, const MeetingObs& m);
absl::StatusOr<ItemOutcome> NormalizePerson(const NormalizeContext& ctx, const PersonObs& p);

}  // namespace cs::ingest::internal
