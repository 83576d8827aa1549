#pragma once

// librdkafka's own log lines as structured log lines (libs/base/log.h).
// Setting an event_cb replaces librdkafka's stderr logger, so a client
// whose event_cb ignored EVENT_LOG dropped even its warnings. Internal to
// libs/kafka.

#include <librdkafka/rdkafkacpp.h>

namespace cs::kafka::internal {

// Logs an EVENT_LOG event at warning severity or worse ("librdkafka", with
// its facility); other events and quieter lines are ignored.
void LogRdKafkaLine(RdKafka::Event& event);

// An event_cb for a client that needs nothing else (e.g. ReadHeaders'
// short-lived reader): errors and librdkafka's warnings, logged.
class LogEvents : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override;
};

}  // namespace cs::kafka::internal
