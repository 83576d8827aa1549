#pragma once

// A batch's writes of one key family, serialised into one contiguous
// buffer in key order (StateTable::Prepare), so that the thread that hands
// them to the store reads memory front to back instead of chasing a
// pointer per entry into the overlay.

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "services/metrics/core/ports.h"

namespace cs::metrics {

class WriteRun {
 public:
  // Record layout: op (1 byte), key size and value size (4 bytes each,
  // native order: the run never leaves the process), key, value.
  void Append(Mutation::Op op, std::string_view key, std::string_view value) {
    const char code = op == Mutation::Op::kPut ? 'P' : 'D';
    const auto key_size = static_cast<uint32_t>(key.size());
    const auto value_size = static_cast<uint32_t>(value.size());
    const size_t at = bytes_.size();
    bytes_.resize(at + kHeader + key.size() + value.size());
    char* out = bytes_.data() + at;
    out[0] = code;
    std::memcpy(out + 1, &key_size, 4);
    std::memcpy(out + 5, &value_size, 4);
    std::memcpy(out + kHeader, key.data(), key.size());
    if (!value.empty()) std::memcpy(out + kHeader + key.size(), value.data(), value.size());
    ++count_;
  }
  size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Forgets the records; the buffer keeps its capacity for the next batch.
  void Clear() {
    bytes_.clear();
    count_ = 0;
  }

  // Reads a run front to back.
  class Cursor {
   public:
    explicit Cursor(const WriteRun& run) : at_(run.bytes_.data()), end_(run.bytes_.data() + run.bytes_.size()) {
      Read();
    }
    bool done() const { return done_; }
    Mutation::Op op() const { return op_; }
    std::string_view key() const { return key_; }
    std::string_view value() const { return value_; }
    void Next() { Read(); }

   private:
    void Read() {
      if (at_ == end_) {
        done_ = true;
        return;
      }
      uint32_t key_size = 0;
      uint32_t value_size = 0;
      op_ = at_[0] == 'P' ? Mutation::Op::kPut : Mutation::Op::kDelete;
      std::memcpy(&key_size, at_ + 1, 4);
      std::memcpy(&value_size, at_ + 5, 4);
      key_ = std::string_view(at_ + kHeader, key_size);
      value_ = std::string_view(at_ + kHeader + key_size, value_size);
      at_ += kHeader + key_size + value_size;
    }
    const char* at_;
    const char* end_;
    bool done_ = false;
    Mutation::Op op_ = Mutation::Op::kPut;
    std::string_view key_;
    std::string_view value_;
  };

 private:
  static constexpr size_t kHeader = 9;
  std::string bytes_;
  size_t count_ = 0;
};

// Visits the records of `runs` (each sorted by key, no key in two runs:
// e.g. one family's runs of several shards) merged in ascending key order.
void VisitMerged(std::span<const WriteRun* const> runs, MutationVisitor visit);

}  // namespace cs::metrics
