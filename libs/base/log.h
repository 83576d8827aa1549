#pragma once

// Structured logging: one JSON object per line on stderr, e.g.
//   {"ts":"2024-06-03T17:42:18.123Z","level":"info","component":"ingest",
//    "msg":"partition assigned","topic":"raw.crm.v1","partition":3}
// Thread-safe. The component name is set once at start-up.

#include <string_view>

#include <nlohmann/json.hpp>

namespace cs::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Sets the "component" field of every line and the minimum level.
void Init(std::string_view component, Level min_level = Level::kInfo);
// Parses "debug" | "info" | "warn" | "error"; false if unknown.
bool ParseLevel(std::string_view text, Level* out);

void Write(Level level, std::string_view msg, const nlohmann::json& fields);
// Whether a line at `level` is written: to skip building the fields of a
// frequent debug line.
bool Enabled(Level level);

inline void Debug(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object()) {
  Write(Level::kDebug, msg, fields);
}
inline void Info(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object()) {
  Write(Level::kInfo, msg, fields);
}
inline void Warn(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object()) {
  Write(Level::kWarn, msg, fields);
}
inline void Error(std::string_view msg, const nlohmann::json& fields = nlohmann::json::object()) {
  Write(Level::kError, msg, fields);
}

}  // namespace cs::log
