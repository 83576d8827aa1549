#include "services/ingest/core/money.h"

#include <array>
#include <cmath>
#include <limits>

namespace cs::ingest {

int CurrencyExponent(std::string_view code) {
  static constexpr std::array<std::string_view, 16> kZero = {
      "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
      "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::array<std::string_view, 7> kThree = {"BHD", "IQD", "JOD", "KWD",
                                                             "LYD", "OMR", "TND"};
  for (std::string_view c : kZero) {
    if (c == code) return 0;
  }
  for (std::string_view c : kThree) {
    if (c == code) return 3;
  }
  return 2;
}

std::optional<int64_t> DecimalToMinor(std::string_view text, int exponent) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 10 - 10;
  int64_t units = 0;
  bool any_digit = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (units > kMax) return std::nullopt;
    units = units * 10 + (text[i] - '0');
    any_digit = true;
  }
  int frac_digits = 0;
  bool round_up = false;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      any_digit = true;
      if (frac_digits < exponent) {
        if (units > kMax) return std::nullopt;
        units = units * 10 + (text[i] - '0');
        ++frac_digits;
      } else if (frac_digits == exponent) {
        round_up = text[i] >= '5';
        ++frac_digits;  // only the first extra digit decides
      }
    }
  }
  if (!any_digit || i != text.size()) return std::nullopt;
  for (int k = std::min(frac_digits, exponent); k < exponent; ++k) {
    if (units > kMax) return std::nullopt;
    units *= 10;
  }
  if (round_up) ++units;
  return negative ? -units : units;
}

std::optional<int64_t> DoubleToMinor(double value, int exponent) {
  if (!std::isfinite(value)) return std::nullopt;
  double scaled = value * std::pow(10.0, exponent);
  if (std::fabs(scaled) > 9.0e18) return std::nullopt;
  return static_cast<int64_t>(std::llround(scaled));
}

}  // namespace cs::ingest
