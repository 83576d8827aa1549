#include "tools/simulate/encode_common.h"

#include <map>
#include <mutex>

namespace cs::simulate {

HeaderList HeadersOf(const CeAttributes& a) {
  HeaderList h = {{"ce_specversion", "1.0"}, {"ce_id", a.id}, {"ce_source", a.source}, {"ce_type", a.type}};
  if (!a.time.empty()) h.emplace_back("ce_time", a.time);
  if (!a.subject.empty()) h.emplace_back("ce_subject", a.subject);
  if (!a.tenant_id.empty()) h.emplace_back("ce_tenantid", a.tenant_id);
  if (!a.content_type.empty()) h.emplace_back("content-type", a.content_type);
  return h;
}

int64_t Millis(absl::Time t) { return absl::ToUnixMillis(t); }

std::string Rfc3339Ms(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

std::string Rfc3339Local(absl::Time t, absl::TimeZone tz, int digits) {
  const std::string seconds = digits > 0 ? "%E" + std::to_string(digits) + "S" : "%S";
  return absl::FormatTime("%Y-%m-%dT%H:%M:" + seconds + "%Ez", t, tz);
}

std::string DateText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::TimeZone ZoneOf(const std::string& name) {
  static std::mutex mu;
  static auto* cache = new std::map<std::string, absl::TimeZone>;
  std::lock_guard lock(mu);
  auto it = cache->find(name);
  if (it != cache->end()) return it->second;
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(name, &tz)) tz = absl::UTCTimeZone();
  cache->emplace(name, tz);
  return tz;
}

SimRecord MakeRecord(std::string_view topic, std::string key, std::string_view vendor,
                     CeAttributes ce, const Json& value) {
  SimRecord r;
  r.topic = std::string(topic);
  r.key = std::move(key);
  r.vendor = std::string(vendor);
  r.ce = std::move(ce);
  r.value = value.dump();
  return r;
}

}  // namespace cs::simulate
