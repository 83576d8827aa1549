#include "libs/kv/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <cstring>
#include <filesystem>

namespace cs::kv {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = std::string(what) + ": " + s.ToString();
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(msg);
  if (s.IsIOError()) return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

rocksdb::Slice ToSlice(std::string_view v) { return rocksdb::Slice(v.data(), v.size()); }

// Memtable insert hints per key family: a key's bytes up to its first '/'.
// RocksDB 7.8 shares one hint map between a memtable's point keys and its
// range deletions (fixed upstream in 8.x), and a hint used for both lists
// corrupts the memtable. So a key that ends at its first '/', the only
// range-delete begin Batch allows with hints (a whole family, "dedup/"), is
// outside the domain, and never shares a hint with point keys.
class KeyFamilyTransform final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "coachstream.KeyFamily"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const char* slash = static_cast<const char*>(std::memchr(key.data(), '/', key.size()));
    return rocksdb::Slice(key.data(), static_cast<size_t>(slash - key.data()) + 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override { return HasFamily(key); }
  static bool HasFamily(const rocksdb::Slice& key) {
    const char* slash = static_cast<const char*>(std::memchr(key.data(), '/', key.size()));
    return slash != nullptr && slash + 1 < key.data() + key.size();
  }
};

}  // namespace

Batch::Batch(const Store& store) : store_(&store), batch_(std::make_unique<rocksdb::WriteBatch>()) {}
Batch::~Batch() = default;
Batch::Batch(Batch&&) noexcept = default;

void Batch::Put(int cf, std::string_view key, std::string_view value) {
  batch_->Put(store_->Handle(cf), ToSlice(key), ToSlice(value));
}

void Batch::Delete(int cf, std::string_view key) { batch_->Delete(store_->Handle(cf), ToSlice(key)); }

void Batch::DeleteRange(int cf, std::string_view begin, std::string_view end) {
  if (store_->sorted_batches_ && KeyFamilyTransform::HasFamily(ToSlice(begin)) && error_.empty()) {
    error_ = "range delete from \"" + std::string(begin) +
             "\": with sorted_batches a range delete must begin at a whole key family (\"name/\")";
  }
  batch_->DeleteRange(store_->Handle(cf), ToSlice(begin), ToSlice(end));
}

size_t Batch::Count() const { return batch_->Count(); }

void Batch::Clear() {
  batch_->Clear();
  error_.clear();
}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (options.path.empty()) return absl::InvalidArgumentError("state directory is empty");
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) {
    return absl::InvalidArgumentError("cannot create state directory " + options.path + ": " +
                                      ec.message());
  }
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_mb << 20);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = options.write_buffer_mb << 20;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.compression = rocksdb::kLZ4Compression;
  // A whole-key bloom filter on the memtable: point reads of absent keys
  // (new aggregates, dedup buckets) skip the skiplist search.
  cf_options.memtable_whole_key_filtering = true;
  cf_options.memtable_prefix_bloom_size_ratio = 0.05;
  if (options.sorted_batches) {
    cf_options.memtable_insert_with_hint_prefix_extractor = std::make_shared<KeyFamilyTransform>();
  }

  std::unique_ptr<Store> store(new Store());
  store->sorted_batches_ = options.sorted_batches;
  store->names_.push_back(rocksdb::kDefaultColumnFamilyName);
  for (const auto& n : options.column_families) store->names_.push_back(n);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : store->names_) descriptors.emplace_back(n, cf_options);

  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(db_options), options.path, descriptors,
                                        &store->handles_, &db);
  if (!s.ok()) return FromRocks(s, "open " + options.path);
  store->db_.reset(db);
  return store;
}

Store::~Store() { (void)Close(); }

int Store::Cf(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

rocksdb::ColumnFamilyHandle* Store::Handle(int cf) const { return handles_.at(cf); }

absl::StatusOr<std::optional<std::string>> Store::Get(int cf, std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), Handle(cf), ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "get");
  return std::optional<std::string>(std::move(value));
}

absl::Status Store::Write(Batch& batch, bool sync) {
  if (!batch.error_.empty()) return absl::InvalidArgumentError(batch.error_);
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  return FromRocks(db_->Write(wo, batch.batch_.get()), "write");
}

absl::Status Store::Scan(int cf, std::string_view prefix,
                         const std::function<bool(std::string_view, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Handle(cf)));
  for (it->Seek(ToSlice(prefix)); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    if (!k.starts_with(ToSlice(prefix))) break;
    if (!fn(std::string_view(k.data(), k.size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scan");
}

absl::Status Store::ScanRange(int cf, std::string_view begin, std::string_view end,
                              const std::function<bool(std::string_view, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Handle(cf)));
  for (it->Seek(ToSlice(begin)); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    if (k.compare(ToSlice(end)) >= 0) break;
    if (!fn(std::string_view(k.data(), k.size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scan");
}

absl::Status Store::Close() {
  if (!db_) return absl::OkStatus();
  rocksdb::FlushOptions fo;
  rocksdb::Status flushed = db_->Flush(fo, handles_);
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  handles_.clear();
  rocksdb::Status closed = db_->Close();
  db_.reset();
  if (!flushed.ok()) return FromRocks(flushed, "flush");
  return FromRocks(closed, "close");
}

}  // namespace cs::kv
