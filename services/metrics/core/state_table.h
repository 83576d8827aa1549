#pragma once

// The in-batch overlay over committed state: each key is read from the
// store at most once (then served from memory, also across batches while
// the cache is small enough) and written at most once per batch.
//
// Packed entries. Families that are many and large when parsed (a rep's
// month of aggregates: ~400 bytes per week part parsed, a tenth of that
// serialised) keep, once written, only their serialised bytes, parsed
// again on the next Load: a replay's state then grows by the serialised
// size, and the parsed values of one batch reuse the memory of the last
// one's (see kPackWhenClean). A pointer into a slot's value is valid until
// the next TakeMutations (or Prepare).
//
// Not thread-safe: one table belongs to one Ledger (see ledger.h).

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message_lite.h"
#include "libs/base/status.h"
#include "services/metrics/core/absl_compat.h"
#include "services/metrics/core/ports.h"
#include "services/metrics/core/write_run.h"

namespace cs::metrics {

template <typename T>
struct Slot {
  T value;               // default-constructed when absent or packed
  bool present = false;  // false: absent in the store, or deleted in this batch
  bool dirty = false;
  bool packed = false;   // the value is in `bytes` (only between batches)
  const std::string* key = nullptr;  // owned by the table
  std::string bytes;     // the serialised value while packed
};

// Whether a family's clean entries are kept packed (see above).
template <typename T>
inline constexpr bool kPackWhenClean = false;

// Parse/serialize hooks; overloaded for non-proto entry types.
inline bool ParseEntry(std::string_view bytes, google::protobuf::MessageLite* msg) {
  return msg->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}
inline void SerializeEntry(const google::protobuf::MessageLite& msg, std::string* out) {
  msg.SerializeToString(out);
}

template <typename T>
class StateTable {
 public:
  // The slot of `key`, loaded from `reader` on first use. The pointer stays
  // valid until Clear(). A stored value that does not parse is a DATA_LOSS
  // error naming the key.
  absl::StatusOr<Slot<T>*> Load(const StateReader& reader, std::string_view key) {
    auto it = slots_.find(AbslView(key));
    if (it != slots_.end()) {
      Slot<T>* slot = &it->second;
      if (slot->packed) {
        if (!ParseEntry(slot->bytes, &slot->value)) {
          return absl::DataLossError("metrics state cached at key \"" + std::string(key) + "\" does not parse");
        }
        slot->packed = false;
        std::string().swap(slot->bytes);
      }
      return slot;
    }
    CS_ASSIGN_OR_RETURN(std::optional<std::string> bytes, reader.Get(key));
    auto [pos, inserted] = slots_.try_emplace(std::string(key));
    Slot<T>* slot = &pos->second;
    slot->key = &pos->first;
    if (bytes.has_value()) {
      if (!ParseEntry(*bytes, &slot->value)) {
        slots_.erase(pos);
        return absl::DataLossError("metrics state at key \"" + std::string(key) + "\" does not parse");
      }
      slot->present = true;
    }
    return slot;
  }

  // Records that `slot` (from Load) must be written at the end of the batch:
  // a put of its value if present, else a delete.
  void MarkDirty(Slot<T>* slot) {
    if (slot->dirty) return;
    slot->dirty = true;
    dirty_.push_back(slot);
  }

  // Visits one put or delete per dirty slot, in ascending key order (the
  // store inserts sorted runs faster), and marks them clean (packed, for a
  // kPackWhenClean family).
  void TakeMutations(MutationVisitor visit) {
    Prepare();
    VisitPrepared(visit);
  }

  // TakeMutations in two steps, so that the costly one can run on the
  // table's own thread: Prepare sorts the dirty slots by key, serialises
  // them into prepared() (one contiguous run, which a single thread then
  // reads front to back: see VisitMerged) and marks them clean; a packed
  // family keeps the bytes and frees the parsed value. prepared() is
  // valid until the next Prepare or ClearPrepared.
  void Prepare() {
    std::sort(dirty_.begin(), dirty_.end(), [](const Slot<T>* a, const Slot<T>* b) { return *a->key < *b->key; });
    prepared_.Clear();
    for (Slot<T>* slot : dirty_) {
      if (slot->present) {
        std::string* bytes = kPackWhenClean<T> ? &slot->bytes : &scratch_;
        bytes->clear();
        SerializeEntry(slot->value, bytes);
        prepared_.Append(Mutation::Op::kPut, *slot->key, *bytes);
        if constexpr (kPackWhenClean<T>) {
          slot->value = T();  // frees the parsed value
          slot->packed = true;
        }
      } else {
        prepared_.Append(Mutation::Op::kDelete, *slot->key, std::string_view());
      }
      slot->dirty = false;
    }
    dirty_.clear();
  }
  const WriteRun& prepared() const { return prepared_; }
  void ClearPrepared() { prepared_.Clear(); }
  // Visits this table's prepared run alone, then clears it.
  void VisitPrepared(MutationVisitor visit) {
    const WriteRun* run = &prepared_;
    VisitMerged(std::span<const WriteRun* const>(&run, 1), visit);
    prepared_.Clear();
  }

  size_t size() const { return slots_.size(); }
  size_t dirty_count() const { return dirty_.size(); }
  void Clear() {
    slots_.clear();
    dirty_.clear();
    prepared_.Clear();
  }

 private:
  absl::node_hash_map<std::string, Slot<T>> slots_;
  std::vector<Slot<T>*> dirty_;
  WriteRun prepared_;  // see Prepare
  std::string scratch_;  // a family kept parsed: each value while it is copied into prepared_
};

}  // namespace cs::metrics
