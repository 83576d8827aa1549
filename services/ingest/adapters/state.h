#pragma once

// The ingest core's ports over RocksDB and the directory cache.

#include <map>
#include <optional>
#include <string>

#include "libs/directory/directory_cache.h"
#include "libs/kv/store.h"
#include "services/ingest/core/ports.h"

namespace cs::ingest {

// RecordStateStore with read-your-writes: Puts wait in memory until the
// pipeline stages them into the batch's RocksDB write (after the outputs
// they caused were acknowledged by the broker).
class RocksRecordStore final : public RecordStateStore {
 public:
  RocksRecordStore(const kv::Store& store, int cf) : store_(store), cf_(cf) {}

  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) override {
    auto it = pending_.find(key);
    if (it != pending_.end()) return std::optional<std::string>(it->second);
    return store_.Get(cf_, key);
  }
  absl::Status Put(std::string_view key, std::string_view value) override {
    pending_[std::string(key)] = std::string(value);
    return absl::OkStatus();
  }
  void Stage(kv::Batch& batch) {
    for (const auto& [k, v] : pending_) batch.Put(cf_, k, v);
  }
  void Clear() { pending_.clear(); }

 private:
  const kv::Store& store_;
  int cf_;
  std::map<std::string, std::string, std::less<>> pending_;
};

// Directory over the cache materialised from org.directory.v1.
class CachedDirectory final : public Directory {
 public:
  explicit CachedDirectory(const directory::DirectoryCache& cache) : cache_(cache) {}
  PersonPtr FindById(std::string_view tenant, std::string_view person_id) const override {
    return cache_.FindById(tenant, person_id);
  }
  PersonPtr FindBySystemId(std::string_view tenant, System system, std::string_view user_id) const override {
    return cache_.FindBySystemId(tenant, static_cast<int>(system), user_id);
  }
  PersonPtr FindByEmail(std::string_view tenant, std::string_view email) const override {
    return cache_.FindByEmail(tenant, email);
  }
  bool IsInternalDomain(std::string_view tenant, std::string_view domain) const override {
    return cache_.IsInternalDomain(tenant, domain);
  }

 private:
  const directory::DirectoryCache& cache_;
};

}  // namespace cs::ingest
