#pragma once

// Publishes logged coaching sessions to coaching.events.v1, so the metrics
// service counts coaching received. LogSession answers only after the broker
// acknowledged the event: a caller that got OK knows the session will be
// counted; a caller that got an error retries, and the retry produces the
// same event_id (the metrics service deduplicates).

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "coachstream/v1/event.pb.h"
#include "libs/kafka/producer.h"

namespace cs::coaching_service {

class SessionPublisher {
 public:
  virtual ~SessionPublisher() = default;
  virtual absl::Status Publish(const coachstream::v1::Event& event, const std::string& key) = 0;
};

class KafkaSessionPublisher final : public SessionPublisher {
 public:
  KafkaSessionPublisher(kafka::Producer* producer, std::string topic, absl::Duration ack_timeout)
      : producer_(producer), topic_(std::move(topic)), ack_timeout_(ack_timeout) {}
  absl::Status Publish(const coachstream::v1::Event& event, const std::string& key) override;

 private:
  kafka::Producer* producer_;
  std::string topic_;
  absl::Duration ack_timeout_;
  // Batches whose Await timed out: librdkafka still reports into them until
  // delivery.timeout.ms, so they live until nothing is pending.
  std::mutex mu_;
  std::vector<std::unique_ptr<kafka::DeliveryBatch>> orphans_;
};

}  // namespace cs::coaching_service
