#include "services/coaching/alerts/alert_keys.h"

#include <initializer_list>

#include "absl/strings/str_format.h"

namespace cs::coaching::alerts {
namespace {

void AppendEscaped(std::string* out, std::string_view id) {
  for (char c : id) {
    if (c == '%') {
      out->append("%25");
    } else if (c == '/') {
      out->append("%2F");
    } else {
      out->push_back(c);
    }
  }
}

std::string Key(std::initializer_list<std::string_view> parts, bool prefix = false) {
  std::string out = "alert";
  for (std::string_view p : parts) {
    out.push_back('/');
    AppendEscaped(&out, p);
  }
  if (prefix) out.push_back('/');
  return out;
}

}  // namespace

std::string AlertKey(std::string_view tenant, std::string_view alert_id) {
  return Key({"t", tenant, "a", alert_id});
}
std::string AlertPrefix(std::string_view tenant) { return Key({"t", tenant, "a"}, /*prefix=*/true); }
std::string SlotKey(std::string_view tenant, std::string_view rule_id, std::string_view subject_id) {
  return Key({"t", tenant, "k", rule_id, subject_id});
}
std::string SlotPrefix(std::string_view tenant) { return Key({"t", tenant, "k"}, /*prefix=*/true); }
std::string OutboxKey(int64_t updated_us, std::string_view tenant, std::string_view alert_id, int64_t version) {
  const std::string time = absl::StrFormat("%020d", updated_us);
  const std::string ver = absl::StrFormat("%010d", version);
  return Key({"o", time, tenant, alert_id, ver});
}

}  // namespace cs::coaching::alerts
