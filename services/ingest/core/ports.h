#pragma once

// Ports: what the normalizer needs from the outside world. Production
// adapters implement them over the org.directory.v1 materialisation and
// RocksDB; tests use the in-memory versions (in_memory.h).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "coachstream/v1/person.pb.h"
#include "services/ingest/core/observation.h"

namespace cs::ingest {

using PersonPtr = std::shared_ptr<const coachstream::v1::Person>;

// The org directory, tenant-scoped. Lookups return nullptr when unknown.
// Implementations shared between threads must be safe for concurrent calls.
class Directory {
 public:
  virtual ~Directory() = default;
  virtual PersonPtr FindById(std::string_view tenant, std::string_view person_id) const = 0;
  // `user_id` as known in `system` (Person.identities).
  virtual PersonPtr FindBySystemId(std::string_view tenant, System system,
                                   std::string_view user_id) const = 0;
  // `email` lower-cased (Person.emails).
  virtual PersonPtr FindByEmail(std::string_view tenant, std::string_view email) const = 0;
  // Whether `domain` (lower-cased, e.g. "ourco.com") is one of the tenant's
  // own e-mail domains: attendees outside them are external (customers).
  virtual bool IsInternalDomain(std::string_view tenant, std::string_view domain) const = 0;
};

// Durable key-value state of the normalizer. The core owns the key layout
// and value encoding (state_codec.h); keys start with "<kind>/<tenant>/".
//
// Contract for the adapter: Get must see this adapter's own earlier Puts
// (read-your-writes within a poll batch), and Puts must become durable
// atomically with the consumed offsets, and only after the events they
// correspond to were produced (one RocksDB WriteBatch per batch). An error
// means the store failed (not bad input): the adapter retries or stops.
class RecordStateStore {
 public:
  virtual ~RecordStateStore() = default;
  virtual absl::StatusOr<std::optional<std::string>> Get(std::string_view key) = 0;
  virtual absl::Status Put(std::string_view key, std::string_view value) = 0;
};

}  // namespace cs::ingest
