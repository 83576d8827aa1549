#pragma once

// The normalizer: parsed observations -> canonical coachstream.v1 events.
// Resolves vendor identities through the Directory, merges partial deal
// updates with the last known state (RecordStateStore), orders and dedups by
// source version / event id, and classifies meetings. Pure apart from the
// ports; one instance per thread (ports shared as their contracts allow).
//
// Decisions (FORMATS.md has the full list):
// - Deal fields merge independently: each field keeps the source version that
//   last set it, and an update changes a field only if its version is
//   strictly newer. An older update arriving late still fills fields nothing
//   newer has touched; if it changes nothing it is kStale. The emitted
//   snapshot's source_version is the highest version merged so far, raised
//   to one above the previous emission when that is not higher, so every
//   new snapshot of a deal has a strictly greater version (metrics applies
//   a snapshot only if it is newer than the stored one).
// - Deal events are credited to the owner after the change; on an owner
//   change a copy goes to the previous owner (event_id + "/handoff") so the
//   previous owner's partition learns the deal left.
// - Meetings are credited to every internal participant found in the
//   directory (organizer included); 1:1s are emitted for both people with
//   counterpart_id = the other one (for the report: their manager).

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/base/clock.h"
#include "services/ingest/core/outcome.h"
#include "services/ingest/core/payload_parser.h"
#include "services/ingest/core/ports.h"
#include "services/ingest/core/stage_map.h"

namespace cs::ingest {

struct NormalizerOptions {
  // Vendor stage labels -> DealStage. Default: Salesforce + HubSpot defaults.
  StageMap stages = StageMap::Defaults();
  // On an owner change, also emit the deal to the previous owner. Default on.
  bool emit_owner_handoff = true;
  // How long a parked record waits for its person before the adapter
  // dead-letters it (--park_timeout); a deal's changes wait behind its
  // parked owner change that long at most (see FORMATS.md).
  absl::Duration park_timeout = absl::Hours(6);
};

// Whether the directory knows `who`, the person a record was parked for
// (ParkKeys): by vendor user id or e-mail, or for a meeting parked on its
// domains anyone of one of them. The adapter retries a record parked for
// a known person at once.
bool Knows(const Directory& directory, std::string_view tenant, const UserRef& who);

class Normalizer {
 public:
  // The ports must outlive the normalizer.
  Normalizer(NormalizerOptions options, const Directory& directory, RecordStateStore& store,
             const Clock& clock);

  // One ItemOutcome per observation. An error status means a port failed
  // (the store), never bad input: the adapter retries the record or stops.
  // `retried`: see RawRecord.
  absl::StatusOr<RecordOutcome> Normalize(const ParsedRecord& record, bool retried = false);

 private:
  NormalizerOptions options_;
  const Directory& directory_;
  RecordStateStore& store_;
  const Clock& clock_;
};

// Parser + normalizer for one raw record: parse failures become a single
// kDeadLetter item carrying the parser's reason. One per thread.
class IngestPipeline {
 public:
  IngestPipeline(ParseOptions parse_options, NormalizerOptions options,
                 const Directory& directory, RecordStateStore& store, const Clock& clock);
  absl::StatusOr<RecordOutcome> Process(const RawRecord& record);

 private:
  PayloadParser parser_;
  Normalizer normalizer_;
};

}  // namespace cs::ingest
