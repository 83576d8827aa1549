#include "services/metrics/core/calendar_rules.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "libs/base/stable_hash.h"
#include "libs/base/status.h"
#include "services/metrics/core/agg_ops.h"
#include "services/metrics/core/deal_rules.h"
#include "services/metrics/core/time_util.h"

namespace cs::metrics {
namespace {

using coachstream::v1::Event;
using coachstream::v1::MeetingEvent;
using coachstream::v1::MeetingState;
using coachstream::v1::RepPeriodAgg;
using coachstream::v1::SessionState;

constexpr int32_t kMaxMeetingMinutes = 24 * 60;

// Eligible meetings an account claim remembers besides its first (see
// AccountFirstMeeting): the earliest ones. A rep meets one account a few
// dozen times a year at most; should more than this many of the earliest
// all stop qualifying, the account has no first meeting until a new one
// is applied.
constexpr int kMaxLaterMeetings = 32;

using coachstream::v1::AccountFirstMeeting;
using coachstream::v1::AccountMeeting;

// A meeting snapshot's content (a stable hash of its fields; MeetingEvent
// has no map fields, so equal snapshots serialise to equal bytes).
uint64_t ContentFingerprint(const MeetingEvent& e) {
  const uint64_t h = Fnv1a(e.SerializeAsString());
  return h == 0 ? 1 : h;  // 0 means "not recorded"
}

// Earliest first; ties by meeting id (any fixed order will do).
bool Before(const AccountMeeting& a, const AccountMeeting& b) {
  return a.start_at_s() != b.start_at_s() ? a.start_at_s() < b.start_at_s() : a.meeting_id() < b.meeting_id();
}

// A claim's meetings, earliest first: its first, then the later ones.
std::vector<AccountMeeting> Candidates(const Slot<AccountFirstMeeting>& slot) {
  std::vector<AccountMeeting> out;
  if (!slot.present) return out;
  AccountMeeting& first = out.emplace_back();
  first.set_meeting_id(slot.value.meeting_id());
  first.set_start_at_s(slot.value.start_at_s());
  out.insert(out.end(), slot.value.later().begin(), slot.value.later().end());
  return out;
}

// Writes `meetings` (earliest first) back as the claim: absent if empty,
// else the first and at most kMaxLaterMeetings after it.
void StoreCandidates(const std::vector<AccountMeeting>& meetings, Slot<AccountFirstMeeting>* slot) {
  slot->value.Clear();
  slot->present = !meetings.empty();
  if (meetings.empty()) return;
  slot->value.set_meeting_id(meetings[0].meeting_id());
  slot->value.set_start_at_s(meetings[0].start_at_s());
  const size_t later = std::min<size_t>(meetings.size() - 1, kMaxLaterMeetings);
  for (size_t i = 1; i <= later; ++i) *slot->value.add_later() = meetings[i];
}

// Credits of calendar items for one rep.
class RepCalendar {
 public:
  RepCalendar(Ledger& ledger, std::string_view tenant, std::string_view rep)
      : ledger_(ledger), tenant_(tenant), rep_(rep) {}

  // Held credit from the meeting's current fields (none for a linked 1:1).
  absl::Status CreditHeld(MeetingState* m) {
    if (m->status() != coachstream::v1::MEETING_STATUS_SCHEDULED || m->start_at_s() == 0) {
      return absl::OkStatus();
    }
    const bool customer = m->kind() == coachstream::v1::MEETING_KIND_CUSTOMER;
    const bool one_on_one =
        m->kind() == coachstream::v1::MEETING_KIND_ONE_ON_ONE && m->linked_session_id().empty();
    if (!customer && !one_on_one) return absl::OkStatus();
    CS_ASSIGN_OR_RETURN(int32_t day, ledger_.RepDay(tenant_, rep_, absl::FromUnixSeconds(m->start_at_s())));
    const int32_t minutes = one_on_one ? MeetingMinutes(*m) : 0;
    const int32_t first = customer && m->first() ? 1 : 0;
    CS_ASSIGN_OR_RETURN(AggRefs aggs, ledger_.Aggs(tenant_, rep_, day));
    aggs.ForEach(
        [&](RepPeriodAgg& a) { AddScheduled(&a, day, customer ? 1 : 0, one_on_one ? 1 : 0, minutes, first); });
    m->set_held_credit(customer ? coachstream::v1::CALENDAR_CREDIT_CUSTOMER_MEETING
                                : coachstream::v1::CALENDAR_CREDIT_ONE_ON_ONE);
    m->set_held_day(day);
    m->set_held_minutes(minutes);
    return absl::OkStatus();
  }

  absl::Status ReverseHeld(MeetingState* m) {
    if (m->held_credit() == coachstream::v1::CALENDAR_CREDIT_UNSPECIFIED) return absl::OkStatus();
    const bool customer = m->held_credit() == coachstream::v1::CALENDAR_CREDIT_CUSTOMER_MEETING;
    const int32_t first = customer && m->first() ? 1 : 0;
    CS_ASSIGN_OR_RETURN(AggRefs aggs, ledger_.Aggs(tenant_, rep_, m->held_day()));
    aggs.ForEach([&](RepPeriodAgg& a) {
      AddScheduled(&a, m->held_day(), customer ? -1 : 0, customer ? 0 : -1, -m->held_minutes(), -first);
    });
    m->clear_held_credit();
    m->clear_held_day();
    m->clear_held_minutes();
    return absl::OkStatus();
  }

  // Decides whether `m` (fields already updated; its held credit reversed)
  // is the rep's first meeting with its account: a scheduled customer
  // meeting not linked to a deal that is the earliest applied with its
  // domain (with no domain known, any such meeting). Taking the claim from
  // a later meeting moves that meeting's first-meeting credit here. A
  // meeting that stops qualifying (cancelled, moved to a deal) or moves
  // after the next one releases the claim to the next eligible meeting
  // with the account, which gets the credit.
  absl::Status UpdateFirst(std::string_view meeting_id, MeetingState* m, std::string_view old_domain) {
    const bool eligible = m->kind() == coachstream::v1::MEETING_KIND_CUSTOMER &&
                          m->status() == coachstream::v1::MEETING_STATUS_SCHEDULED && m->start_at_s() != 0 &&
                          !m->deal_linked();
    if (!old_domain.empty() && (old_domain != m->account_domain() || !eligible)) {
      CS_RETURN_IF_ERROR(Reclaim(old_domain, meeting_id, std::nullopt).status());
    }
    m->set_first(false);
    if (!eligible) return absl::OkStatus();
    if (m->account_domain().empty()) {
      m->set_first(true);
      return absl::OkStatus();
    }
    CS_ASSIGN_OR_RETURN(std::string first, Reclaim(m->account_domain(), meeting_id, m->start_at_s()));
    m->set_first(first == meeting_id);
    return absl::OkStatus();
  }

  absl::Status CreditBooked(MeetingState* m, const MeetingEvent& event) {
    if (m->kind() != coachstream::v1::MEETING_KIND_CUSTOMER ||
        m->status() == coachstream::v1::MEETING_STATUS_DECLINED || !HasTime(event.booked_at())) {
      return absl::OkStatus();
    }
    CS_ASSIGN_OR_RETURN(int32_t day, ledger_.RepDay(tenant_, rep_, ToTime(event.booked_at())));
    CS_RETURN_IF_ERROR(AddBooked(day, 1));
    m->set_booked_credited(true);
    m->set_booked_day(day);
    return absl::OkStatus();
  }

  absl::Status ReverseBooked(MeetingState* m) {
    if (!m->booked_credited()) return absl::OkStatus();
    CS_RETURN_IF_ERROR(AddBooked(m->booked_day(), -1));
    m->clear_booked_credited();
    m->clear_booked_day();
    return absl::OkStatus();
  }

  absl::Status AddSession(const SessionState& s, int sign) {
    CS_ASSIGN_OR_RETURN(AggRefs aggs, ledger_.Aggs(tenant_, rep_, s.day()));
    const bool micro = s.kind() == coachstream::v1::SESSION_KIND_MICRO_COACHING;
    aggs.ForEach([&](RepPeriodAgg& a) {
      a.set_session_minutes(a.session_minutes() + sign * s.minutes());
      if (micro) {
        a.set_sessions_micro(a.sessions_micro() + sign);
      } else {
        a.set_sessions_one_on_one(a.sessions_one_on_one() + sign);
      }
    });
    return absl::OkStatus();
  }

  // The session took place in meeting `meeting_id`: the meeting's own 1:1
  // credit, if any, gives way to the session.
  absl::Status Link(std::string_view meeting_id, std::string_view session_id) {
    CS_ASSIGN_OR_RETURN(Slot<MeetingState> * slot, ledger_.Meeting(tenant_, rep_, meeting_id));
    MeetingState* m = &slot->value;
    if (slot->present && m->linked_session_id() == session_id) return absl::OkStatus();
    m->set_linked_session_id(std::string(session_id));
    if (m->held_credit() == coachstream::v1::CALENDAR_CREDIT_ONE_ON_ONE) CS_RETURN_IF_ERROR(ReverseHeld(m));
    slot->present = true;
    ledger_.MarkDirty(slot);
    return absl::OkStatus();
  }

  absl::Status Unlink(std::string_view meeting_id, std::string_view session_id) {
    CS_ASSIGN_OR_RETURN(Slot<MeetingState> * slot, ledger_.Meeting(tenant_, rep_, meeting_id));
    MeetingState* m = &slot->value;
    if (!slot->present || m->linked_session_id() != session_id) return absl::OkStatus();
    m->clear_linked_session_id();
    if (m->seen()) {
      CS_RETURN_IF_ERROR(CreditHeld(m));
    } else {
      m->Clear();  // a placeholder only existed for the link
      slot->present = false;
    }
    ledger_.MarkDirty(slot);
    return absl::OkStatus();
  }

 private:
  static int32_t MeetingMinutes(const MeetingState& m) {
    if (m.end_at_s() <= m.start_at_s()) return 0;
    const int64_t minutes = (m.end_at_s() - m.start_at_s() + 30) / 60;
    return static_cast<int32_t>(std::min<int64_t>(minutes, kMaxMeetingMinutes));
  }

  // Takes `meeting_id` out of `domain`'s claim and, with a start, puts it
  // back in its place (its start may have moved); the first-meeting credit
  // moves to whichever meeting is first now, except that the caller sets
  // `meeting_id`'s own flag (its credit is being redone). The first's id,
  // empty if the account has none.
  absl::StatusOr<std::string> Reclaim(std::string_view domain, std::string_view meeting_id,
                                      std::optional<int64_t> start_at_s) {
    CS_ASSIGN_OR_RETURN(Slot<AccountFirstMeeting> * slot, ledger_.AccountFirst(tenant_, rep_, domain));
    std::vector<AccountMeeting> meetings = Candidates(*slot);
    const std::string old_first = meetings.empty() ? std::string() : meetings[0].meeting_id();
    auto it = std::find_if(meetings.begin(), meetings.end(),
                           [&](const AccountMeeting& a) { return a.meeting_id() == meeting_id; });
    const bool listed = it != meetings.end();
    if (listed) meetings.erase(it);
    if (!listed && !start_at_s.has_value()) return old_first;
    if (start_at_s.has_value()) {
      AccountMeeting self;
      self.set_meeting_id(std::string(meeting_id));
      self.set_start_at_s(*start_at_s);
      meetings.insert(std::lower_bound(meetings.begin(), meetings.end(), self, Before), std::move(self));
    }
    StoreCandidates(meetings, slot);
    ledger_.MarkDirty(slot);
    const std::string first = meetings.empty() ? std::string() : meetings[0].meeting_id();
    if (first != old_first) {
      if (!old_first.empty() && old_first != meeting_id) CS_RETURN_IF_ERROR(SetFirst(old_first, false));
      if (!first.empty() && first != meeting_id) CS_RETURN_IF_ERROR(SetFirst(first, true));
    }
    return first;
  }

  // Another meeting of the rep becomes, or stops being, the first with its
  // account: its held credit is redone with the flag.
  absl::Status SetFirst(std::string_view meeting_id, bool first) {
    CS_ASSIGN_OR_RETURN(Slot<MeetingState> * slot, ledger_.Meeting(tenant_, rep_, meeting_id));
    MeetingState* other = &slot->value;
    if (!slot->present || other->first() == first) return absl::OkStatus();
    CS_RETURN_IF_ERROR(ReverseHeld(other));
    other->set_first(first);
    CS_RETURN_IF_ERROR(CreditHeld(other));
    ledger_.MarkDirty(slot);
    return absl::OkStatus();
  }

  absl::Status AddBooked(int32_t day, int sign) {
    CS_ASSIGN_OR_RETURN(AggRefs aggs, ledger_.Aggs(tenant_, rep_, day));
    aggs.ForEach([&](RepPeriodAgg& a) { a.set_meetings_booked_calendar(a.meetings_booked_calendar() + sign); });
    return absl::OkStatus();
  }

  Ledger& ledger_;
  std::string_view tenant_;
  std::string_view rep_;
};

}  // namespace

absl::StatusOr<ApplyResult> ApplyMeetingEvent(Ledger& ledger, const Event& event, absl::Time t) {
  const MeetingEvent& e = event.meeting();
  CS_ASSIGN_OR_RETURN(Slot<MeetingState> * slot, ledger.Meeting(event.tenant_id(), event.rep_id(), e.meeting_id()));
  MeetingState* m = &slot->value;
  const int64_t t_us = absl::ToUnixMicros(t);
  const uint64_t fp = ContentFingerprint(e);
  // Applied before 2026-12-03, when ingest still versioned meetings by their
  // start: the stored version says nothing about modification times, so the
  // next snapshot replaces it whatever its occurred_at (a same-time one is
  // the old redelivery).
  const bool legacy = m->seen() && m->content_fp() == 0;
  if (m->seen() && t_us == m->occurred_at_us() && (legacy || m->content_fp() == fp)) {
    return ApplyResult::kDuplicate;  // this version again
  }
  if (m->seen() && !legacy && t_us < m->occurred_at_us()) return ApplyResult::kStale;

  RepCalendar calendar(ledger, event.tenant_id(), event.rep_id());
  CS_RETURN_IF_ERROR(calendar.ReverseHeld(m));
  CS_RETURN_IF_ERROR(calendar.ReverseBooked(m));
  const std::string old_domain = m->account_domain();
  m->set_seen(true);
  m->set_occurred_at_us(t_us);
  m->set_content_fp(fp);
  m->set_kind(e.kind());
  m->set_status(e.status());
  m->set_start_at_s(HasTime(e.start_at()) ? e.start_at().seconds() : 0);
  m->set_end_at_s(HasTime(e.end_at()) ? e.end_at().seconds() : 0);
  m->set_account_domain(e.account_domain());
  m->set_deal_linked(!e.deal_id().empty());
  CS_RETURN_IF_ERROR(calendar.UpdateFirst(e.meeting_id(), m, old_domain));
  CS_RETURN_IF_ERROR(calendar.CreditHeld(m));
  CS_RETURN_IF_ERROR(calendar.CreditBooked(m, e));
  slot->present = true;
  ledger.MarkDirty(slot);

  if (!e.deal_id().empty() && e.kind() == coachstream::v1::MEETING_KIND_CUSTOMER &&
      e.status() == coachstream::v1::MEETING_STATUS_SCHEDULED && HasTime(e.start_at())) {
    CS_RETURN_IF_ERROR(RecordDealActivity(ledger, event.tenant_id(), e.deal_id(), ToTime(e.start_at())));
  }
  return ApplyResult::kApplied;
}

absl::StatusOr<ApplyResult> ApplySessionEvent(Ledger& ledger, const Event& event, absl::Time t) {
  const coachstream::v1::CoachingSessionEvent& e = event.coaching_session();
  CS_ASSIGN_OR_RETURN(Slot<SessionState> * slot, ledger.Session(event.tenant_id(), event.rep_id(), e.session_id()));
  RepCalendar calendar(ledger, event.tenant_id(), event.rep_id());
  const SessionState old = slot->value;
  if (old.credited()) CS_RETURN_IF_ERROR(calendar.AddSession(old, -1));
  const std::string& new_link = e.deleted() ? std::string() : e.calendar_meeting_id();
  if (!old.calendar_meeting_id().empty() && old.calendar_meeting_id() != new_link) {
    CS_RETURN_IF_ERROR(calendar.Unlink(old.calendar_meeting_id(), e.session_id()));
  }
  ledger.MarkDirty(slot);
  if (e.deleted()) {
    slot->value.Clear();
    slot->present = false;
    return ApplyResult::kApplied;
  }
  SessionState& s = slot->value;
  CS_ASSIGN_OR_RETURN(int32_t day, ledger.RepDay(event.tenant_id(), event.rep_id(), t));
  s.set_kind(e.kind());
  s.set_credited(true);
  s.set_day(day);
  s.set_minutes(std::max(0, e.duration_minutes()));
  s.set_calendar_meeting_id(new_link);
  CS_RETURN_IF_ERROR(calendar.AddSession(s, +1));
  if (!new_link.empty()) CS_RETURN_IF_ERROR(calendar.Link(new_link, e.session_id()));
  slot->present = true;
  return ApplyResult::kApplied;
}

}  // namespace cs::metrics
