#pragma once

// Shared by the vendor encoders: time and money formatting, and the wrapping
// of a payload into a SimRecord.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/simulate/org_model.h"
#include "tools/simulate/record.h"
#include "tools/simulate/world.h"

namespace cs::simulate {

// Field order is kept as written, like the vendors' own documents.
using Json = nlohmann::ordered_json;

// What every encoder reads.
struct EncodeContext {
  const Org& org;
  const World& world;
};

int64_t Millis(absl::Time t);
// "2026-07-01T15:04:05.123Z"
std::string Rfc3339Ms(absl::Time t);
// Local time with offset and `digits` fractional digits (0: none), e.g.
// "2026-07-01T10:04:05-05:00" or "2026-07-01T10:04:05.123456-05:00".
std::string Rfc3339Local(absl::Time t, absl::TimeZone tz, int digits);
// "2026-07-01"
std::string DateText(absl::CivilDay day);
// The IANA zone `name` (UTC if unknown).
absl::TimeZone ZoneOf(const std::string& name);

// Wraps `value` (compact JSON) with the CloudEvents attributes.
SimRecord MakeRecord(std::string_view topic, std::string key, std::string_view vendor,
                     CeAttributes ce, const Json& value);

}  // namespace cs::simulate
