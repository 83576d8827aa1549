#pragma once

// Ports of the metrics core: what it needs from the key-value store, which
// the adapter implements over RocksDB (tests: over an in-memory map).
//
// Keys and values are opaque bytes to the store; the layout is in keys.h and
// the values are coachstream.v1 messages from metrics_state.proto.

#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cs::metrics {

// Point reads of committed state. Called by MetricsCore at most once per key
// per batch (less with the cross-batch cache) and by the query functions.
// Must be safe to call from the thread that owns the core; queries may use
// their own reader (e.g. over a RocksDB snapshot) from other threads.
class StateReader {
 public:
  virtual ~StateReader() = default;
  // nullopt when the key is absent; an error only for a storage failure.
  virtual absl::StatusOr<std::optional<std::string>> Get(std::string_view key) const = 0;
  // True only if the store holds no state at all. The core then knows
  // every key it has not written itself to be absent and skips the point
  // reads, until it forgets what it wrote (see MetricsCore::ClearCache).
  // The default never claims it.
  virtual absl::StatusOr<bool> Empty() const { return false; }
};

// Ordered prefix scans of committed state, used by queries only.
class StateScanner {
 public:
  virtual ~StateScanner() = default;
  // Calls `fn` for every key starting with `prefix`, in ascending byte order,
  // until `fn` returns false. The views are valid only during the call.
  virtual absl::Status Scan(std::string_view prefix,
                            absl::FunctionRef<bool(std::string_view key, std::string_view value)> fn)
      const = 0;
};

// One write of a batch. The adapter applies a batch's mutations, in any
// order (each key appears once), in the same atomic write as the consumed
// offsets.
struct Mutation {
  enum class Op { kPut, kDelete };
  Op op = Op::kPut;
  std::string key;
  std::string value;  // empty for kDelete

  friend bool operator==(const Mutation&, const Mutation&) = default;
};

// Receives one mutation; `value` is empty for kDelete. The views are valid
// only during the call (copy them, e.g. into a rocksdb::WriteBatch).
using MutationVisitor =
    absl::FunctionRef<void(Mutation::Op op, std::string_view key, std::string_view value)>;

}  // namespace cs::metrics
