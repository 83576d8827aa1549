#pragma once

// Vendor-neutral observations: what the parsers extract from one payload,
// before identities are resolved and partial updates merged. Plain structs
// (no protobuf) so the parser library stays small and fuzzable.
//
// Identities are UNRESOLVED here: a UserRef names a vendor user id and/or an
// e-mail; the Normalizer maps it to a person through the Directory.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/ingest/core/reason.h"

namespace cs::ingest {

// Same numbering as coachstream.v1.SourceSystem.
enum class System {
  kUnspecified = 0,
  kSalesforce = 1,
  kHubspot = 2,
  kGong = 3,
  kSalesloft = 4,
  kOutreach = 5,
  kGoogleCalendar = 6,
  kMicrosoftGraph = 7,
  kHrFeed = 8,
};

// "salesforce", "hubspot", "gong", "salesloft", "outreach", "google",
// "microsoft", "hr" (the keys of the HR record's system_ids object).
std::string_view SystemName(System system);

// A person as a vendor knows them. Either field may be empty, not both.
struct UserRef {
  System system = System::kUnspecified;
  std::string user_id;  // vendor user id in `system`
  std::string email;    // lower-cased
  // Parking only: e-mail domains none of which the directory knows as
  // internal yet (a meeting read before anyone of its org was loaded); the
  // first person learned in any of them releases the record.
  std::vector<std::string> park_domains = {};
  bool empty() const { return user_id.empty() && email.empty(); }
  bool operator==(const UserRef&) const = default;
};

// One field of a partial update: absent (the payload did not carry it), null
// (the payload cleared it) or a value.
template <typename T>
class Patch {
 public:
  Patch() = default;
  static Patch Null() {
    Patch p;
    p.state_ = State::kNull;
    return p;
  }
  static Patch Of(T value) {
    Patch p;
    p.state_ = State::kValue;
    p.value_ = std::move(value);
    return p;
  }
  bool present() const { return state_ != State::kAbsent; }
  bool is_null() const { return state_ == State::kNull; }
  bool has_value() const { return state_ == State::kValue; }
  const T& value() const { return value_; }  // only if has_value()

 private:
  enum class State { kAbsent, kNull, kValue };
  State state_ = State::kAbsent;
  T value_{};
};

// Same numbering as coachstream.v1.ChangeKind.
enum class Change { kCreated = 1, kUpdated = 2, kDeleted = 3, kUndeleted = 4, kGap = 5 };

// A change to an opportunity/deal (or to one of its line items), carrying only
// the fields the payload carried.
struct DealChange {
  System system = System::kUnspecified;
  std::string deal_id;       // empty for a line item whose opportunity is not in the payload
  std::string line_item_id;  // set for OpportunityLineItem changes
  Change change = Change::kUpdated;
  // Monotonic per record at the source: Salesforce commitNumber, HubSpot
  // occurredAt / updatedAt (ms). Orders updates; see DealState.
  int64_t version = 0;
  absl::Time occurred_at = absl::InfinitePast();
  std::string event_id;      // deterministic from the source identity
  std::string source_ref;    // "opportunity/0065...", "deal/1985..."
  Patch<std::string> name;
  Patch<std::string> owner_user_id;  // vendor user id in `system`
  Patch<std::string> stage_label;
  Patch<int64_t> amount_minor;       // in the payload's currency (2 decimals if unknown)
  Patch<std::string> currency;
  Patch<absl::CivilDay> close_date;
  Patch<absl::Time> created_at;
  Patch<bool> is_closed;
  Patch<bool> is_won;
  Patch<int32_t> discount_bps;       // line items: percent * 100
};

// Same numbering as coachstream.v1.CallDirection.
enum class Direction { kUnspecified = 0, kOutbound = 1, kInbound = 2, kConference = 3 };

// A finished (logged or recorded) call. Metadata only: parsers never copy
// transcripts, recordings, notes or snippets.
struct CallObs {
  System system = System::kUnspecified;
  std::string call_id;
  std::string event_id;
  std::string source_ref;
  int64_t version = 0;       // ms of the source's last-modified time; 0 if none
  UserRef rep;
  absl::Time occurred_at = absl::InfinitePast();  // call start (or completion if unknown)
  Direction direction = Direction::kUnspecified;
  int64_t duration_ms = 0;
  bool connected = false;
  std::string outcome;
  std::string deal_id;
  std::optional<double> talk_ratio;
  std::optional<int32_t> longest_monologue_s;
  std::optional<double> question_rate_per_hour;
  std::optional<double> interactivity;
  std::optional<int32_t> patience_ms;
  std::optional<bool> has_next_step;
  int32_t external_participants = 0;
  bool meeting_booked = false;
};

enum class Response { kUnknown, kAccepted, kTentative, kDeclined, kNeedsAction, kOrganizer };

struct Attendee {
  std::string email;  // lower-cased
  Response response = Response::kUnknown;
  bool resource = false;   // a room or equipment: never a participant
  bool organizer = false;
};

enum class MeetingState { kConfirmed, kTentative, kCancelled };

// A calendar event (or Salesforce Event). A deletion marker (Google minimal
// cancelled object, Graph @removed) has `minimal` set and no attendees.
struct MeetingObs {
  System system = System::kUnspecified;
  std::string meeting_id;
  std::string series_id;
  std::string event_id;      // per meeting version; the normalizer appends "/<person_id>"
  std::string source_ref;
  int64_t version = 0;       // ms of the last-modified time; 0 if none
  MeetingState state = MeetingState::kConfirmed;
  bool minimal = false;
  bool all_day = false;
  std::optional<absl::Time> start_at;
  std::optional<absl::Time> end_at;
  std::optional<absl::Time> created_at;
  std::vector<Attendee> attendees;  // the organizer too, flagged
  // Salesforce Event: the owner is the person credited, and WhoId pointing to
  // a contact or lead counts as one external attendee.
  UserRef owner;
  int32_t external_hint = 0;
  std::string deal_id;
};

struct QuotaObs {
  std::string period;  // "2024-06", "2024-Q2"
  int64_t amount_minor = 0;
  std::string currency;
};

// One HR/org feed record (see FORMATS.md).
struct PersonObs {
  std::string person_id;
  std::string event_id;
  std::string display_name;
  std::vector<std::string> emails;  // lower-cased, primary first
  std::vector<std::pair<System, std::string>> system_ids;
  std::string manager_id;
  int role = 0;  // coachstream.v1.Role number
  std::string segment;
  std::vector<QuotaObs> quotas;
  std::optional<absl::CivilDay> start_date;
  std::string time_zone;
  bool active = true;
  bool deleted = false;
  absl::Time updated_at = absl::InfinitePast();
};

// The parser understood the item but there is nothing to emit (see Reason).
struct Ignored {
  std::string source_ref;
  Reason reason = Reason::kNone;
  std::string message;
};

// One item of a page/batch that failed to parse; the other items go on.
struct Rejected {
  std::string source_ref;
  absl::Status status;  // carries a Reason (ReasonOf)
};

using Observation = std::variant<DealChange, CallObs, MeetingObs, PersonObs, Ignored, Rejected>;

}  // namespace cs::ingest
