#pragma once

// Key layout of the coaching state (CoachingStore; RocksDB in the service):
//
//   focus/<tenant>/<month>/<rep>                 FocusRecord (JSON, records.h)
//   rec/<tenant>/<rep>/<month>                   RecommendationMemo (JSON, records.h)
//   plan/<tenant>/<rep>/<month>                  coachstream.v1.CoachingPlan (binary)
//   sess/<tenant>/<rep>/<month>/<session_id>     coachstream.v1.SessionRecord (binary)
//   sessid/<tenant>/<rep>/<session_id>           the month of the session's sess/ key
//   alert/...                                    accountability alerts and their outbox
//                                                (services/coaching/alerts/alert_keys.h)
//
// focus/ is month-first so that "who was coached in month M" (coaching
// impact) is one prefix scan. Months are "2024-06". Every id component is
// escaped ('%' -> "%25", '/' -> "%2F") so that a prefix ending in '/' never
// matches a longer id. The adapter may route each kind to its own column
// family by the first component.

#include <string>
#include <string_view>

namespace cs::coaching {

std::string FocusKey(std::string_view tenant, std::string_view month, std::string_view rep);
std::string FocusMonthPrefix(std::string_view tenant, std::string_view month);
std::string MemoKey(std::string_view tenant, std::string_view rep, std::string_view month);
std::string PlanKey(std::string_view tenant, std::string_view rep, std::string_view month);
std::string SessionKey(std::string_view tenant, std::string_view rep, std::string_view month,
                       std::string_view session_id);
std::string SessionMonthPrefix(std::string_view tenant, std::string_view rep, std::string_view month);
std::string SessionIndexKey(std::string_view tenant, std::string_view rep, std::string_view session_id);

// The last '/'-separated component of `key`, unescaped.
std::string LastKeyComponent(std::string_view key);

}  // namespace cs::coaching
