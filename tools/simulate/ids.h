#pragma once

// Vendor-shaped identifiers. All are deterministic functions of (salt,
// counter) and unique per counter: the mixing function is a bijection on 64
// bits, so two counters never collide.

#include <cstdint>
#include <string>
#include <string_view>

namespace cs::simulate {

// Salesforce 18-character id: 3-char key prefix ("005" user, "006"
// opportunity, "00k" line item, "001" account, "003" contact, "00D" org), a
// 2-char pod, a base-62 body, and the 3-char case-safe checksum suffix.
std::string SalesforceId(std::string_view prefix, uint64_t counter);

// A 64-bit bijective mix of `x` (splitmix64 finaliser).
uint64_t Mix64(uint64_t x);

// A decimal id of exactly `digits` digits (2..19), unique per counter while
// counter < 10^(digits-1).
std::string DecimalId(uint64_t salt, uint64_t counter, int digits);

// Google Calendar event id: 26 chars of base32hex (lower case).
std::string GoogleEventId(uint64_t salt, uint64_t counter);
// Microsoft Graph event id ("AAMkAG..." base64-like, ends with '=').
std::string GraphEventId(uint64_t salt, uint64_t counter);
// A base64-like token of `len` chars (Graph changeKey).
std::string Base64Token(uint64_t salt, uint64_t counter, int len);
// 8-4-4-4-12 lower-case hex (Salesforce transactionKey, GUIDs).
std::string Uuid(uint64_t salt, uint64_t counter);

}  // namespace cs::simulate
