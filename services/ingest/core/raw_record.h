#pragma once

// One Kafka record as the adapter received it, with no Kafka types: the
// input of the ingest core.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cs::ingest {

struct RawRecord {
  std::string topic;       // e.g. "raw.crm.v1"
  int32_t partition = -1;
  int64_t offset = -1;
  std::string key;         // vendor record id (informational; not trusted)
  std::string value;       // CloudEvents data (binary mode) or the whole event (structured)
  // Header keys and values as sent; CloudEvents headers are "ce_<attr>".
  std::vector<std::pair<std::string, std::string>> headers;
  // A parked record retried because the directory learned a person it
  // waited for (see RecordOutcome: kPark).
  bool retried = false;
};

// The value of the first header named exactly `name`, or nullptr.
inline const std::string* FindHeader(const RawRecord& record, std::string_view name) {
  for (const auto& [k, v] : record.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

}  // namespace cs::ingest
