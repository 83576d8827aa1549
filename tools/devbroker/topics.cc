#include "tools/devbroker/topics.h"

#include <charconv>

namespace cs::devbroker {

std::vector<TopicSpec> DefaultTopics() {
  return {{"raw.crm.v1", 6},         {"raw.calls.v1", 6},     {"raw.calendar.v1", 6},
          {"raw.org.v1", 3},         {"coaching.events.v1", 12}, {"org.directory.v1", 6},
          {"dlq.v1", 3},             {"coaching.alerts.v1", 6}};
}

absl::StatusOr<std::vector<TopicSpec>> ParseTopicSpecs(std::string_view text) {
  std::vector<TopicSpec> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    size_t colon = item.find(':');
    TopicSpec spec;
    spec.name = std::string(item.substr(0, colon));
    if (colon != std::string_view::npos) {
      std::string_view n = item.substr(colon + 1);
      auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), spec.partitions);
      if (ec != std::errc() || p != n.data() + n.size() || spec.partitions < 1 ||
          spec.partitions > 1000) {
        return absl::InvalidArgumentError("--topics: bad partition count in \"" + std::string(item) + "\"");
      }
    }
    if (spec.name.empty()) return absl::InvalidArgumentError("--topics: empty topic name");
    out.push_back(spec);
  }
  return out;
}

std::vector<TopicSpec> MergeTopics(std::vector<TopicSpec> base, const std::vector<TopicSpec>& overrides) {
  for (const TopicSpec& o : overrides) {
    bool found = false;
    for (TopicSpec& b : base) {
      if (b.name == o.name) {
        b.partitions = o.partitions;
        found = true;
      }
    }
    if (!found) base.push_back(o);
  }
  return base;
}

}  // namespace cs::devbroker
