// Helpers shared by the vendor parsers (parser_internal.h).

#include <cctype>
#include <string>

#include "services/ingest/core/parser_internal.h"
#include "services/ingest/core/time_parse.h"

namespace cs::ingest::internal {

absl::StatusOr<json::Obj> RootObject(simdjson::dom::element root, json::Errors* errors) {
  simdjson::dom::object o;
  if (root.get_object().get(o) != simdjson::SUCCESS) {
    return IngestError(Reason::kWrongType,
                       "value: expected object, got " + std::string(json::TypeName(root)));
  }
  return json::Obj(o, "", errors);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsCi(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool ContainsCi(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (EqualsCi(haystack.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

bool InferConnected(std::string_view label, int64_t duration_ms) {
  if (label.empty()) return duration_ms >= 30000;
  std::string lower = Lower(label);
  for (std::string_view no : {"no answer", "not connected", "unanswered", "not answered",
                              "voicemail", "voice mail", "busy", "wrong number", "left message",
                              "left live message", "failed", "no_answer", "gatekeeper"}) {
    if (lower.find(no) != std::string::npos) return false;
  }
  for (std::string_view yes : {"connect", "answered", "spoke", "conversation", "interested",
                               "meeting"}) {
    if (lower.find(yes) != std::string::npos) return true;
  }
  return duration_ms >= 30000;
}

bool MeansMeetingBooked(std::string_view label) {
  return ContainsCi(label, "meeting_booked") || ContainsCi(label, "meeting booked") ||
         ContainsCi(label, "meeting set") || ContainsCi(label, "meeting scheduled");
}

uint64_t Fingerprint(std::string_view data) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string Hex(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[i] = kDigits[v & 0xF];
  return out;
}

std::optional<absl::Time> TimeField(const json::Obj& obj, std::string_view key) {
  std::optional<simdjson::dom::element> e = obj.Get(key);
  if (!e) return std::nullopt;
  std::optional<absl::Time> t;
  std::string_view s;
  int64_t ms = 0;
  if (e->get_string().get(s) == simdjson::SUCCESS) {
    t = ParseRfc3339(s);
    if (!t) t = ParseEpochMillisString(s);
  } else if (e->get_int64().get(ms) == simdjson::SUCCESS) {
    t = FromEpochMillis(ms);
  } else {
    obj.Fail(Reason::kWrongType, key,
             "expected RFC 3339 string or epoch millis, got " + std::string(json::TypeName(*e)));
    return std::nullopt;
  }
  if (!t) obj.Fail(Reason::kInvalidValue, key, "not a valid RFC 3339 time or epoch millis");
  return t;
}

absl::Time ReqTimeField(const json::Obj& obj, std::string_view key) {
  std::optional<absl::Time> t = TimeField(obj, key);
  if (t) return *t;
  if (obj.errors()->ok()) obj.Fail(Reason::kMissingField, key, "required time is missing");
  return absl::InfinitePast();
}

std::optional<absl::CivilDay> DateField(const json::Obj& obj, std::string_view key) {
  std::optional<simdjson::dom::element> e = obj.Get(key);
  if (!e) return std::nullopt;
  std::string_view s;
  int64_t ms = 0;
  std::optional<absl::Time> t;
  if (e->get_string().get(s) == simdjson::SUCCESS) {
    if (std::optional<absl::CivilDay> d = ParseDate(s)) return d;
    t = ParseEpochMillisString(s);
  } else if (e->get_int64().get(ms) == simdjson::SUCCESS) {
    t = FromEpochMillis(ms);
  } else {
    obj.Fail(Reason::kWrongType, key,
             "expected date string or epoch millis, got " + std::string(json::TypeName(*e)));
    return std::nullopt;
  }
  if (!t) {
    obj.Fail(Reason::kInvalidValue, key, "not a valid date (YYYY-MM-DD or epoch millis)");
    return std::nullopt;
  }
  return absl::ToCivilDay(*t, absl::UTCTimeZone());
}

namespace {
template <typename T, typename Read>
Patch<T> MakePatch(const json::Obj& obj, std::string_view key, bool null_is_unchanged,
                   Read read) {
  switch (obj.Has(key)) {
    case json::Presence::kAbsent: return Patch<T>();
    case json::Presence::kNull: return null_is_unchanged ? Patch<T>() : Patch<T>::Null();
    case json::Presence::kPresent: break;
  }
  std::optional<T> v = read();
  return v ? Patch<T>::Of(std::move(*v)) : Patch<T>();
}
}  // namespace

Patch<std::string> StrPatch(const json::Obj& obj, std::string_view key, bool null_is_unchanged) {
  return MakePatch<std::string>(obj, key, null_is_unchanged, [&]() -> std::optional<std::string> {
    std::optional<std::string_view> s = obj.Str(key);
    if (!s) return std::nullopt;
    return std::string(*s);
  });
}

Patch<bool> BoolPatch(const json::Obj& obj, std::string_view key, bool null_is_unchanged) {
  return MakePatch<bool>(obj, key, null_is_unchanged, [&] { return obj.Bool(key); });
}

Patch<absl::CivilDay> DatePatch(const json::Obj& obj, std::string_view key,
                                bool null_is_unchanged) {
  return MakePatch<absl::CivilDay>(obj, key, null_is_unchanged, [&] { return DateField(obj, key); });
}

Patch<absl::Time> TimePatch(const json::Obj& obj, std::string_view key, bool null_is_unchanged) {
  return MakePatch<absl::Time>(obj, key, null_is_unchanged, [&] { return TimeField(obj, key); });
}

}  // namespace cs::ingest::internal

namespace cs::ingest {

std::string_view SystemName(System system) {
  switch (system) {
    case System::kSalesforce: return "salesforce";
    case System::kHubspot: return "hubspot";
    case System::kGong: return "gong";
    case System::kSalesloft: return "salesloft";
    case System::kOutreach: return "outreach";
    case System::kGoogleCalendar: return "google";
    case System::kMicrosoftGraph: return "microsoft";
    case System::kHrFeed: return "hr";
    case System::kUnspecified: break;
  }
  return "unspecified";
}

}  // namespace cs::ingest
