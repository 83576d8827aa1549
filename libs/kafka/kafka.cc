#include "libs/kafka/kafka.h"

namespace cs::kafka {

std::optional<std::string_view> Message::header(std::string_view key) const {
  for (const Header& h : headers) {
    if (h.key == key) return std::string_view(h.value);
  }
  return std::nullopt;
}

bool ParseProperties(std::string_view text, std::map<std::string, std::string>* out) {
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) return false;
    (*out)[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
  }
  return true;
}

OutRecord DeadLetterRecord(const std::string& dlq_topic, const Message& source, std::string_view reason,
                           std::string_view message) {
  OutRecord r;
  r.topic = dlq_topic;
  r.key = source.key;
  if (!source.is_null) r.value = source.value;
  r.headers = source.headers;
  r.headers.push_back({"dlq_reason", std::string(reason)});
  r.headers.push_back({"dlq_message", std::string(message)});
  r.headers.push_back({"dlq_source_topic", source.topic});
  r.headers.push_back({"dlq_source_partition", std::to_string(source.partition)});
  r.headers.push_back({"dlq_source_offset", std::to_string(source.offset)});
  return r;
}

}  // namespace cs::kafka
