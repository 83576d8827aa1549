#pragma once

// The metrics core's ports over RocksDB (column family "state").
// Thread-safe: the consumer thread and gRPC handlers share one instance.

#include "libs/base/status.h"
#include "libs/kv/store.h"
#include "services/metrics/core/ports.h"

namespace cs::metrics_service {

class RocksState final : public metrics::StateReader, public metrics::StateScanner {
 public:
  RocksState(const kv::Store& store, int cf) : store_(store), cf_(cf) {}

  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const override {
    return store_.Get(cf_, key);
  }

  absl::StatusOr<bool> Empty() const override {
    bool empty = true;
    CS_RETURN_IF_ERROR(store_.Scan(cf_, "", [&](std::string_view, std::string_view) { return empty = false; }));
    return empty;
  }

  absl::Status Scan(std::string_view prefix,
                    absl::FunctionRef<bool(std::string_view, std::string_view)> fn) const override {
    return store_.Scan(cf_, prefix, [&](std::string_view k, std::string_view v) { return fn(k, v); });
  }

 private:
  const kv::Store& store_;
  int cf_;
};

}  // namespace cs::metrics_service
