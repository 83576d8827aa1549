// Calendars: the Google Calendar v3 Event resource
// (fixtures/vendor/google_calendar_event.json) and the Microsoft Graph event
// (fixtures/vendor/msgraph_event.json), each as synced from the ORGANIZER's
// calendar only (Graph gives every mailbox its own event id, so syncing each
// attendee would count one meeting several times). Cancellations come as a
// full cancelled event, or as the minimal deletion marker of incremental
// sync (Google {"id","status":"cancelled"}, Graph {"id","@removed"}).

#include "absl/strings/str_format.h"
#include "tools/simulate/encoders.h"
#include "tools/simulate/ids.h"

namespace cs::simulate {
namespace {

struct Invitee {
  std::string email;
  std::string name;
  bool organizer = false;
  bool declined = false;
  bool external = false;
};

std::vector<Invitee> InviteesOf(const EncodeContext& ctx, const Meeting& m, int version) {
  std::vector<Invitee> out;
  for (int i : m.internal) {
    const Person& p = ctx.org.people[i];
    out.push_back({p.email, p.display_name(), i == m.organizer, version > 0 && m.declined_by == i, false});
  }
  if (m.account >= 0) {
    const Account& a = ctx.world.accounts[m.account];
    for (int c : m.contacts) {
      const Contact& ct = a.contacts[c];
      out.push_back({ct.email, ct.first_name + " " + ct.last_name, false, false, true});
    }
  }
  return out;
}

// Deletion markers for cancelled 1:1s and internal meetings; customer
// meetings are cancelled as full events.
bool MinimalCancel(const Meeting& m) { return m.kind != MeetingKind::kCustomer; }

absl::Time VersionTime(const Meeting& m, int version) { return version == 0 ? m.synced_at : m.changed_at; }

Json GoogleAttendees(const EncodeContext& ctx, int index, const Meeting& m, int version) {
  Json attendees = Json::array();
  for (const Invitee& i : InviteesOf(ctx, m, version)) {
    Json a = {{"email", i.email}, {"displayName", i.name}};
    if (i.organizer) {
      a["organizer"] = true;
      a["self"] = true;
    }
    a["responseStatus"] = i.declined ? "declined" : (i.external && index % 3 == 0 ? "needsAction" : "accepted");
    attendees.push_back(std::move(a));
  }
  return attendees;
}

// The full Event resource (everything but id/etag/status, set by the caller).
void GoogleBody(const EncodeContext& ctx, int index, const Meeting& m, int version, Json& v) {
  const Person& org = ctx.org.people[m.organizer];
  const absl::TimeZone tz = ZoneOf(org.time_zone);
  auto when = [&](absl::Time t) { return Json{{"dateTime", Rfc3339Local(t, tz, 0)}, {"timeZone", org.time_zone}}; };
  v["htmlLink"] = "https://www.google.com/calendar/event?eid=" + m.id;
  v["created"] = Rfc3339Ms(m.created_at);
  v["updated"] = Rfc3339Ms(VersionTime(m, version));
  v["summary"] = m.title;
  v["creator"] = {{"email", org.email}, {"self", true}};
  v["organizer"] = {{"email", org.email}, {"displayName", org.display_name()}, {"self", true}};
  v["start"] = when(m.start);
  v["end"] = when(m.end);
  if (!m.series_id.empty()) {
    v["recurringEventId"] = m.series_id;
    v["originalStartTime"] = when(m.start);
  }
  v["iCalUID"] = (m.series_id.empty() ? m.id : m.series_id) + "@google.com";
  v["sequence"] = version;
  v["eventType"] = "default";
  v["attendees"] = GoogleAttendees(ctx, index, m, version);
  v["reminders"] = {{"useDefault", true}};
}

SimRecord Google(const EncodeContext& ctx, int index, const Meeting& m, int version) {
  const absl::Time updated = VersionTime(m, version);
  const std::string etag = std::to_string(Millis(updated) * 1000 + index % 1000);
  const bool cancelled = version > 0 && m.cancelled;
  Json v = {{"kind", "calendar#event"}, {"etag", "\"" + etag + "\""}, {"id", m.id},
            {"status", cancelled ? "cancelled" : "confirmed"}};
  if (!cancelled || !MinimalCancel(m)) {
    GoogleBody(ctx, index, m, version, v);
  } else if (!m.series_id.empty()) {  // incremental sync's deletion marker
    const std::string& zone = ctx.org.people[m.organizer].time_zone;
    v["recurringEventId"] = m.series_id;
    v["originalStartTime"] = {{"dateTime", Rfc3339Local(m.start, ZoneOf(zone), 0)}, {"timeZone", zone}};
  }
  CeAttributes ce;
  ce.id = "gcal:" + m.id + ":" + etag;
  ce.source = "/connectors/google-calendar/domains/" + ctx.org.options.email_domain;
  ce.type = "com.google.calendar.event";
  ce.time = Rfc3339Ms(updated);
  ce.subject = "event/" + m.id;
  ce.tenant_id = ctx.org.options.tenant;
  return MakeRecord(kTopicCalendar, m.id, "google", std::move(ce), v);
}

// Windows zone names Graph uses with Prefer: outlook.timezone (mapped back
// by the ingest's time_parse.cc); UTC for other zones.
std::string WindowsZone(const std::string& iana) {
  if (iana == "America/New_York") return "Eastern Standard Time";
  if (iana == "America/Chicago") return "Central Standard Time";
  if (iana == "America/Denver") return "Mountain Standard Time";
  if (iana == "America/Los_Angeles") return "Pacific Standard Time";
  return "UTC";
}

// `iana` shown as UTC, or in its Windows name when `windows` is set.
Json GraphTime(absl::Time t, const std::string& iana, bool windows) {
  const std::string zone = windows ? WindowsZone(iana) : "UTC";
  const absl::TimeZone tz = zone == "UTC" ? absl::UTCTimeZone() : ZoneOf(iana);
  return {{"dateTime", absl::FormatTime("%Y-%m-%dT%H:%M:%E7S", t, tz)}, {"timeZone", zone}};
}

std::string GraphStamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E7SZ", t, absl::UTCTimeZone());
}

Json GraphAttendees(const EncodeContext& ctx, const Meeting& m, int version, absl::Time updated) {
  Json out = Json::array();
  for (const Invitee& i : InviteesOf(ctx, m, version)) {
    if (i.organizer) continue;  // Graph lists the organizer separately
    out.push_back({{"type", "required"},
                   {"status", {{"response", i.declined ? "declined" : "accepted"}, {"time", GraphStamp(updated)}}},
                   {"emailAddress", {{"name", i.name}, {"address", i.email}}}});
  }
  return out;
}

SimRecord Graph(const EncodeContext& ctx, int index, const Meeting& m, int version) {
  const Person& org = ctx.org.people[m.organizer];
  const absl::Time updated = VersionTime(m, version);
  const uint64_t salt = ctx.org.vendor.id_salt ^ 0x61;
  const std::string change_key = Base64Token(salt, static_cast<uint64_t>(index) * 4 + version, 26) + "==";
  const bool cancelled = version > 0 && m.cancelled;
  Json v;
  if (cancelled && MinimalCancel(m)) {
    v = {{"@odata.type", "#microsoft.graph.event"}, {"id", m.id}, {"@removed", {{"reason", "deleted"}}}};
  } else {
    const bool windows = index % 3 == 0;
    v = {{"@odata.etag", "W/\"" + change_key + "\""},
         {"id", m.id},
         {"createdDateTime", GraphStamp(m.created_at)},
         {"lastModifiedDateTime", GraphStamp(updated)},
         {"changeKey", change_key},
         {"categories", Json::array()},
         {"subject", m.title},
         {"isAllDay", false},
         {"isCancelled", cancelled},
         {"isOrganizer", true},
         {"responseRequested", true},
         {"seriesMasterId", m.series_id.empty() ? Json(nullptr) : Json(m.series_id)},
         {"showAs", "busy"},
         {"type", m.series_id.empty() ? "singleInstance" : "occurrence"},
         {"start", GraphTime(m.start, org.time_zone, windows)},
         {"end", GraphTime(m.end, org.time_zone, windows)},
         {"location", {{"displayName", "Microsoft Teams Meeting"}, {"locationType", "default"}}},
         {"attendees", GraphAttendees(ctx, m, version, updated)},
         {"organizer", {{"emailAddress", {{"name", org.display_name()}, {"address", org.email}}}}},
         {"isOnlineMeeting", true},
         {"onlineMeetingProvider", "teamsForBusiness"}};
  }
  CeAttributes ce;
  ce.id = "graph:" + m.id + ":" + (cancelled && MinimalCancel(m) ? "removed" : change_key);
  ce.source = "/connectors/microsoft-graph/tenants/" + ctx.org.vendor.microsoft_tenant_id;
  ce.type = "com.microsoft.graph.event";
  ce.time = Rfc3339Ms(updated);
  ce.subject = "event/" + m.id;
  ce.tenant_id = ctx.org.options.tenant;
  return MakeRecord(kTopicCalendar, m.id, "microsoft", std::move(ce), v);
}

}  // namespace

SimRecord EncodeMeeting(const EncodeContext& ctx, int meeting, int version) {
  const Meeting& m = ctx.world.meetings[meeting];
  return m.system == CalendarSystem::kGoogle ? Google(ctx, meeting, m, version)
                                             : Graph(ctx, meeting, m, version);
}

}  // namespace cs::simulate
