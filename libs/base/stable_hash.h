#pragma once

// FNV-1a, 64 bit: the same value in every process and build, unlike
// absl::Hash (salted per process). For hashes that are stored or that must
// route the same way after a restart. Chain calls to hash several parts:
// Fnv1a(b, Fnv1a(a)).

#include <cstdint>
#include <string_view>

namespace cs {

inline constexpr uint64_t kFnv1aOffset = 0xcbf29ce484222325ull;

inline uint64_t Fnv1a(std::string_view bytes, uint64_t h = kFnv1aOffset) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// MurmurHash3's 64-bit finaliser: every input bit moves every output bit
// (FNV-1a alone leaves its high bits weak). Stable like Fnv1a.
inline uint64_t Murmur3Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace cs
