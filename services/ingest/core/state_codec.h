#pragma once

// What the normalizer keeps in the RecordStateStore, its keys and its
// byte encoding (versioned; owned by the core so adapters store opaque bytes).
//
// Keys: "<kind>/<tenant>/<system>/<vendor id>", kind d=deal, l=line item ->
// opportunity, c=call, m=meeting, p=person. Tenant ids contain no '/'.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "coachstream/v1/event.pb.h"
#include "services/ingest/core/observation.h"

namespace cs::ingest {

std::string StateKey(char kind, std::string_view tenant, System system, std::string_view id);

// Deal fields that merge independently (each keeps the version that set it).
enum DealField : int {
  kFieldName = 0,
  kFieldOwner,
  kFieldStage,
  kFieldAmount,
  kFieldCurrency,
  kFieldCloseDate,
  kFieldCreatedAt,
  kFieldIsClosed,
  kFieldIsWon,
  kFieldDiscount,
  kFieldLifecycle,  // created / deleted / undeleted
  kDealFieldCount,
};

// The last known full state of a deal.
struct DealState {
  // Full snapshot; change, previous_* and changed_fields are left empty.
  coachstream::v1::DealEvent snapshot;
  // Per field: the source version that last set it (0 = never set). An
  // update applies to a field only if its version is strictly greater.
  std::array<int64_t, kDealFieldCount> versions{};
  // The source_version of the last emitted snapshot. Emissions are numbered
  // strictly increasing per deal (see NextEmittedVersion), so that two
  // different snapshots never share a version downstream.
  int64_t emitted_version = 0;
  bool deleted = false;
  // The most recent applied event ids (newest last, at most kRecentEvents):
  // a redelivery is reported as a duplicate, not as stale.
  std::vector<std::string> recent_event_ids;
  static constexpr size_t kRecentEvents = 16;
  // The owner (vendor user id, in the deal's system) named by a change that
  // is parked because the directory does not know them yet; empty if none.
  // Changes without an owner that come after it wait behind it (parked
  // under the same person) so the deal's changes are emitted in order.
  std::string pending_owner_user_id;
  int64_t pending_owner_since_us = 0;  // when that change was first parked
};

std::string EncodeDealState(const DealState& state);
absl::StatusOr<DealState> DecodeDealState(std::string_view bytes);

// Calls, meetings and persons: the last emitted version of the record.
struct SeenRecord {
  // Source ms; 0 if the source has none. A meeting deleted before it was
  // seen: the service's clock when the deletion came.
  int64_t version = 0;
  std::string event_id;      // of the last emission
  int32_t kind = 0;          // meetings: MeetingKind of the last emission
  int64_t start_ms = 0;      // meetings: start of the last emission
  std::vector<std::string> person_ids;  // meetings: who was credited
  // Meetings: the person a version of the meeting is parked for (empty if
  // none). A cancellation that comes meanwhile waits behind it, so the
  // meeting is booked and then cancelled downstream, as it happened.
  UserRef pending;
  // Meetings: the last emission left out an internal participant the
  // directory did not know (ItemOutcome::watch); when its record is
  // retried because the directory learned them, it is classified again
  // instead of being a duplicate.
  bool partial = false;
};

std::string EncodeSeenRecord(const SeenRecord& record);
absl::StatusOr<SeenRecord> DecodeSeenRecord(std::string_view bytes);

}  // namespace cs::ingest
