#pragma once

// coachstream's Kafka types. libs/kafka is the only code that includes
// librdkafka (after Envoy's upstream_kafka_client.h): services see these
// plain structs and the Producer/Consumer interfaces in producer.h and
// consumer.h.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cs::kafka {

struct Header {
  std::string key;
  std::string value;
};

// A consumed record. `value` is empty and `is_null` true for a tombstone.
struct Message {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  bool is_null = false;
  std::vector<Header> headers;
  int64_t timestamp_ms = 0;

  // The first header with this key, if any.
  std::optional<std::string_view> header(std::string_view key) const;
};

// A record to produce. An unset value produces a tombstone.
struct OutRecord {
  std::string topic;
  std::string key;
  std::optional<std::string> value;
  std::vector<Header> headers;
  int32_t partition = -1;  // -1: the partitioner picks (murmur2 of the key, Java-compatible)
};

// The dead letter of `source` for the DLQ topic (dlq.v1, see DESIGN.md):
// its key, value and headers, plus dlq_reason (a code, e.g.
// "invalid_json"), dlq_message (what is wrong, readable) and the source
// coordinates (dlq_source_topic/_partition/_offset) to replay it from.
OutRecord DeadLetterRecord(const std::string& dlq_topic, const Message& source, std::string_view reason,
                           std::string_view message);

// A partition and an offset: for commits, the offset of the NEXT message to
// read (last processed + 1), Kafka's convention.
struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = kOffsetStored;

  static constexpr int64_t kOffsetBeginning = -2;
  static constexpr int64_t kOffsetEnd = -1;
  static constexpr int64_t kOffsetStored = -1000;  // the group's committed offset

  friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
};

// Settings every client needs. `properties` are passed to librdkafka as-is
// (e.g. "security.protocol", "sasl.mechanisms") and win over our defaults.
struct ClientOptions {
  std::string bootstrap_servers = "127.0.0.1:9092";
  std::string client_id = "coachstream";
  std::map<std::string, std::string> properties;
};

// Parses "k=v,k2=v2" (the --kafka_properties flag) into `out`; false on a
// malformed entry.
bool ParseProperties(std::string_view text, std::map<std::string, std::string>* out);

// Lists the topics the cluster knows, with their partition counts.
struct TopicInfo {
  std::string name;
  int partitions = 0;
};

}  // namespace cs::kafka
