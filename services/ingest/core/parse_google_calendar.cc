// Google Calendar API v3: one Event resource, or an events.list page
// (incremental sync: deleted events are minimal {"id", "status":"cancelled"}).

#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/parser_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {
namespace {

Response ResponseOf(std::string_view s) {
  if (s == "accepted") return Response::kAccepted;
  if (s == "declined") return Response::kDeclined;
  if (s == "tentative") return Response::kTentative;
  if (s == "needsAction") return Response::kNeedsAction;
  return Response::kUnknown;
}

// start/end: {"dateTime": RFC 3339} or {"date": "YYYY-MM-DD"} (all-day, at
// 00:00 in the event's or the calendar's zone, UTC if neither is known).
std::optional<absl::Time> EventTime(const json::Obj& e, std::string_view key,
                                    std::string_view calendar_zone, bool* all_day) {
  std::optional<json::Obj> t = e.ReqObject(key);
  if (!t) return std::nullopt;
  std::string_view zone = t->Str("timeZone").value_or(calendar_zone);
  if (std::optional<std::string_view> dt = t->Str("dateTime")) {
    std::optional<absl::Time> at = ParseRfc3339(*dt);
    if (!at && !zone.empty()) at = ParseLocalDateTime(*dt, zone);
    if (!at) t->Fail(Reason::kInvalidValue, "dateTime", "not an RFC 3339 time");
    return at;
  }
  if (std::optional<std::string_view> d = t->Str("date")) {
    std::optional<absl::CivilDay> day = ParseDate(*d);
    if (!day) {
      t->Fail(Reason::kInvalidValue, "date", "not a YYYY-MM-DD date");
      return std::nullopt;
    }
    *all_day = true;
    std::optional<absl::TimeZone> tz = LookupZone(zone.empty() ? "UTC" : zone);
    return absl::FromCivil(*day, tz.value_or(absl::UTCTimeZone()));
  }
  t->Fail(Reason::kMissingField, "dateTime", "neither dateTime nor date is present");
  return std::nullopt;
}

void ReadAttendees(const json::Obj& e, MeetingObs* m) {
  if (std::optional<json::Arr> attendees = e.Array("attendees")) {
    attendees->ForEachObject([&](const json::Obj& a, size_t) {
      Attendee at;
      at.email = Lower(a.Str("email").value_or(""));
      at.response = ResponseOf(a.Str("responseStatus").value_or(""));
      at.resource = a.Bool("resource").value_or(false) ||
                    at.email.ends_with("@resource.calendar.google.com");
      at.organizer = a.Bool("organizer").value_or(false);
      if (!at.email.empty()) m->attendees.push_back(std::move(at));
    });
  }
  if (std::optional<json::Obj> org = e.Object("organizer")) {
    std::string email = Lower(org->Str("email").value_or(""));
    bool listed = false;
    for (Attendee& a : m->attendees) {
      if (a.email == email) listed = a.organizer = true;
    }
    if (!listed && !email.empty()) {
      m->attendees.push_back(Attendee{email, Response::kOrganizer, false, true});
    }
  }
}

void GoogleEvent(const json::Obj& e, std::string_view calendar_zone, ParseContext& ctx) {
  MeetingObs m;
  m.system = System::kGoogleCalendar;
  m.meeting_id = std::string(e.ReqStr("id"));
  m.source_ref = "event/" + m.meeting_id;
  std::string_view status = e.Str("status").value_or("confirmed");
  std::string_view type = e.Str("eventType").value_or("default");
  if (type == "outOfOffice" || type == "focusTime" || type == "workingLocation" ||
      type == "birthday") {
    if (e.errors()->ok()) {
      ctx.out->push_back(Ignored{m.source_ref, Reason::kUnsupportedChange,
                                 "eventType " + std::string(type) + " is not a meeting"});
    }
    return;
  }
  if (status == "cancelled") m.state = MeetingState::kCancelled;
  else if (status == "tentative") m.state = MeetingState::kTentative;
  else if (status != "confirmed") e.Fail(Reason::kInvalidValue, "status", "unknown status");
  m.series_id = std::string(e.Str("recurringEventId").value_or(""));
  std::optional<absl::Time> updated = TimeField(e, "updated");
  m.version = updated ? ToMillis(*updated) : 0;
  m.created_at = TimeField(e, "created");
  m.minimal = m.state == MeetingState::kCancelled && e.Has("start") == json::Presence::kAbsent;
  if (!m.minimal) {
    m.start_at = EventTime(e, "start", calendar_zone, &m.all_day);
    m.end_at = EventTime(e, "end", calendar_zone, &m.all_day);
    ReadAttendees(e, &m);
  }
  std::string version(e.Str("etag").value_or(""));
  std::erase(version, '"');
  if (version.empty()) version = std::to_string(m.version);
  m.event_id = "gcal:" + m.meeting_id + ":" + version;
  if (e.errors()->ok()) ctx.out->push_back(std::move(m));
}

}  // namespace

absl::Status ParseGoogleCalendar(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj obj, RootObject(root, &errors));
  if (obj.Has("items") == json::Presence::kAbsent &&
      obj.Str("kind").value_or("") != "calendar#events") {
    GoogleEvent(obj, "", ctx);
    return errors.status();
  }
  std::string zone(obj.Str("timeZone").value_or(""));
  std::optional<json::Arr> items = obj.ReqArray("items");
  CS_RETURN_IF_ERROR(errors.status());
  ForEachItem(*items, "items", ctx, [&](const json::Obj& e) { GoogleEvent(e, zone, ctx); });
  return absl::OkStatus();
}

}  // namespace cs::ingest::internal
