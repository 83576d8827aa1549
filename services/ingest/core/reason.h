#pragma once

// Reason codes for ingest records that are rejected, parked or not emitted.
// The strings are stable: they appear in dlq.v1 headers, in park/skip logs and
// as the low-cardinality `reason` label of the adapter's counters.

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace cs::ingest {

enum class Reason {
  kNone = 0,
  // Dead-letter: the record can never be processed as it is.
  kInvalidJson,        // not JSON, truncated, trailing garbage
  kMissingField,       // a required field or header is absent, null or empty
  kWrongType,          // a field has the wrong JSON type
  kInvalidValue,       // right type, impossible value (bad date, negative duration)
  kUnsupportedType,    // unknown ce_type, entity, event name or content mode
  kTooLarge,           // value over the size limit, or nested too deeply
  kInvalidUtf8,        // value or header is not valid UTF-8
  kMissingTenant,      // no (valid) ce_tenantid
  kUnresolvedIdentity, // park: a person is not (yet) in the directory
  kUnknownParent,      // line item whose opportunity is unknown
  kGapUnknownRecord,   // Salesforce GAP_* for a record never seen: re-read it
  kInternal,           // a bug: a status without a reason code
  // Skip: nothing to emit, counted and logged, not an error.
  kTestPayload,        // the vendor marked the delivery as a test
  kNotACall,           // a Salesforce Task that is not a call
  kHydrationRequired,  // id-only webhook: the connector must send the full record
  kNoRelevantFields,   // the change touches no field coachstream uses
  kNoOwner,            // the deal has no owner yet: state kept, nothing credited
  kUnknownRecord,      // deletion/cancellation of a record never seen
  kUnsupportedChange,  // a change kind coachstream does not act on
};

// "invalid_json", "missing_field", ... ; "none" for kNone.
std::string_view ReasonCode(Reason reason);

// An InvalidArgument status carrying `reason` as a payload; the message should
// name the field, e.g. "payload.ChangeEventHeader.recordIds: expected array".
absl::Status IngestError(Reason reason, std::string_view message);

// The reason carried by `status`: kNone for OK, kInternal if it has none.
Reason ReasonOf(const absl::Status& status);

}  // namespace cs::ingest
