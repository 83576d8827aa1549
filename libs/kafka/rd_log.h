#pragma once

// librdkafka's own log lines as structured log lines (libs/base/log.h).
// Setting an event_cb replaces librdkafka's stderr logger, so a client
// whose event_cb ignored EVENT_LOG dropped even its warnings. Internal to
// libs/kafka.

#include <librdkafka/rdkafkacpp.h>

#include <string_view>

namespace cs::kafka::internal {

// Logs what a client's event_cb receives that is worth a line: an error
// event as "kafka <client> error", and librdkafka's log lines at warning
// severity or worse as "librdkafka" (with its facility). Quieter lines and
// other events (stats, throttling) are ignored.
void LogEvent(RdKafka::Event& event, std::string_view client);

// An event_cb for a client that needs nothing else (e.g. ReadHeaders'
// short-lived reader).
class LogEvents : public RdKafka::EventCb {
 public:
  explicit LogEvents(std::string_view client) : client_(client) {}
  void event_cb(RdKafka::Event& event) override { LogEvent(event, client_); }

 private:
  std::string_view client_;  // a literal
};

}  // namespace cs::kafka::internal
