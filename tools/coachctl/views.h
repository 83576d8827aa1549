#pragma once

// What each coachctl command prints: tables and text for people, JSON for
// scripts. Pure functions of the RPC responses (no gRPC calls here), so the
// output is unit-tested without a server.
//
// JSON follows the protobuf JSON mapping with the .proto field names
// (snake_case), every field present, enums by name, int64 as strings.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "coachstream/v1/alert.pb.h"
#include "coachstream/v1/coaching_service.pb.h"
#include "coachstream/v1/metrics_service.pb.h"
#include "google/protobuf/message.h"
#include "nlohmann/json.hpp"

namespace cs::coachctl {

nlohmann::json ToJson(const google::protobuf::Message& message);
// Pretty-printed JSON with a final newline.
std::string JsonText(const nlohmann::json& value);

std::string BoardTable(const coachstream::v1::GetTeamBoardResponse& board);

// Everything `coachctl rep` shows.
struct RepView {
  std::string month;
  coachstream::v1::RepDrivers rep;
  std::vector<coachstream::v1::Benchmark> benchmarks;
  std::optional<coachstream::v1::RecommendFocusSkillResponse> recommendation;  // absent: not asked
  std::optional<coachstream::v1::CoachingPlan> plan;  // absent: no plan for the month
};
std::string RepText(const RepView& view);
nlohmann::json RepJson(const RepView& view);

std::string PlanText(const coachstream::v1::CoachingPlan& plan);
std::string ObjectiveText(const coachstream::v1::Objective& objective);
std::string SessionsTable(const coachstream::v1::ListSessionsResponse& sessions, absl::TimeZone zone);
std::string AlertsTable(const coachstream::v1::ListAlertsResponse& alerts, absl::TimeZone zone);
// One line per alert for --watch.
std::string AlertLine(const coachstream::v1::Alert& alert, absl::TimeZone zone);
std::string RollupTable(const coachstream::v1::GetAlertRollupResponse& rollup);
std::string ImpactText(const coachstream::v1::GetCoachingImpactResponse& impact, const std::string& skill,
                       const std::string& from, const std::string& to);

// Wraps `text` at `width` columns, every line after the first indented by
// `indent` spaces.
std::string Wrap(const std::string& text, size_t width, size_t indent);

}  // namespace cs::coachctl
