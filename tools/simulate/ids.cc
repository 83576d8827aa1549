#include "tools/simulate/ids.h"

#include <cstdio>

namespace cs::simulate {
namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kBase32Hex = "0123456789abcdefghijklmnopqrstuv";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// Appends `n` chars of `alphabet` taken from successive digits of `v`.
void AppendDigits(uint64_t v, std::string_view alphabet, int n, std::string* out) {
  for (int i = 0; i < n; ++i) {
    out->push_back(alphabet[v % alphabet.size()]);
    v /= alphabet.size();
  }
}

}  // namespace

uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::string SalesforceId(std::string_view prefix, uint64_t counter) {
  // 15 = 3 prefix + "5g" pod + 4 zeros + 6 base-62 digits of the counter
  // (sequential, like real record ids of one org).
  std::string id(prefix);
  id += "5g0000";
  std::string body;
  uint64_t v = counter + 2'000'000'000ULL;  // leading digits look like real ids
  for (int i = 0; i < 6; ++i) {
    body.insert(body.begin(), kBase62[v % 62]);
    v /= 62;
  }
  id += body;
  static constexpr std::string_view kSuffix = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  for (int chunk = 0; chunk < 3; ++chunk) {
    int flags = 0;
    for (int j = 0; j < 5; ++j) {
      char c = id[chunk * 5 + j];
      if (c >= 'A' && c <= 'Z') flags |= 1 << j;
    }
    id.push_back(kSuffix[flags]);
  }
  return id;
}

std::string DecimalId(uint64_t salt, uint64_t counter, int digits) {
  // First digit 1-9 from the salt; the rest is (base + counter * 7919) mod
  // 10^(digits-1): 7919 is coprime with 10, so the map is injective while
  // counter < 10^(digits-1).
  uint64_t span = 1;
  for (int i = 1; i < digits; ++i) span *= 10;
  const uint64_t first = 1 + salt % 9;
  const uint64_t rest = (Mix64(salt) % span + (counter * 7919) % span) % span;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%llu%0*llu", static_cast<unsigned long long>(first), digits - 1,
                static_cast<unsigned long long>(rest));
  return buf;
}

std::string GoogleEventId(uint64_t salt, uint64_t counter) {
  std::string id;
  AppendDigits(Mix64(counter ^ salt), kBase32Hex, 13, &id);  // 65 bits: injective
  AppendDigits(Mix64(counter + salt * 31), kBase32Hex, 13, &id);
  return id;
}

std::string GraphEventId(uint64_t salt, uint64_t counter) {
  std::string id = "AAMkAG";
  AppendDigits(Mix64(salt), kBase64, 10, &id);
  AppendDigits(Mix64(counter ^ (salt * 7)), kBase64, 11, &id);  // 11 base-62 digits: injective
  AppendDigits(Mix64(counter + salt), kBase64, 9, &id);
  id += "AAA=";
  return id;
}

std::string Base64Token(uint64_t salt, uint64_t counter, int len) {
  std::string out;
  uint64_t v = Mix64(counter ^ salt);
  while (static_cast<int>(out.size()) < len) {
    AppendDigits(v, kBase64, 10, &out);
    v = Mix64(v);
  }
  out.resize(len);
  return out;
}

std::string Uuid(uint64_t salt, uint64_t counter) {
  const uint64_t a = Mix64(counter ^ salt);
  const uint64_t b = Mix64(a + counter);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(a >> 32),
                static_cast<unsigned long long>((a >> 16) & 0xFFFF),
                static_cast<unsigned long long>(a & 0xFFFF),
                static_cast<unsigned long long>(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

}  // namespace cs::simulate
