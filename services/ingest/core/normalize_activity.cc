// Calls and meetings: identity resolution, dedup/ordering by the source's
// version, meeting classification and crediting.

#include <algorithm>
#include <map>
#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/normalizer_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {
namespace {

using coachstream::v1::MeetingKind;
using coachstream::v1::MeetingStatus;

// Duplicate (same event id) or stale (older version) against the last
// emission of the record; nullopt if the observation is new.
std::optional<ItemOutcome> CheckSeen(const std::optional<SeenRecord>& seen,
                                     const std::string& event_id, int64_t version,
                                     std::string_view ref) {
  if (!seen) return std::nullopt;
  if (seen->event_id == event_id) {
    return MakeOutcome(OutcomeKind::kDuplicate, ref, Reason::kNone,
                       "event " + event_id + " was already emitted");
  }
  if (version != 0 && version < seen->version) {
    return MakeOutcome(OutcomeKind::kStale, ref, Reason::kNone,
                       "version " + std::to_string(version) + " is older than " +
                           std::to_string(seen->version));
  }
  return std::nullopt;
}

void FillCall(const CallObs& c, coachstream::v1::CallEvent* call) {
  call->set_call_id(c.call_id);
  call->set_direction(static_cast<coachstream::v1::CallDirection>(c.direction));
  call->set_duration_ms(c.duration_ms);
  call->set_connected(c.connected);
  call->set_outcome(c.outcome);
  call->set_deal_id(c.deal_id);
  call->set_external_participants(c.external_participants);
  call->set_meeting_booked(c.meeting_booked);
  coachstream::v1::CallStats* s = call->mutable_stats();
  if (c.talk_ratio) s->set_talk_ratio(*c.talk_ratio);
  if (c.longest_monologue_s) s->set_longest_monologue_s(*c.longest_monologue_s);
  if (c.question_rate_per_hour) s->set_question_rate_per_hour(*c.question_rate_per_hour);
  if (c.interactivity) s->set_interactivity(*c.interactivity);
  if (c.patience_ms) s->set_patience_ms(*c.patience_ms);
  if (c.has_next_step) s->set_has_next_step(*c.has_next_step);
}

// One person a meeting is credited to.
struct Credit {
  PersonPtr person;
  Response response = Response::kUnknown;
  std::string counterpart_id;
};

struct Classified {
  std::vector<Credit> credits;
  int32_t external = 0;
  MeetingKind kind = coachstream::v1::MEETING_KIND_INTERNAL;
  UserRef unresolved;  // an internal participant missing from the directory
  std::string account_domain;  // the external attendees' most common account (AccountOf)
};

std::string_view DomainOf(std::string_view email) {
  size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

// Consumer mailbox providers: their domain names a person, not a company, so
// such an attendee's account is their own address (two prospects on gmail
// are two accounts, not one).
bool IsPersonalMailDomain(std::string_view domain) {
  static constexpr std::string_view kDomains[] = {
      "163.com",      "aol.com",     "gmail.com",     "gmx.de",      "gmx.net",    "googlemail.com",
      "hotmail.com",  "icloud.com",  "live.com",      "mail.ru",     "me.com",     "msn.com",
      "outlook.com",  "proton.me",   "protonmail.com", "qq.com",     "web.de",     "yahoo.com",
      "yandex.ru",
  };
  return std::find(std::begin(kDomains), std::end(kDomains), domain) != std::end(kDomains);
}

// The account an external attendee belongs to: their e-mail domain, or for a
// personal mailbox their address.
std::string_view AccountOf(std::string_view email) {
  const std::string_view domain = DomainOf(email);
  return IsPersonalMailDomain(domain) ? email : domain;
}

// Splits attendees into external ones and internal people in the directory;
// a 1:1 is exactly two participants, one the other's manager.
Classified Classify(const NormalizeContext& ctx, const MeetingObs& m) {
  Classified out;
  int participants = 0;
  std::map<std::string_view, int> external_domains;  // ordered: ties go to the first
  for (const Attendee& a : m.attendees) {
    if (a.resource) continue;
    ++participants;
    if (!ctx.directory.IsInternalDomain(ctx.tenant(), DomainOf(a.email))) {
      ++out.external;
      if (!DomainOf(a.email).empty()) ++external_domains[AccountOf(a.email)];
      continue;
    }
    PersonPtr p = ctx.directory.FindByEmail(ctx.tenant(), a.email);
    if (!p) {
      if (out.unresolved.empty() || a.organizer) out.unresolved = UserRef{m.system, "", a.email};
      continue;
    }
    bool dup = std::any_of(out.credits.begin(), out.credits.end(), [&](const Credit& c) {
      return c.person->person_id() == p->person_id();
    });
    if (!dup) out.credits.push_back(Credit{p, a.response, ""});
  }
  int most = 0;
  for (const auto& [domain, n] : external_domains) {
    if (n > most) most = n, out.account_domain = std::string(domain);
  }
  if (out.external > 0) {
    out.kind = coachstream::v1::MEETING_KIND_CUSTOMER;
  } else if (participants == 2 && out.credits.size() == 2) {
    Credit& a = out.credits[0];
    Credit& b = out.credits[1];
    if (a.person->manager_id() == b.person->person_id() ||
        b.person->manager_id() == a.person->person_id()) {
      out.kind = coachstream::v1::MEETING_KIND_ONE_ON_ONE;
      a.counterpart_id = b.person->person_id();
      b.counterpart_id = a.person->person_id();
    }
  }
  return out;
}

// When the source reported the record: its CloudEvents time (the
// connector's), else the ingest time. The stand-in for a modification time
// a payload lacks: unlike the ingest time it is the same when the raw
// topic is read again later (a replay), so versions keep their order
// against the modification times of the others.
absl::Time ReportedAt(const NormalizeContext& ctx) { return ctx.envelope.time.value_or(ctx.now); }

// A meeting event is a snapshot of one version of the meeting, and metrics
// keeps the latest by occurred_at (services/metrics/core/DRIVERS.md): it is
// the version's modification time, not the start (which is start_at). A
// cancellation or a decline keeps the start, so with the start as its
// occurred_at metrics took it for the version it already had. A version
// without a modification time (Google's minimal cancellations) gets the
// time it was reported.
absl::Time VersionTime(const NormalizeContext& ctx, const MeetingObs& m) {
  return m.version > 0 ? absl::FromUnixMillis(m.version) : ReportedAt(ctx);
}

coachstream::v1::Event MeetingEvent(const NormalizeContext& ctx, const MeetingObs& m,
                                    const std::string& person_id, MeetingKind kind,
                                    MeetingStatus status, std::optional<absl::Time> start,
                                    int32_t external, const std::string& counterpart,
                                    std::string_view account_domain) {
  coachstream::v1::Event ev =
      BaseEvent(ctx, m.event_id + "/" + person_id, person_id, VersionTime(ctx, m), m.system, m.source_ref);
  coachstream::v1::MeetingEvent* mt = ev.mutable_meeting();
  mt->set_meeting_id(m.meeting_id);
  mt->set_kind(kind);
  mt->set_status(status);
  if (start) SetTimestamp(*start, mt->mutable_start_at());
  if (m.end_at) SetTimestamp(*m.end_at, mt->mutable_end_at());
  if (m.created_at) SetTimestamp(*m.created_at, mt->mutable_booked_at());
  mt->set_external_attendees(external);
  mt->set_counterpart_id(counterpart);
  mt->set_series_id(m.series_id);
  mt->set_deal_id(m.deal_id);
  mt->set_account_domain(std::string(account_domain));
  return ev;
}

// Parks a version of the meeting (`park`, a kPark outcome) and remembers
// whom for on its seen record: a cancellation arriving meanwhile waits
// behind it (CancelKnown).
absl::StatusOr<ItemOutcome> ParkMeeting(const NormalizeContext& ctx, const std::string& key,
                                        const std::optional<SeenRecord>& seen, ItemOutcome park) {
  SeenRecord marked = seen.value_or(SeenRecord());
  if (!seen || marked.pending != park.unresolved) {
    marked.pending = park.unresolved;
    CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeSeenRecord(marked)));
  }
  return park;
}

// A deletion marker: cancel the meeting for everyone it was credited to.
absl::StatusOr<ItemOutcome> CancelKnown(const NormalizeContext& ctx, const MeetingObs& m,
                                        std::optional<SeenRecord> seen, const std::string& key) {
  if (seen && MustWaitBehind(ctx, seen->pending)) {
    // A version of the meeting is parked (its creation, say, until the
    // organiser is known): the cancellation is parked for the same person
    // and retried after it (offset order), so downstream sees the meeting
    // booked, then cancelled, whenever the HR feed lands.
    ItemOutcome out = ParkOutcome(m.source_ref, seen->pending);
    out.message = "cancellation of meeting " + m.meeting_id + " waits for its parked version (" +
                  Describe(seen->pending) + " not in the org directory yet)";
    return out;
  }
  if (!seen || seen->person_ids.empty()) {
    // Remembered: the meeting's creation may still come (parked until its
    // organiser is known, or late), and must not count once it does. A
    // marker without a modification time is versioned with the time it
    // was reported: CheckSeen then finds any version modified before it
    // stale, and one modified after it (a restore) new, also when the raw
    // topic is read again long after.
    SeenRecord tombstone = seen.value_or(SeenRecord());
    tombstone.pending = UserRef();
    tombstone.event_id = m.event_id;
    tombstone.version = std::max({tombstone.version, m.version, absl::ToUnixMillis(ReportedAt(ctx))});
    CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeSeenRecord(tombstone)));
    return MakeOutcome(OutcomeKind::kSkip, m.source_ref, Reason::kUnknownRecord,
                       "cancellation of meeting " + m.meeting_id +
                           " which was never seen (remembered: an earlier version arriving later is not counted)");
  }
  ItemOutcome out = MakeOutcome(OutcomeKind::kEmit, m.source_ref, Reason::kNone, "");
  std::optional<absl::Time> start;
  if (seen->start_ms != 0) start = absl::FromUnixMillis(seen->start_ms);
  for (const std::string& pid : seen->person_ids) {
    out.events.push_back(MeetingEvent(ctx, m, pid, static_cast<MeetingKind>(seen->kind),
                                      coachstream::v1::MEETING_STATUS_CANCELLED, start, 0, "", ""));
  }
  seen->event_id = m.event_id;
  seen->version = std::max(seen->version, m.version);
  CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeSeenRecord(*seen)));
  return out;
}

MeetingStatus StatusFor(const MeetingObs& m, Response response) {
  if (m.state == MeetingState::kCancelled) return coachstream::v1::MEETING_STATUS_CANCELLED;
  if (response == Response::kDeclined) return coachstream::v1::MEETING_STATUS_DECLINED;
  return coachstream::v1::MEETING_STATUS_SCHEDULED;
}

}  // namespace

absl::StatusOr<ItemOutcome> NormalizeCall(const NormalizeContext& ctx, const CallObs& c) {
  std::string key = StateKey('c', ctx.tenant(), c.system, c.call_id);
  CS_ASSIGN_OR_RETURN(std::optional<SeenRecord> seen, LoadSeen(ctx, key));
  if (std::optional<ItemOutcome> stop = CheckSeen(seen, c.event_id, c.version, c.source_ref)) {
    return std::move(*stop);
  }
  PersonPtr rep = Resolve(ctx, c.rep);
  if (!rep) return ParkOutcome(c.source_ref, c.rep);
  ItemOutcome out = MakeOutcome(OutcomeKind::kEmit, c.source_ref, Reason::kNone, "");
  coachstream::v1::Event ev =
      BaseEvent(ctx, c.event_id, rep->person_id(), c.occurred_at, c.system, c.source_ref);
  FillCall(c, ev.mutable_call());
  out.events.push_back(std::move(ev));
  SeenRecord next;
  next.version = std::max(c.version, seen ? seen->version : 0);
  next.event_id = c.event_id;
  CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeSeenRecord(next)));
  return out;
}

absl::StatusOr<ItemOutcome> NormalizeMeeting(const NormalizeContext& ctx, const MeetingObs& m) {
  std::string key = StateKey('m', ctx.tenant(), m.system, m.meeting_id);
  CS_ASSIGN_OR_RETURN(std::optional<SeenRecord> seen, LoadSeen(ctx, key));
  if (std::optional<ItemOutcome> stop = CheckSeen(seen, m.event_id, m.version, m.source_ref)) {
    // This version, emitted while one of its internal participants was not
    // in the directory, retried because the directory learned them: it is
    // classified again (they are credited; a 1:1 may be recognised now).
    const bool reclassify = ctx.retried && seen->partial && seen->event_id == m.event_id;
    if (!reclassify) return std::move(*stop);
  }
  if (m.minimal) return CancelKnown(ctx, m, std::move(seen), key);
  Classified cls;
  if (!m.owner.empty()) {  // Salesforce Event: the owner, no attendee list
    PersonPtr owner = Resolve(ctx, m.owner);
    if (!owner) return ParkMeeting(ctx, key, seen, ParkOutcome(m.source_ref, m.owner));
    cls.credits.push_back(Credit{owner, Response::kUnknown, ""});
    cls.external = m.external_hint;
    cls.kind = m.external_hint > 0 ? coachstream::v1::MEETING_KIND_CUSTOMER
                                   : coachstream::v1::MEETING_KIND_INTERNAL;
  } else {
    cls = Classify(ctx, m);
  }
  if (cls.credits.empty()) {
    if (!cls.unresolved.empty()) {
      return ParkMeeting(ctx, key, seen, ParkOutcome(m.source_ref, cls.unresolved));
    }
    // No participant's domain is internal. Usually the directory has not
    // loaded anyone of this org yet (calendar read before the HR feed):
    // park until someone of one of these domains is learned; after the park
    // timeout it is dead-lettered as unresolved_identity like any other.
    UserRef who;
    for (const Attendee& a : m.attendees) {
      if (a.resource || a.email.empty()) continue;
      if (who.email.empty() || a.organizer) who.email = a.email;
      std::string domain(DomainOf(a.email));
      if (!domain.empty() && std::find(who.park_domains.begin(), who.park_domains.end(), domain) ==
                                 who.park_domains.end()) {
        who.park_domains.push_back(std::move(domain));
      }
    }
    if (!who.email.empty()) {
      who.system = m.system;
      ItemOutcome out = ParkOutcome(m.source_ref, who);
      out.message = "meeting " + m.meeting_id + " has no internal participant (yet)";
      return ParkMeeting(ctx, key, seen, std::move(out));
    }
    return MakeOutcome(OutcomeKind::kDeadLetter, m.source_ref, Reason::kUnresolvedIdentity,
                       "meeting " + m.meeting_id + " has no participant");
  }
  ItemOutcome out = MakeOutcome(OutcomeKind::kEmit, m.source_ref, Reason::kNone, "");
  // An internal participant the directory does not know (yet) is left out
  // for now; the record is kept and retried once they are learned (a new
  // hire whose HR record comes after their first meetings, the HR feed
  // still loading). Addresses that never appear (shared mailboxes,
  // contractors) are simply dropped after the adapter's watch timeout.
  out.watch = cls.unresolved;
  if (!out.watch.empty()) {
    out.message = "meeting " + m.meeting_id + " credited without " + Describe(out.watch) +
                  ", not in the org directory yet";
  }
  SeenRecord next;
  next.version = std::max(m.version, seen ? seen->version : 0);
  next.event_id = m.event_id;
  next.partial = !cls.unresolved.empty();
  next.kind = cls.kind;
  next.start_ms = m.start_at ? ToMillis(*m.start_at) : 0;
  for (const Credit& c : cls.credits) {
    const std::string& pid = c.person->person_id();
    out.events.push_back(MeetingEvent(ctx, m, pid, cls.kind, StatusFor(m, c.response), m.start_at,
                                      cls.external, c.counterpart_id, cls.account_domain));
    next.person_ids.push_back(pid);
  }
  // People credited before but no longer invited: the meeting is off for them.
  for (const std::string& pid : seen ? seen->person_ids : std::vector<std::string>()) {
    if (std::find(next.person_ids.begin(), next.person_ids.end(), pid) != next.person_ids.end()) {
      continue;
    }
    out.events.push_back(MeetingEvent(ctx, m, pid, cls.kind,
                                      coachstream::v1::MEETING_STATUS_CANCELLED, m.start_at,
                                      cls.external, "", cls.account_domain));
  }
  CS_RETURN_IF_ERROR(ctx.store.Put(key, EncodeSeenRecord(next)));
  return out;
}

}  // namespace cs::ingest::internal
