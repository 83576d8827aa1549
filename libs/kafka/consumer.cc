#include "libs/kafka/consumer.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <map>
#include <mutex>
#include <set>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/base/log.h"
#include "libs/kafka/rd_log.h"

namespace cs::kafka {
namespace {

void CopyHeaders(RdKafka::Message& m, std::vector<Header>* out) {
  RdKafka::Headers* hs = m.headers();
  if (hs == nullptr) return;
  for (const RdKafka::Headers::Header& h : hs->get_all()) {
    out->push_back({h.key(), h.value() ? std::string(static_cast<const char*>(h.value()), h.value_size())
                                       : std::string()});
  }
}

std::vector<TopicPartition> FromRd(const std::vector<RdKafka::TopicPartition*>& parts) {
  std::vector<TopicPartition> out;
  out.reserve(parts.size());
  for (const auto* p : parts) out.push_back({p->topic(), p->partition(), p->offset()});
  return out;
}

absl::Status SetConf(RdKafka::Conf* conf, const std::string& key, const std::string& value) {
  std::string err;
  if (conf->set(key, value, err) != RdKafka::Conf::CONF_OK) {
    return absl::InvalidArgumentError("kafka property " + key + "=" + value + ": " + err);
  }
  return absl::OkStatus();
}

// A consumer configuration: `props`, then the client's own properties over
// them (they win, as everywhere: see ClientOptions).
absl::StatusOr<std::unique_ptr<RdKafka::Conf>> ConsumerConf(std::map<std::string, std::string> props,
                                                            const ClientOptions& client) {
  props["bootstrap.servers"] = client.bootstrap_servers;
  props["client.id"] = client.client_id;
  for (const auto& [k, v] : client.properties) props[k] = v;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  for (const auto& [k, v] : props) {
    if (auto s = SetConf(conf.get(), k, v); !s.ok()) return s;
  }
  return conf;
}

int64_t ToRdOffset(int64_t offset) {
  return offset == TopicPartition::kOffsetStored ? RdKafka::Topic::OFFSET_STORED : offset;
}

}  // namespace

class RebalanceHandler : public RdKafka::RebalanceCb, public RdKafka::EventCb {
 public:
  explicit RebalanceHandler(const ConsumerOptions& options) : options_(options) {}

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& parts) override {
    ReportUnresumedResets();  // their partitions restart at their on_assign offsets (or are gone)
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      std::vector<TopicPartition> wanted = FromRd(parts);
      if (options_.on_assign) wanted = options_.on_assign(wanted);
      std::map<std::pair<std::string, int32_t>, int64_t> start;
      for (const auto& tp : wanted) start[{tp.topic, tp.partition}] = tp.offset;
      for (auto* p : parts) {
        auto it = start.find({p->topic(), p->partition()});
        p->set_offset(ToRdOffset(it == start.end() ? TopicPartition::kOffsetStored : it->second));
      }
      consumer->assign(parts);
      start_ = std::move(start);
      ++generation_;
      log::Info("partitions assigned", {{"count", parts.size()}});
    } else {
      if (options_.on_revoke) options_.on_revoke(FromRd(parts));
      consumer->unassign();
      start_.clear();
      ++generation_;
      log::Info("partitions revoked", {{"count", parts.size()}});
    }
  }

  // Incremented by every assignment change (served inside consume()).
  uint64_t generation() const { return generation_; }

  // Where the consumer of `parts` stands before it has consumed anything
  // since the assignment (librdkafka's position() is then unset): the
  // offset it was assigned at, else `low` (the beginning).
  int64_t StartOffset(const RdKafka::TopicPartition& tp, int64_t low) const {
    auto it = start_.find({tp.topic(), tp.partition()});
    return it != start_.end() && it->second >= 0 ? it->second : low;
  }

  // On librdkafka's threads. Its own log lines reach us here (an event_cb
  // replaces its stderr logger); an offset reset is also kept until its
  // partition delivers again (Delivered).
  void event_cb(RdKafka::Event& event) override {
    OffsetReset reset;
    // Warnings only: librdkafka debug-logs the resets that lose nothing
    // (e.g. a partition without a committed offset starting at the end).
    if (event.type() == RdKafka::Event::EVENT_LOG && event.severity() <= RdKafka::Event::EVENT_SEVERITY_WARNING &&
        event.fac() == "OFFSET" && ParseOffsetReset(event.str(), &reset)) {
      log::Warn("kafka offset reset: records not read are skipped",
                {{"topic", reset.topic}, {"partition", reset.partition}, {"at", reset.at}, {"detail", reset.detail}});
      std::lock_guard<std::mutex> lock(mu_);
      resets_[{reset.topic, reset.partition}] = std::move(reset);
      has_resets_.store(true, std::memory_order_release);
      return;
    }
    internal::LogEvent(event, "consumer");
  }

  // On the polling thread, for each record delivered: reports the reset of
  // its partition that it is the first record after (see OffsetReset), if
  // any. Records fetched before the reset (offsets below `at`) come first.
  void Delivered(const std::string& topic, int32_t partition, int64_t offset) {
    if (!has_resets_.load(std::memory_order_acquire)) return;
    OffsetReset reset;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = resets_.find({topic, partition});
      if (it == resets_.end() || offset < it->second.at) return;
      reset = std::move(it->second);
      resets_.erase(it);
      if (resets_.empty()) has_resets_.store(false, std::memory_order_release);
    }
    reset.resumed = offset;
    if (reset.at >= 0) reset.skipped = offset - reset.at;
    Report(reset, "kafka offset reset: reading again");
  }

  // On the polling thread: resets whose partition delivered nothing since
  // (e.g. reset to the end of an idle partition) are reported with
  // `skipped` unknown (0) and forgotten, so that every reset is counted.
  void ReportUnresumedResets() {
    std::map<std::pair<std::string, int32_t>, OffsetReset> resets;
    {
      std::lock_guard<std::mutex> lock(mu_);
      resets.swap(resets_);
      has_resets_.store(false, std::memory_order_release);
    }
    for (const auto& [tp, reset] : resets) Report(reset, "kafka offset reset: partition left before reading again");
  }

 private:
  ConsumerOptions options_;
  uint64_t generation_ = 0;
  std::map<std::pair<std::string, int32_t>, int64_t> start_;  // the offsets of the last assignment
  // Resets logged by librdkafka whose partition has delivered nothing since.
  std::mutex mu_;
  std::map<std::pair<std::string, int32_t>, OffsetReset> resets_;
  std::atomic<bool> has_resets_{false};

  void Report(const OffsetReset& reset, std::string_view what) {
    log::Warn(what, {{"topic", reset.topic}, {"partition", reset.partition}, {"at", reset.at},
                     {"resumed", reset.resumed}, {"skipped", reset.skipped}});
    if (options_.on_offset_reset) options_.on_offset_reset(reset);
  }
};

absl::StatusOr<std::unique_ptr<Consumer>> Consumer::Create(const ConsumerOptions& options) {
  if (options.group_id.empty()) return absl::InvalidArgumentError("kafka consumer: group_id is empty");
  if (options.topics.empty()) return absl::InvalidArgumentError("kafka consumer: no topics");
  std::unique_ptr<Consumer> c(new Consumer());
  c->handler_ = std::make_unique<RebalanceHandler>(options);
  c->copy_headers_ = options.copy_headers;
  std::map<std::string, std::string> props = {
      {"group.id", options.group_id},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", options.auto_offset_reset},
      {"session.timeout.ms", std::to_string(options.session_timeout_ms)},
      {"heartbeat.interval.ms", std::to_string(options.heartbeat_interval_ms)},
      {"enable.partition.eof", "false"},
      {"isolation.level", "read_committed"},
  };
  if (options.queued_min_messages > 0) props["queued.min.messages"] = std::to_string(options.queued_min_messages);
  if (options.fetch_wait_max_ms > 0) props["fetch.wait.max.ms"] = std::to_string(options.fetch_wait_max_ms);
  absl::StatusOr<std::unique_ptr<RdKafka::Conf>> conf = ConsumerConf(std::move(props), options.client);
  if (!conf.ok()) return conf.status();
  std::string err;
  (*conf)->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(c->handler_.get()), err);
  (*conf)->set("event_cb", static_cast<RdKafka::EventCb*>(c->handler_.get()), err);
  c->consumer_.reset(RdKafka::KafkaConsumer::create(conf->get(), err));
  if (!c->consumer_) return absl::InvalidArgumentError("kafka consumer: " + err);
  if (options.read_whole_topics) {
    if (auto s = c->AssignWholeTopics(options.topics); !s.ok()) return s;
    return c;
  }
  RdKafka::ErrorCode rc = c->consumer_->subscribe(options.topics);
  if (rc != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError("subscribe: " + RdKafka::err2str(rc));
  }
  return c;
}

Consumer::~Consumer() { (void)Close(); }

absl::Status Consumer::AssignWholeTopics(const std::vector<std::string>& topics) {
  std::vector<RdKafka::TopicPartition*> parts;
  for (const std::string& name : topics) {
    std::string err;
    std::unique_ptr<RdKafka::Topic> topic(RdKafka::Topic::create(consumer_.get(), name, nullptr, err));
    RdKafka::Metadata* md = nullptr;
    RdKafka::ErrorCode rc = consumer_->metadata(false, topic.get(), &md, 10000);
    if (rc != RdKafka::ERR_NO_ERROR) {
      RdKafka::TopicPartition::destroy(parts);
      return absl::UnavailableError("metadata for " + name + ": " + RdKafka::err2str(rc));
    }
    std::unique_ptr<RdKafka::Metadata> owned(md);
    for (const auto* t : *md->topics()) {
      if (t->err() != RdKafka::ERR_NO_ERROR || t->partitions()->empty()) {
        RdKafka::TopicPartition::destroy(parts);
        return absl::UnavailableError("topic " + name + " not available: " + RdKafka::err2str(t->err()));
      }
      for (const auto* p : *t->partitions()) {
        parts.push_back(RdKafka::TopicPartition::create(name, p->id(), RdKafka::Topic::OFFSET_BEGINNING));
      }
    }
  }
  RdKafka::ErrorCode rc = consumer_->assign(parts);
  RdKafka::TopicPartition::destroy(parts);
  if (rc != RdKafka::ERR_NO_ERROR) return absl::UnavailableError("assign: " + RdKafka::err2str(rc));
  manual_ = true;
  return absl::OkStatus();
}

absl::StatusOr<bool> Consumer::CaughtUp(absl::Duration timeout) {
  std::vector<RdKafka::TopicPartition*> parts;
  consumer_->assignment(parts);
  consumer_->position(parts);
  bool caught_up = true;
  absl::Status status;
  for (auto* p : parts) {
    int64_t low = 0, high = 0;
    RdKafka::ErrorCode rc = consumer_->query_watermark_offsets(
        p->topic(), p->partition(), &low, &high, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
    if (rc != RdKafka::ERR_NO_ERROR) {
      status = absl::UnavailableError("watermarks of " + p->topic() + ": " + RdKafka::err2str(rc));
      break;
    }
    int64_t pos = p->offset() >= 0 ? p->offset() : handler_->StartOffset(*p, low);
    if (pos < high) caught_up = false;
  }
  RdKafka::TopicPartition::destroy(parts);
  if (!status.ok()) return status;
  return caught_up;
}

absl::StatusOr<std::vector<Message>> Consumer::Poll(size_t max_messages, absl::Duration timeout,
                                                    size_t max_bytes) {
  std::vector<Message> out;
  size_t bytes = 0;
  int wait_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));
  while (out.size() < max_messages && bytes < max_bytes) {
    const uint64_t generation = handler_->generation();
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(out.empty() ? wait_ms : 0));
    if (handler_->generation() != generation) {
      // A rebalance ran inside consume(): every partition now restarts at
      // its on_assign offset, so what this call returned before is either
      // for a partition we lost or will be delivered again.
      out.clear();
      bytes = 0;
    }
    switch (m->err()) {
      case RdKafka::ERR_NO_ERROR: {
        Message msg;
        msg.topic = m->topic_name();
        msg.partition = m->partition();
        msg.offset = m->offset();
        if (m->key()) msg.key = *m->key();
        msg.is_null = m->payload() == nullptr;
        if (!msg.is_null) msg.value.assign(static_cast<const char*>(m->payload()), m->len());
        msg.timestamp_ms = m->timestamp().timestamp;
        if (copy_headers_) CopyHeaders(*m, &msg.headers);
        handler_->Delivered(msg.topic, msg.partition, msg.offset);
        bytes += msg.value.size();
        out.push_back(std::move(msg));
        break;
      }
      case RdKafka::ERR__TIMED_OUT:
      case RdKafka::ERR__PARTITION_EOF:
        return out;
      default:
        if (m->err() == RdKafka::ERR__FATAL) {
          return absl::InternalError("fatal consumer error: " + m->errstr());
        }
        log::Warn("consume error", {{"error", m->errstr()}});
        return out;
    }
  }
  return out;
}

uint64_t Consumer::rebalances() const { return handler_->generation(); }

absl::Status Consumer::Commit(const std::vector<TopicPartition>& offsets) {
  if (offsets.empty()) return absl::OkStatus();
  std::vector<RdKafka::TopicPartition*> parts;
  for (const auto& tp : offsets) {
    auto* p = RdKafka::TopicPartition::create(tp.topic, tp.partition);
    p->set_offset(tp.offset);
    parts.push_back(p);
  }
  RdKafka::ErrorCode rc = consumer_->commitSync(parts);
  RdKafka::TopicPartition::destroy(parts);
  if (rc != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError("offset commit failed: " + RdKafka::err2str(rc));
  }
  return absl::OkStatus();
}

std::vector<TopicPartition> Consumer::Assignment() const {
  std::vector<RdKafka::TopicPartition*> parts;
  consumer_->assignment(parts);
  std::vector<TopicPartition> out = FromRd(parts);
  RdKafka::TopicPartition::destroy(parts);
  return out;
}

int64_t Consumer::Lag() const {
  std::vector<RdKafka::TopicPartition*> parts;
  consumer_->assignment(parts);
  consumer_->position(parts);
  // The watermarks are those of the last fetch response per partition. A
  // partition not fetched yet makes the whole lag unknown: summing only the
  // others read 0 in the middle of a replay once the first fetched
  // partitions were consumed (and the metrics service called itself caught
  // up 0.3 s after assignment, with most of its partitions still unread).
  // A partition with nothing consumed since its assignment stands at the
  // offset it was assigned at (e.g. its end, after a restart).
  int64_t lag = 0;
  bool known = true;
  for (auto* p : parts) {
    int64_t low = 0, high = 0;
    if (consumer_->get_watermark_offsets(p->topic(), p->partition(), &low, &high) !=
            RdKafka::ERR_NO_ERROR || high < 0) {
      known = false;
      continue;
    }
    int64_t pos = p->offset() >= 0 ? p->offset() : handler_->StartOffset(*p, low);
    lag += std::max<int64_t>(0, high - pos);
  }
  RdKafka::TopicPartition::destroy(parts);
  return known ? lag : -1;
}

absl::Status Consumer::Close() {
  if (closed_ || !consumer_) return absl::OkStatus();
  closed_ = true;
  handler_->ReportUnresumedResets();
  if (manual_) consumer_->unassign();
  RdKafka::ErrorCode rc = consumer_->close();
  if (rc != RdKafka::ERR_NO_ERROR) return absl::UnavailableError("close: " + RdKafka::err2str(rc));
  return absl::OkStatus();
}

bool ParseOffsetReset(std::string_view line, OffsetReset* out) {
  // "<topic> [<partition>]: offset reset (at offset <n>, broker <b>) to ..."
  // (librdkafka 2.0; 2.1 writes "<n> (leader epoch <e>)" for <n>).
  // librdkafka prefixes its log lines with the thread: "[thrd:main]: ".
  constexpr std::string_view kMarker = "]: offset reset (at ";
  if (line.substr(0, 6) == "[thrd:") {
    const size_t end = line.find("]: ");
    if (end == std::string_view::npos) return false;
    line.remove_prefix(end + 3);
  }
  const size_t marker = line.find(kMarker);
  if (marker == std::string_view::npos) return false;
  const size_t open = line.rfind(" [", marker);
  if (open == std::string_view::npos || open == 0) return false;
  int32_t partition = 0;
  const char* pbegin = line.data() + open + 2;
  const char* pend = line.data() + marker;
  auto [pp, pec] = std::from_chars(pbegin, pend, partition);
  if (pec != std::errc() || pp != pend) return false;
  out->topic = std::string(line.substr(0, open));
  out->partition = partition;
  out->at = -1;
  std::string_view rest = line.substr(marker + kMarker.size());
  constexpr std::string_view kOffset = "offset ";
  if (rest.substr(0, kOffset.size()) == kOffset) {
    rest.remove_prefix(kOffset.size());
    int64_t at = -1;
    auto [ap, aec] = std::from_chars(rest.data(), rest.data() + rest.size(), at);
    if (aec == std::errc() && at >= 0) out->at = at;
  }
  out->detail = std::string(line);  // without the thread
  return true;
}

std::vector<TopicPartition> NextOffsets(const std::vector<Message>& batch) {
  // A batch comes in runs of one partition: look a partition up when the
  // run changes, and never copy its topic name (the views are valid until
  // the result is built).
  std::map<std::pair<std::string_view, int32_t>, int64_t> next;
  const Message* run = nullptr;
  int64_t* run_next = nullptr;
  for (const Message& m : batch) {
    if (run == nullptr || m.partition != run->partition || m.topic != run->topic) {
      run = &m;
      run_next = &next[{m.topic, m.partition}];
    }
    *run_next = std::max(*run_next, m.offset + 1);
  }
  std::vector<TopicPartition> out;
  for (const auto& [tp, off] : next) out.push_back({std::string(tp.first), tp.second, off});
  return out;
}

absl::StatusOr<std::map<int64_t, std::vector<Header>>> ReadHeaders(const ClientOptions& client,
                                                                  const std::string& topic, int32_t partition,
                                                                  const std::vector<int64_t>& offsets,
                                                                  absl::Duration timeout) {
  std::map<int64_t, std::vector<Header>> out;
  if (offsets.empty()) return out;
  const auto [first, last] = std::minmax_element(offsets.begin(), offsets.end());
  absl::StatusOr<std::unique_ptr<RdKafka::Conf>> conf =
      ConsumerConf({{"group.id", "coachstream-header-reader"},  // required by the API; never joined (assign only)
                    {"enable.auto.commit", "false"},
                    {"enable.auto.offset.store", "false"},
                    {"enable.partition.eof", "true"},
                    {"isolation.level", "read_committed"}},
                   client);
  if (!conf.ok()) return conf.status();
  std::string err;
  static internal::LogEvents log_events("header reader");  // shared by every reader
  (*conf)->set("event_cb", static_cast<RdKafka::EventCb*>(&log_events), err);
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf->get(), err));
  if (!consumer) return absl::InvalidArgumentError("kafka header reader: " + err);
  std::vector<RdKafka::TopicPartition*> parts = {RdKafka::TopicPartition::create(topic, partition, *first)};
  RdKafka::ErrorCode rc = consumer->assign(parts);
  RdKafka::TopicPartition::destroy(parts);
  if (rc != RdKafka::ERR_NO_ERROR) return absl::UnavailableError("assign: " + RdKafka::err2str(rc));
  const std::set<int64_t> wanted(offsets.begin(), offsets.end());
  const absl::Time deadline = absl::Now() + timeout;
  absl::Status status;
  while (out.size() < wanted.size()) {
    const int wait_ms = static_cast<int>(absl::ToInt64Milliseconds(deadline - absl::Now()));
    if (wait_ms <= 0) {
      status = absl::DeadlineExceededError(absl::StrCat("headers of ", topic, "/", partition, " not read within ",
                                                        absl::FormatDuration(timeout)));
      break;
    }
    std::unique_ptr<RdKafka::Message> m(consumer->consume(std::min(wait_ms, 500)));
    if (m->err() == RdKafka::ERR_NO_ERROR) {
      if (wanted.contains(m->offset())) CopyHeaders(*m, &out[m->offset()]);
      if (m->offset() >= *last) break;
    } else if (m->err() == RdKafka::ERR__PARTITION_EOF) {
      break;  // the rest are gone (or were aborted): what was found is the answer
    } else if (m->err() != RdKafka::ERR__TIMED_OUT) {
      status = absl::UnavailableError(absl::StrCat("reading ", topic, "/", partition, ": ", m->errstr()));
      break;
    }
  }
  consumer->close();
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<TopicInfo>> ListTopics(const ClientOptions& client,
                                                  absl::Duration timeout) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  conf->set("bootstrap.servers", client.bootstrap_servers, err);
  for (const auto& [k, v] : client.properties) conf->set(k, v, err);
  std::unique_ptr<RdKafka::Producer> p(RdKafka::Producer::create(conf.get(), err));
  if (!p) return absl::InvalidArgumentError("kafka client: " + err);
  RdKafka::Metadata* md = nullptr;
  RdKafka::ErrorCode rc =
      p->metadata(true, nullptr, &md, static_cast<int>(absl::ToInt64Milliseconds(timeout)));
  if (rc != RdKafka::ERR_NO_ERROR) return absl::UnavailableError("metadata: " + RdKafka::err2str(rc));
  std::vector<TopicInfo> out;
  for (const auto* t : *md->topics()) {
    out.push_back({t->topic(), static_cast<int>(t->partitions()->size())});
  }
  delete md;
  return out;
}

}  // namespace cs::kafka
