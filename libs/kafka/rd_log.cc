#include "libs/kafka/rd_log.h"

#include "libs/base/log.h"

namespace cs::kafka::internal {

void LogRdKafkaLine(RdKafka::Event& event) {
  if (event.type() != RdKafka::Event::EVENT_LOG || event.severity() > RdKafka::Event::EVENT_SEVERITY_WARNING) {
    return;
  }
  log::Write(event.severity() <= RdKafka::Event::EVENT_SEVERITY_ERROR ? log::Level::kError : log::Level::kWarn,
             "librdkafka", {{"facility", event.fac()}, {"detail", event.str()}});
}

void LogEvents::event_cb(RdKafka::Event& event) {
  if (event.type() == RdKafka::Event::EVENT_ERROR) {
    log::Warn("kafka client error", {{"error", RdKafka::err2str(event.err())}, {"detail", event.str()}});
    return;
  }
  LogRdKafkaLine(event);
}

}  // namespace cs::kafka::internal
