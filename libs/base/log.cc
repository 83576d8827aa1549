#include "libs/base/log.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace cs::log {
namespace {

struct State {
  std::mutex mu;
  std::string component = "coachstream";
  Level min_level = Level::kInfo;
};

State& GetState() {
  static State state;
  return state;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

}  // namespace

void Init(std::string_view component, Level min_level) {
  State& s = GetState();
  std::lock_guard<std::mutex> lock(s.mu);
  s.component = std::string(component);
  s.min_level = min_level;
}

bool ParseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError}) {
    if (text == LevelName(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

bool Enabled(Level level) { return level >= GetState().min_level; }

void Write(Level level, std::string_view msg, const nlohmann::json& fields) {
  State& s = GetState();
  if (level < s.min_level) return;
  nlohmann::ordered_json line = nlohmann::ordered_json::object();
  line["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  line["level"] = LevelName(level);
  {
    std::lock_guard<std::mutex> lock(s.mu);
    line["component"] = s.component;
  }
  line["msg"] = msg;
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  // replace: invalid UTF-8 from untrusted input must never throw out of a log call.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  std::lock_guard<std::mutex> lock(s.mu);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace cs::log
