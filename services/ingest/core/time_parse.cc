#include "services/ingest/core/time_parse.h"

#include <array>
#include <charconv>
#include <map>
#include <mutex>
#include <string>

namespace cs::ingest {
namespace {

// Parses exactly `n` digits at `pos`.
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

struct Civil {
  absl::CivilSecond second;
  int64_t nanos = 0;
  size_t end = 0;  // index after the parsed part
};

// "YYYY-MM-DDTHH:MM:SS[.fraction]"; validates ranges.
std::optional<Civil> ParseCivilSecond(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' ||
      !Digits(s, 17, 2, &se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  absl::CivilSecond cs(y, mo, d, h, mi, se == 60 ? 59 : se);
  if (cs.day() != d) return std::nullopt;  // e.g. Feb 30 normalised away
  Civil out{cs, 0, 19};
  if (out.end < s.size() && s[out.end] == '.') {
    size_t i = out.end + 1;
    int64_t scale = 100000000;
    size_t start = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      out.nanos += (s[i] - '0') * scale;
      scale /= 10;
    }
    if (i == start) return std::nullopt;
    out.end = i;
  }
  return out;
}

// Windows time zone names seen in Microsoft Graph -> IANA (CLDR windowsZones,
// territory "001"). Extend as tenants need.
constexpr std::array<std::pair<std::string_view, std::string_view>, 44> kWindowsZones = {{
    {"AUS Eastern Standard Time", "Australia/Sydney"},
    {"Alaskan Standard Time", "America/Anchorage"},
    {"Arabian Standard Time", "Asia/Dubai"},
    {"Argentina Standard Time", "America/Buenos_Aires"},
    {"Atlantic Standard Time", "America/Halifax"},
    {"Cen. Australia Standard Time", "Australia/Adelaide"},
    {"Central America Standard Time", "America/Guatemala"},
    {"Central Europe Standard Time", "Europe/Budapest"},
    {"Central European Standard Time", "Europe/Warsaw"},
    {"Central Standard Time", "America/Chicago"},
    {"Central Standard Time (Mexico)", "America/Mexico_City"},
    {"China Standard Time", "Asia/Shanghai"},
    {"E. Australia Standard Time", "Australia/Brisbane"},
    {"E. Europe Standard Time", "Europe/Chisinau"},
    {"E. South America Standard Time", "America/Sao_Paulo"},
    {"Eastern Standard Time", "America/New_York"},
    {"Egypt Standard Time", "Africa/Cairo"},
    {"FLE Standard Time", "Europe/Kiev"},
    {"GMT Standard Time", "Europe/London"},
    {"GTB Standard Time", "Europe/Bucharest"},
    {"Greenwich Standard Time", "Atlantic/Reykjavik"},
    {"Hawaiian Standard Time", "Pacific/Honolulu"},
    {"India Standard Time", "Asia/Calcutta"},
    {"Israel Standard Time", "Asia/Jerusalem"},
    {"Korea Standard Time", "Asia/Seoul"},
    {"Mountain Standard Time", "America/Denver"},
    {"New Zealand Standard Time", "Pacific/Auckland"},
    {"Newfoundland Standard Time", "America/St_Johns"},
    {"Pacific SA Standard Time", "America/Santiago"},
    {"Pacific Standard Time", "America/Los_Angeles"},
    {"Romance Standard Time", "Europe/Paris"},
    {"Russian Standard Time", "Europe/Moscow"},
    {"SA Pacific Standard Time", "America/Bogota"},
    {"SE Asia Standard Time", "Asia/Bangkok"},
    {"Singapore Standard Time", "Asia/Singapore"},
    {"South Africa Standard Time", "Africa/Johannesburg"},
    {"Taipei Standard Time", "Asia/Taipei"},
    {"Tokyo Standard Time", "Asia/Tokyo"},
    {"Turkey Standard Time", "Europe/Istanbul"},
    {"US Eastern Standard Time", "America/Indianapolis"},
    {"US Mountain Standard Time", "America/Phoenix"},
    {"UTC", "UTC"},
    {"W. Australia Standard Time", "Australia/Perth"},
    {"W. Europe Standard Time", "Europe/Berlin"},
}};

// IANA names only ("America/Los_Angeles", "Etc/GMT+5"): cctz would treat a
// leading '/' or ':' as a file path, and names come from untrusted payloads.
bool SafeZoneName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.find("..") != std::string_view::npos) return false;
  if (!((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z'))) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+';
    if (!ok) return false;
  }
  return true;
}

std::string_view WindowsToIana(std::string_view name) {
  for (const auto& [win, iana] : kWindowsZones) {
    if (win == name) return iana;
  }
  return name;
}

}  // namespace

std::optional<absl::Time> ParseRfc3339(std::string_view text) {
  std::optional<Civil> civil = ParseCivilSecond(text);
  if (!civil) return std::nullopt;
  std::string_view rest = text.substr(civil->end);
  int offset_s = 0;
  if (rest == "Z" || rest == "z") {
    offset_s = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh, om;
    if (!Digits(rest, 1, 2, &oh) || !Digits(rest, 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_s = (oh * 3600 + om * 60) * (rest[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  absl::Time t = absl::FromCivil(civil->second, absl::UTCTimeZone());
  return t - absl::Seconds(offset_s) + absl::Nanoseconds(civil->nanos);
}

std::optional<absl::CivilDay> ParseDate(std::string_view text) {
  int y, m, d;
  if (text.size() < 10 || !Digits(text, 0, 4, &y) || text[4] != '-' || !Digits(text, 5, 2, &m) ||
      text[7] != '-' || !Digits(text, 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  if (text.size() > 10 && text[10] != 'T') return std::nullopt;
  absl::CivilDay day(y, m, d);
  if (day.day() != d) return std::nullopt;
  return day;
}

std::optional<absl::TimeZone> LookupZone(std::string_view zone_name) {
  static std::mutex mu;
  static std::map<std::string, std::optional<absl::TimeZone>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(zone_name); it != cache.end()) return it->second;
  if (cache.size() > 512) cache.clear();  // bounded: names come from payloads
  std::string iana(WindowsToIana(zone_name));
  absl::TimeZone tz;
  std::optional<absl::TimeZone> result;
  if (iana == "UTC" || iana == "Etc/UTC") {
    result = absl::UTCTimeZone();
  } else if (SafeZoneName(iana) && absl::LoadTimeZone(iana, &tz)) {
    result = tz;
  }
  cache.emplace(std::string(zone_name), result);
  return result;
}

std::optional<absl::Time> ParseLocalDateTime(std::string_view text, std::string_view zone_name) {
  std::optional<Civil> civil = ParseCivilSecond(text);
  if (!civil || civil->end != text.size()) return std::nullopt;
  std::optional<absl::TimeZone> tz = LookupZone(zone_name);
  if (!tz) return std::nullopt;
  return absl::FromCivil(civil->second, *tz) + absl::Nanoseconds(civil->nanos);
}

std::optional<absl::Time> FromEpochMillis(int64_t ms) {
  // 1900-01-01 .. 2999-12-31 in ms.
  if (ms < -2208988800000LL || ms > 32503593600000LL) return std::nullopt;
  return absl::FromUnixMillis(ms);
}

std::optional<absl::Time> ParseEpochMillisString(std::string_view text) {
  int64_t ms = 0;
  if (text.empty() || text.size() > 15) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc() || ptr != text.data() + text.size() || text[0] == '-') return std::nullopt;
  return FromEpochMillis(ms);
}

int64_t ToMillis(absl::Time t) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return 0;
  return absl::ToUnixMillis(t);
}

}  // namespace cs::ingest
