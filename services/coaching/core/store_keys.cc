#include "services/coaching/core/store_keys.h"

#include <initializer_list>

namespace cs::coaching {
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

// kind/c1/c2/.../cn, with a trailing '/' when `prefix`.
std::string Key(std::string_view kind, std::initializer_list<std::string_view> parts, bool prefix = false) {
  std::string out(kind);
  for (std::string_view p : parts) {
    out.push_back('/');
    AppendEscaped(&out, p);
  }
  if (prefix) out.push_back('/');
  return out;
}

}  // namespace

std::string FocusKey(std::string_view tenant, std::string_view month, std::string_view rep) {
  return Key("focus", {tenant, month, rep});
}
std::string FocusMonthPrefix(std::string_view tenant, std::string_view month) {
  return Key("focus", {tenant, month}, /*prefix=*/true);
}
std::string MemoKey(std::string_view tenant, std::string_view rep, std::string_view month) {
  return Key("rec", {tenant, rep, month});
}
std::string PlanKey(std::string_view tenant, std::string_view rep, std::string_view month) {
  return Key("plan", {tenant, rep, month});
}
std::string SessionKey(std::string_view tenant, std::string_view rep, std::string_view month,
                       std::string_view session_id) {
  return Key("sess", {tenant, rep, month, session_id});
}
std::string SessionMonthPrefix(std::string_view tenant, std::string_view rep, std::string_view month) {
  return Key("sess", {tenant, rep, month}, /*prefix=*/true);
}
std::string SessionIndexKey(std::string_view tenant, std::string_view rep, std::string_view session_id) {
  return Key("sessid", {tenant, rep, session_id});
}

std::string LastKeyComponent(std::string_view key) {
  const size_t slash = key.rfind('/');
  std::string_view last = slash == std::string_view::npos ? key : key.substr(slash + 1);
  std::string out;
  for (size_t i = 0; i < last.size(); ++i) {
    if (last.substr(i, 3) == "%25") {
      out.push_back('%');
      i += 2;
    } else if (last.substr(i, 3) == "%2F") {
      out.push_back('/');
      i += 2;
    } else {
      out.push_back(last[i]);
    }
  }
  return out;
}

}  // namespace cs::coaching
