#pragma once

// Key layout of the alerts in the CoachingStore (next to store_keys.h; the
// first component "alert" keeps them apart and may pick a column family):
//
//   alert/t/<tenant>/a/<alert_id>                 coachstream.v1.Alert (binary)
//   alert/t/<tenant>/k/<rule_id>/<subject_id>     the alert_id holding the
//                                                 (rule, subject) slot: one
//                                                 alert per rule and subject
//   alert/o/<updated_us:20>/<tenant>/<alert_id>/<version:10>
//                                                 outbox: the Alert as of that
//                                                 version, to publish
//
// A slot is freed when its alert auto-resolves; a manually resolved alert
// keeps it until the condition clears (so resolving is not undone by the
// next evaluation). Outbox keys sort by change time, then alert and version,
// so a publisher that drains in key order keeps each alert's versions in
// order. Components are escaped as in store_keys.h.

#include <string>
#include <string_view>

namespace cs::coaching::alerts {

std::string AlertKey(std::string_view tenant, std::string_view alert_id);
std::string AlertPrefix(std::string_view tenant);
std::string SlotKey(std::string_view tenant, std::string_view rule_id, std::string_view subject_id);
std::string SlotPrefix(std::string_view tenant);
std::string OutboxKey(int64_t updated_us, std::string_view tenant, std::string_view alert_id, int64_t version);
inline constexpr std::string_view kOutboxPrefix = "alert/o/";

}  // namespace cs::coaching::alerts
