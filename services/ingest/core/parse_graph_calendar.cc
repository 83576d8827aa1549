// Microsoft Graph v1.0: one event resource, or a list/delta page {"value":
// [...]} whose deleted items are {"id", "@removed": {...}}. Graph dateTimes
// carry no offset: the zone is in timeZone ("UTC", IANA or Windows names).

#include <string>

#include "libs/base/status.h"
#include "services/ingest/core/parser_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {
namespace {

Response ResponseOf(std::string_view s) {
  if (s == "accepted") return Response::kAccepted;
  if (s == "declined") return Response::kDeclined;
  if (s == "tentativelyAccepted") return Response::kTentative;
  if (s == "none" || s == "notResponded") return Response::kNeedsAction;
  if (s == "organizer") return Response::kOrganizer;
  return Response::kUnknown;
}

std::optional<absl::Time> GraphTime(const json::Obj& e, std::string_view key) {
  std::optional<json::Obj> t = e.ReqObject(key);
  if (!t) return std::nullopt;
  std::string_view dt = t->ReqStr("dateTime");
  std::string_view zone = t->Str("timeZone").value_or("UTC");
  if (!e.errors()->ok()) return std::nullopt;
  std::optional<absl::Time> at = ParseLocalDateTime(dt, zone);
  if (!at) at = ParseRfc3339(dt);  // some producers add an offset anyway
  if (!at) {
    t->Fail(Reason::kInvalidValue, "dateTime",
            "not a date-time in zone \"" + std::string(zone.substr(0, 64)) + "\"");
  }
  return at;
}

std::string Address(const json::Obj& holder) {
  std::optional<json::Obj> email = holder.Object("emailAddress");
  return email ? Lower(email->Str("address").value_or("")) : std::string();
}

void ReadAttendees(const json::Obj& e, MeetingObs* m) {
  if (std::optional<json::Arr> attendees = e.Array("attendees")) {
    attendees->ForEachObject([&](const json::Obj& a, size_t) {
      Attendee at;
      at.email = Address(a);
      at.resource = a.Str("type").value_or("") == "resource";
      if (std::optional<json::Obj> status = a.Object("status")) {
        at.response = ResponseOf(status->Str("response").value_or(""));
      }
      if (!at.email.empty()) m->attendees.push_back(std::move(at));
    });
  }
  if (std::optional<json::Obj> org = e.Object("organizer")) {
    std::string email = Address(*org);
    bool listed = false;
    for (Attendee& a : m->attendees) {
      if (a.email == email) listed = a.organizer = true;
    }
    if (!listed && !email.empty()) {
      m->attendees.push_back(Attendee{email, Response::kOrganizer, false, true});
    }
  }
}

void GraphEvent(const json::Obj& e, ParseContext& ctx) {
  MeetingObs m;
  m.system = System::kMicrosoftGraph;
  if (e.Has("resourceData") != json::Presence::kAbsent ||
      e.Has("lifecycleEvent") != json::Presence::kAbsent) {
    ctx.out->push_back(Ignored{"notification", Reason::kHydrationRequired,
                               "change notifications carry ids only: send the event resource"});
    return;
  }
  m.meeting_id = std::string(e.ReqStr("id"));
  m.source_ref = "event/" + m.meeting_id;
  if (e.Has("@removed") != json::Presence::kAbsent) {
    m.state = MeetingState::kCancelled;
    m.minimal = true;
    m.event_id = "graph:" + m.meeting_id + ":removed";
    if (e.errors()->ok()) ctx.out->push_back(std::move(m));
    return;
  }
  if (e.Str("type").value_or("") == "seriesMaster") {
    if (e.errors()->ok()) {
      ctx.out->push_back(Ignored{m.source_ref, Reason::kUnsupportedChange,
                                 "series master: occurrences are ingested one by one"});
    }
    return;
  }
  if (e.Bool("isCancelled").value_or(false)) m.state = MeetingState::kCancelled;
  m.series_id = std::string(e.Str("seriesMasterId").value_or(""));
  m.all_day = e.Bool("isAllDay").value_or(false);
  m.start_at = GraphTime(e, "start");
  m.end_at = GraphTime(e, "end");
  m.created_at = TimeField(e, "createdDateTime");
  std::optional<absl::Time> modified = TimeField(e, "lastModifiedDateTime");
  m.version = modified ? ToMillis(*modified) : 0;
  ReadAttendees(e, &m);
  // @odata.etag is W/"<changeKey>": both forms give the same event id.
  std::string version(e.Str("changeKey").value_or(e.Str("@odata.etag").value_or("")));
  if (version.rfind("W/", 0) == 0) version.erase(0, 2);
  std::erase(version, '"');
  if (version.empty()) version = std::to_string(m.version);
  m.event_id = "graph:" + m.meeting_id + ":" + version;
  if (e.errors()->ok()) ctx.out->push_back(std::move(m));
}

}  // namespace

absl::Status ParseGraphCalendar(simdjson::dom::element root, ParseContext& ctx) {
  json::Errors errors;
  CS_ASSIGN_OR_RETURN(json::Obj obj, RootObject(root, &errors));
  if (obj.Has("value") == json::Presence::kAbsent) {
    GraphEvent(obj, ctx);
    return errors.status();
  }
  std::optional<json::Arr> items = obj.ReqArray("value");
  CS_RETURN_IF_ERROR(errors.status());
  ForEachItem(*items, "value", ctx, [&](const json::Obj& e) { GraphEvent(e, ctx); });
  return absl::OkStatus();
}

}  // namespace cs::ingest::internal
