#include "services/coaching/adapters/session_publisher.h"

#include "absl/strings/str_cat.h"

namespace cs::coaching_service {

absl::Status KafkaSessionPublisher::Publish(const coachstream::v1::Event& event, const std::string& key) {
  kafka::OutRecord record;
  record.topic = topic_;
  record.key = key;
  record.value = event.SerializeAsString();
  // The same two headers ingest writes on its canonical events.
  record.headers = {{"ce_type", "io.coachstream.event.v1"}, {"ce_id", event.event_id()}};
  {
    std::lock_guard lock(mu_);
    std::erase_if(orphans_, [](const auto& b) { return b->pending() == 0; });
  }
  auto batch = std::make_unique<kafka::DeliveryBatch>();
  if (absl::Status s = producer_->Produce(record, batch.get()); !s.ok()) {
    return absl::UnavailableError(absl::StrCat("publishing the session event: ", s.message()));
  }
  if (absl::Status s = producer_->Await(*batch, ack_timeout_); !s.ok()) {
    if (batch->pending() > 0) {
      std::lock_guard lock(mu_);
      orphans_.push_back(std::move(batch));
    }
    return absl::UnavailableError(absl::StrCat(
        "the session is stored but its event was not acknowledged by Kafka (retry the call; it is "
        "idempotent): ",
        s.message()));
  }
  return absl::OkStatus();
}

}  // namespace cs::coaching_service
