#pragma once

// Money as integer minor units (never double in the output).

#include <cstdint>
#include <optional>
#include <string_view>

namespace cs::ingest {

// ISO 4217 minor-unit exponent: 0 for JPY/KRW/..., 3 for BHD/KWD/..., else 2
// (also for an empty or unknown code).
int CurrencyExponent(std::string_view code);

// "98000", "-12.5", "1e3" is NOT accepted: plain decimals only. Digits past
// `exponent` are rounded half away from zero. nullopt on garbage or overflow.
std::optional<int64_t> DecimalToMinor(std::string_view text, int exponent);

// A JSON number (Salesforce Amount 98000.0) to minor units, rounded to
// nearest; nullopt if not finite or out of range.
std::optional<int64_t> DoubleToMinor(double value, int exponent);

}  // namespace cs::ingest
