#pragma once

// A RocksDB database with named column families, atomic write batches and
// prefix scans. Services keep all their state here; the metrics service
// writes its consumed Kafka offsets in the same batch as the aggregates they
// produced, which is what makes a crash neither lose nor double-count.
//
// Thread-safe (RocksDB is); a Batch is not.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatch;
}  // namespace rocksdb

namespace cs::kv {

struct StoreOptions {
  std::string path;                           // directory; created if missing
  std::vector<std::string> column_families;   // besides "default"; created if missing
  size_t block_cache_mb = 64;                 // shared LRU block cache
  size_t write_buffer_mb = 32;                // per column family memtable
  // Set when keys are "family/rest" and each batch writes each family's keys
  // in ascending order: memtable inserts then start from where the family's
  // previous key went, O(log gap) instead of O(log n) comparisons. Unsorted
  // writes stay correct but pay up to twice the comparisons. A range delete
  // must then begin at a whole family ("dedup/"), else Write fails with
  // INVALID_ARGUMENT (a RocksDB 7.8 limitation, see store.cc). Default false.
  bool sorted_batches = false;
};

class Store;

// Writes applied atomically by Store::Write.
class Batch {
 public:
  explicit Batch(const Store& store);
  ~Batch();
  Batch(Batch&&) noexcept;
  void Put(int cf, std::string_view key, std::string_view value);
  void Delete(int cf, std::string_view key);
  // Deletes every key in [begin, end). See StoreOptions::sorted_batches.
  void DeleteRange(int cf, std::string_view begin, std::string_view end);
  size_t Count() const;
  void Clear();

 private:
  friend class Store;
  const Store* store_ = nullptr;
  std::unique_ptr<rocksdb::WriteBatch> batch_;
  std::string error_;  // a range delete the store cannot take: Write fails
};

class Store {
 public:
  static absl::StatusOr<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Column family index by name ("default" is 0); -1 if unknown.
  int Cf(std::string_view name) const;

  absl::StatusOr<std::optional<std::string>> Get(int cf, std::string_view key) const;
  // Atomic. `sync` fsyncs the WAL (use for writes acknowledged to a caller
  // that cannot replay them, e.g. an RPC); without it the WAL survives a
  // process crash but not a power loss.
  absl::Status Write(Batch& batch, bool sync = false);
  // Calls fn(key, value) for keys starting with `prefix`, in order, until it returns false.
  absl::Status Scan(int cf, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) const;
  // Keys in [begin, end).
  absl::Status ScanRange(int cf, std::string_view begin, std::string_view end,
                         const std::function<bool(std::string_view, std::string_view)>& fn) const;
  // Flushes memtables and closes. Idempotent; the destructor calls it.
  absl::Status Close();

 private:
  Store() = default;
  rocksdb::ColumnFamilyHandle* Handle(int cf) const;

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<std::string> names_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  bool sorted_batches_ = false;
  friend class Batch;
};

}  // namespace cs::kv
