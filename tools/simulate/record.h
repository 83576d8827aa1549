#pragma once

// One raw-topic record as the simulator emits it: the vendor payload wrapped
// in CloudEvents binary mode. No Kafka types: the binary converts these for
// the producer, the NDJSON writer and the tests use them directly.

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace cs::simulate {

inline constexpr std::string_view kTopicCrm = "raw.crm.v1";
inline constexpr std::string_view kTopicCalls = "raw.calls.v1";
inline constexpr std::string_view kTopicCalendar = "raw.calendar.v1";
inline constexpr std::string_view kTopicOrg = "raw.org.v1";
inline constexpr std::string_view kRawTopics[] = {kTopicOrg, kTopicCrm, kTopicCalls, kTopicCalendar};

// The CloudEvents context attributes we set (mirrors
// cs::kafka::CloudEventAttributes field for field).
struct CeAttributes {
  std::string id;
  std::string source;
  std::string type;
  std::string time;  // RFC 3339 UTC, millisecond precision
  std::string subject;
  std::string tenant_id;
  std::string content_type = "application/json";
};

struct SimRecord {
  std::string topic;
  std::string key;        // vendor record id
  CeAttributes ce;
  std::string value;      // the vendor JSON payload
  std::string vendor;     // "salesforce", "hubspot", "gong", "salesloft", "outreach",
                          // "google", "microsoft", "hr"
  bool duplicate = false; // a deliberate redelivery of an earlier record
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The binary-mode headers, in the order and spelling of
// cs::kafka::BinaryModeHeaders (a test holds the two together).
HeaderList HeadersOf(const CeAttributes& ce);

// Where records go, in delivery order.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual absl::Status Write(const SimRecord& record) = 0;
};

// Passes on the records of some topics only (simulate --topics). The
// simulation is deterministic, so runs with the same options and disjoint
// topic sets together write exactly what one run writes.
using TopicSet = std::set<std::string, std::less<>>;
class TopicFilter : public RecordSink {
 public:
  TopicFilter(RecordSink* inner, TopicSet topics)
      : inner_(inner), topics_(std::move(topics)) {}
  absl::Status Write(const SimRecord& r) override {
    return topics_.count(r.topic) ? inner_->Write(r) : absl::OkStatus();
  }

 private:
  RecordSink* inner_;
  TopicSet topics_;
};

}  // namespace cs::simulate
