#pragma once

// CoachingStore on a RocksDB column family. Writes are one synced
// WriteBatch: an RPC that returned OK cannot be replayed by its caller, so
// its state must survive a power loss, not only a process crash.

#include "libs/kv/store.h"
#include "services/coaching/core/ports.h"

namespace cs::coaching_service {

class RocksCoachingStore final : public coaching::CoachingStore {
 public:
  RocksCoachingStore(kv::Store& store, int cf) : store_(store), cf_(cf) {}

  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const override;
  absl::Status Write(const std::vector<coaching::StoreWrite>& writes) override;
  absl::Status Scan(std::string_view prefix,
                    absl::FunctionRef<bool(std::string_view key, std::string_view value)> fn) const override;

 private:
  kv::Store& store_;
  int cf_;
};

}  // namespace cs::coaching_service
