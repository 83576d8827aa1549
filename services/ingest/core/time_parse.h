#pragma once

// Date and time formats found in vendor payloads. All functions are pure and
// return nullopt for malformed input (callers turn that into invalid_value
// naming the field).

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace cs::ingest {

// RFC 3339 / ISO 8601 with an offset: "2024-06-03T17:42:18Z",
// "2024-06-10T09:01:47.312-07:00", "2024-06-03T17:35:02.1183407Z",
// "2024-06-03T17:31:44.512541-04:00". Fractions beyond nanoseconds are cut.
std::optional<absl::Time> ParseRfc3339(std::string_view text);

// "2024-06-28" (a civil date; also accepts a trailing "T00:00:00Z"-style
// time, whose date part is taken as is).
std::optional<absl::CivilDay> ParseDate(std::string_view text);

// A local date-time without an offset ("2024-06-10T16:00:00.0000000") in the
// zone `zone_name`: "UTC", an IANA name, or a Windows name such as
// "Pacific Standard Time" (Microsoft Graph). nullopt if the zone is unknown.
std::optional<absl::Time> ParseLocalDateTime(std::string_view text, std::string_view zone_name);

// An IANA zone for `zone_name` (IANA names pass through, common Windows names
// are mapped); nullopt if unknown or tzdata lacks it. Thread-safe, cached.
std::optional<absl::TimeZone> LookupZone(std::string_view zone_name);

// Epoch milliseconds, range-checked to years 1900..2999.
std::optional<absl::Time> FromEpochMillis(int64_t ms);
// Digits only ("1717436530114").
std::optional<absl::Time> ParseEpochMillisString(std::string_view text);

// Milliseconds since the epoch, for versions; InfinitePast -> 0.
int64_t ToMillis(absl::Time t);

}  // namespace cs::ingest
