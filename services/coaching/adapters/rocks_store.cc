#include "services/coaching/adapters/rocks_store.h"

namespace cs::coaching_service {

absl::StatusOr<std::optional<std::string>> RocksCoachingStore::Get(std::string_view key) const {
  return store_.Get(cf_, key);
}

absl::Status RocksCoachingStore::Write(const std::vector<coaching::StoreWrite>& writes) {
  kv::Batch batch(store_);
  for (const coaching::StoreWrite& w : writes) {
    if (w.op == coaching::StoreWrite::Op::kPut) {
      batch.Put(cf_, w.key, w.value);
    } else {
      batch.Delete(cf_, w.key);
    }
  }
  return store_.Write(batch, /*sync=*/true);
}

absl::Status RocksCoachingStore::Scan(
    std::string_view prefix, absl::FunctionRef<bool(std::string_view key, std::string_view value)> fn) const {
  return store_.Scan(cf_, prefix, [&fn](std::string_view k, std::string_view v) { return fn(k, v); });
}

}  // namespace cs::coaching_service
