#pragma once

// The coaching-session log: validation of LogSession, deterministic ids, and
// the canonical event the adapter publishes to coaching.events.v1 (key
// "tenant/rep_id") so the metrics service counts coaching received.
//
// Ids: a session without session_id gets "ses-<16 hex>" from its natural
// identity (tenant, rep, kind, coach, occurred_at, deal, calendar meeting),
// so a retried request maps to the same session. The event_id hashes the
// full content, so a retry publishes an event the metrics service collapses
// as a duplicate while a correction (same session, new duration) is a new
// event that replaces the session's credit there.

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "coachstream/v1/coaching_service.pb.h"
#include "coachstream/v1/event.pb.h"
#include "services/coaching/core/competency_library.h"
#include "services/coaching/core/options.h"

namespace cs::coaching {

// INVALID_ARGUMENT naming the field ("session.deal_id: required for micro-coaching").
// A withdrawal (session.deleted) needs only tenant_id, rep_id and
// session.session_id: the rest comes from the stored session.
absl::Status ValidateLogSession(const coachstream::v1::LogSessionRequest& request,
                                const CompetencyLibrary& library, const SessionOptions& options,
                                absl::Time now);

std::string DeterministicSessionId(const coachstream::v1::LogSessionRequest& request);

// The event for `record` (session_id set) as logged at `now`.
coachstream::v1::Event SessionEvent(std::string_view tenant_id, const coachstream::v1::SessionRecord& record,
                                    absl::Time now);

// The coaching.events.v1 key: "tenant/rep_id".
std::string EventKey(std::string_view tenant_id, std::string_view rep_id);

// 64-bit FNV-1a: stable across processes and builds (absl::Hash is not).
uint64_t StableHash(std::string_view bytes);

}  // namespace cs::coaching
