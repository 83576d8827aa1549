#include "libs/kafka/rd_log.h"

#include <string>

#include "libs/base/log.h"

namespace cs::kafka::internal {

void LogEvent(RdKafka::Event& event, std::string_view client) {
  if (event.type() == RdKafka::Event::EVENT_ERROR) {
    log::Warn("kafka " + std::string(client) + " error",
              {{"error", RdKafka::err2str(event.err())}, {"detail", event.str()}});
    return;
  }
  if (event.type() != RdKafka::Event::EVENT_LOG || event.severity() > RdKafka::Event::EVENT_SEVERITY_WARNING) {
    return;
  }
  log::Write(event.severity() <= RdKafka::Event::EVENT_SEVERITY_ERROR ? log::Level::kError : log::Level::kWarn,
             "librdkafka", {{"facility", event.fac()}, {"detail", event.str()}});
}

}  // namespace cs::kafka::internal
