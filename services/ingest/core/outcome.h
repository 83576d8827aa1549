#pragma once

// What the ingest core decided for one raw record: one ItemOutcome per vendor
// item (a HubSpot batch, a Gong page or a calendar page holds several).
//
// What the adapter does with each kind:
//   kEmit        produce `events` to coaching.events.v1 (key EventKey()) and
//                `directory_updates` to org.directory.v1 (key PersonKey();
//                tombstone = null value). With `watch` set (a meeting
//                credited to the participants the directory knows, while
//                another internal one is unknown): also keep the record
//                like a parked one and reprocess it when the directory
//                learns a person matching ParkKeys(watch), so that they
//                are credited too; after the adapter's watch timeout it
//                is dropped, not dead-lettered (the item was emitted).
//   kDuplicate   count only: the same source event was already emitted.
//   kStale       count only: older than the stored state on every field.
//   kSkip        count only (and log at debug): understood, nothing to emit;
//                `reason` says why (test payload, not a call, no owner yet...).
//   kPark        a person in `unresolved` is not (yet) in the directory. Keep
//                the WHOLE record and reprocess it when the directory learns a
//                person matching ParkKeys(unresolved) (see ParkKeysFor); after
//                the park timeout, dead-letter it with reason
//                unresolved_identity. Reprocessing is idempotent: items that
//                were emitted come back as kDuplicate.
//   kDeadLetter  the item can never be processed: produce the ORIGINAL record
//                to dlq.v1 with `reason` (ReasonCode) and `message`.
// If several items of one record dead-letter, one DLQ record (first reason)
// is enough: replaying it reprocesses the whole record idempotently.

#include <string>
#include <string_view>
#include <vector>

#include "coachstream/v1/event.pb.h"
#include "coachstream/v1/person.pb.h"
#include "services/ingest/core/observation.h"
#include "services/ingest/core/reason.h"

namespace cs::ingest {

enum class OutcomeKind { kEmit, kDuplicate, kStale, kSkip, kPark, kDeadLetter };

// "emit", "duplicate", "stale", "skip", "park", "dead_letter": counter labels.
std::string_view OutcomeName(OutcomeKind kind);

struct DirectoryUpdate {
  coachstream::v1::Person person;
  bool tombstone = false;  // the person was deleted: produce a null value
};

struct ItemOutcome {
  OutcomeKind kind = OutcomeKind::kSkip;
  std::string source_ref;  // vendor record, e.g. "opportunity/0065...", "items[2]"
  std::vector<coachstream::v1::Event> events;         // kEmit
  std::vector<DirectoryUpdate> directory_updates;     // kEmit (HR feed)
  Reason reason = Reason::kNone;  // kSkip, kPark, kDeadLetter (kStale/kDuplicate: kNone)
  std::string message;            // readable; names the field or the identity
  UserRef unresolved;             // kPark: who is unknown
  UserRef watch;                  // kEmit: who was left out, unknown (see above)

  // The person the adapter keeps the record for: `unresolved` of a kPark
  // item, `watch` of an emitted one; empty if none.
  const UserRef& WaitsFor() const { return kind == OutcomeKind::kPark ? unresolved : watch; }
};

struct RecordOutcome {
  // The record's tenant (ce_tenantid); empty if the envelope did not parse.
  std::string tenant;
  std::vector<ItemOutcome> items;

  bool HasPark() const;
  // The adapter keeps the record for a person: an item is parked, or an
  // emitted one waits to credit someone (ItemOutcome::watch).
  bool Kept() const;
  // The first dead-letter item, or nullptr.
  const ItemOutcome* FirstDeadLetter() const;
};

// Kafka keys: "tenant/rep_id" and "tenant/person_id".
std::string EventKey(const coachstream::v1::Event& event);
std::string PersonKey(const coachstream::v1::Person& person);

// Index keys for parked records: "<tenant>|<system>|<user_id>" and/or
// "<tenant>|email|<email>". ParkKeysFor(person) yields every key under which
// a record parked for this person was filed, so the adapter retries exactly
// those records when the person appears in org.directory.v1.
std::vector<std::string> ParkKeys(std::string_view tenant, const UserRef& unresolved);
std::vector<std::string> ParkKeysFor(const coachstream::v1::Person& person);

}  // namespace cs::ingest
