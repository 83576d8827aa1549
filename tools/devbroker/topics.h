#pragma once

// The topics of DESIGN.md with their development partition counts.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cs::devbroker {

struct TopicSpec {
  std::string name;
  int partitions = 1;
};

// raw.* 6, coaching.events.v1 12, org.directory.v1 6, dlq.v1 3, coaching.alerts.v1 6.
std::vector<TopicSpec> DefaultTopics();

// Parses "name:partitions,name2:partitions" (overrides and additions).
absl::StatusOr<std::vector<TopicSpec>> ParseTopicSpecs(std::string_view text);

// `base` with `overrides` applied by name (new names appended).
std::vector<TopicSpec> MergeTopics(std::vector<TopicSpec> base, const std::vector<TopicSpec>& overrides);

}  // namespace cs::devbroker
