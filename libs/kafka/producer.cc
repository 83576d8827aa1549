#include "libs/kafka/producer.h"

#include <librdkafka/rdkafkacpp.h>

#include "absl/time/clock.h"
#include "libs/base/log.h"
#include "libs/kafka/rd_log.h"

namespace cs::kafka {

absl::Status DeliveryBatch::first_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return first_error_;
}

void DeliveryBatch::Record(const absl::Status& status) {
  if (status.ok()) {
    delivered_.fetch_add(1);
  } else {
    failed_.fetch_add(1);
    std::lock_guard<std::mutex> lock(mu_);
    if (first_error_.ok()) first_error_ = status;
  }
  pending_.fetch_sub(1);
}

class DeliveryReporter : public RdKafka::DeliveryReportCb, public RdKafka::EventCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    auto* batch = static_cast<DeliveryBatch*>(message.msg_opaque());
    if (batch == nullptr) return;
    if (message.err() == RdKafka::ERR_NO_ERROR) {
      batch->Record(absl::OkStatus());
    } else {
      batch->Record(absl::UnavailableError("delivery to " + message.topic_name() +
                                           " failed: " + message.errstr()));
    }
  }
  void event_cb(RdKafka::Event& event) override { internal::LogEvent(event, "producer"); }
};

namespace {

absl::Status SetConf(RdKafka::Conf* conf, const std::string& key, const std::string& value) {
  std::string err;
  if (conf->set(key, value, err) != RdKafka::Conf::CONF_OK) {
    return absl::InvalidArgumentError("kafka property " + key + "=" + value + ": " + err);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Producer>> Producer::Create(const ProducerOptions& options) {
  std::unique_ptr<Producer> p(new Producer());
  p->reporter_ = std::make_unique<DeliveryReporter>();
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::map<std::string, std::string> props = {
      {"bootstrap.servers", options.client.bootstrap_servers},
      {"client.id", options.client.client_id},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"linger.ms", std::to_string(options.linger_ms)},
      {"delivery.timeout.ms", std::to_string(options.delivery_timeout_ms)},
      {"partitioner", "murmur2_random"},  // Java-compatible key partitioning
  };
  for (const auto& [k, v] : options.client.properties) props[k] = v;
  for (const auto& [k, v] : props) {
    if (auto s = SetConf(conf.get(), k, v); !s.ok()) return s;
  }
  std::string err;
  conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(p->reporter_.get()), err);
  conf->set("event_cb", static_cast<RdKafka::EventCb*>(p->reporter_.get()), err);
  p->producer_.reset(RdKafka::Producer::create(conf.get(), err));
  if (!p->producer_) return absl::InvalidArgumentError("kafka producer: " + err);
  return p;
}

Producer::~Producer() {
  if (producer_) producer_->flush(5000);
}

absl::Status Producer::Produce(const OutRecord& record, DeliveryBatch* batch) {
  RdKafka::Headers* headers = nullptr;
  if (!record.headers.empty()) {
    headers = RdKafka::Headers::create();
    for (const Header& h : record.headers) headers->add(h.key, h.value.data(), h.value.size());
  }
  if (batch != nullptr) batch->pending_.fetch_add(1);
  for (int attempt = 0;; ++attempt) {
    RdKafka::ErrorCode rc = producer_->produce(
        record.topic, record.partition, RdKafka::Producer::RK_MSG_COPY,
        record.value ? const_cast<char*>(record.value->data()) : nullptr,
        record.value ? record.value->size() : 0, record.key.data(), record.key.size(), 0,
        headers, batch);
    if (rc == RdKafka::ERR_NO_ERROR) return absl::OkStatus();  // headers now owned by librdkafka
    if (rc == RdKafka::ERR__QUEUE_FULL && attempt < 1000) {
      producer_->poll(10);
      continue;
    }
    delete headers;
    if (batch != nullptr) batch->pending_.fetch_sub(1);
    return absl::UnavailableError("produce to " + record.topic + ": " + RdKafka::err2str(rc));
  }
}

absl::Status Producer::Await(DeliveryBatch& batch, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (batch.pending() > 0) {
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(std::to_string(batch.pending()) +
                                         " messages not acknowledged by the broker in time");
    }
    producer_->poll(5);
  }
  return batch.first_error();
}

void Producer::Poll(absl::Duration timeout) {
  producer_->poll(static_cast<int>(absl::ToInt64Milliseconds(timeout)));
}

absl::Status Producer::Flush(absl::Duration timeout) {
  RdKafka::ErrorCode rc = producer_->flush(static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (rc != RdKafka::ERR_NO_ERROR) {
    return absl::DeadlineExceededError("flush: " + std::to_string(producer_->outq_len()) +
                                       " messages still queued");
  }
  return absl::OkStatus();
}

}  // namespace cs::kafka
