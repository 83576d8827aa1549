#pragma once

// Calendar and coaching-session rules (see DRIVERS.md):
//  - A meeting snapshot replaces the previous one (newer occurred_at wins);
//    its credits (held on the start day, booked on the booked day) are
//    reversed and re-made, so reschedules and cancellations move exactly.
//  - A logged coaching session with calendar_meeting_id M and the calendar
//    1:1 meeting M count once, as the session, whichever arrives first: the
//    session links M (a placeholder MeetingState if M is not seen yet) and
//    a linked 1:1 carries no credit of its own. Withdrawing the session
//    unlinks M and the 1:1 counts again.

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "coachstream/v1/event.pb.h"
#include "services/metrics/core/apply_result.h"
#include "services/metrics/core/ledger.h"

namespace cs::metrics {

absl::StatusOr<ApplyResult> ApplyMeetingEvent(Ledger& ledger, const coachstream::v1::Event& event,
                                              absl::Time t);
absl::StatusOr<ApplyResult> ApplySessionEvent(Ledger& ledger, const coachstream::v1::Event& event,
                                              absl::Time t);

}  // namespace cs::metrics
