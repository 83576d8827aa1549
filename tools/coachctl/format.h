#pragma once

// Plain-text output for people: aligned tables and driver values in their
// units. Pure functions, no I/O; the commands print what these return.

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace cs::coachctl {

// Debian's Abseil has its own absl::string_view (not std::string_view):
// StrCat and friends need this conversion.
inline absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Money in minor units as whole major units: "$12,345" (USD is the tenant
// currency assumed by the metrics service, DRIVERS.md). Negative: "-$5".
std::string FormatMoney(double minor);
// A ratio 0..1 as a percentage with one decimal below 10%: "23%", "4.5%".
std::string FormatPercent(double ratio);
// A driver value in its unit ("ratio", "minor_units", "bps", "days",
// "seconds", "minutes", "per_hour", "per_week", "count"). Unknown units print
// as a plain number. Coverage-like ratios print as "1.8x".
std::string FormatValue(std::string_view driver, std::string_view unit, double value);
// A number without trailing zeros: 3 -> "3", 2.5 -> "2.5", 0.125 -> "0.13".
std::string FormatNumber(double value);
// True for drivers where a lower value is better (DRIVERS.md, "Benchmarks").
bool LowerIsBetter(std::string_view driver);
// Cuts `text` to at most `width` characters (UTF-8 aware), ending in "...".
std::string Truncate(std::string_view text, size_t width);

// An aligned text table. Columns whose every cell looks numeric are
// right-aligned. Cells must not contain newlines (they are replaced).
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }
  // Header line, then rows; two spaces between columns; no trailing spaces.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace cs::coachctl

namespace cs::coachctl {

// Plain-language label of a driver ("connect rate"); unknown names are
// returned with underscores as spaces.
std::string DriverLabel(std::string_view driver);
// The unit of a known driver ("ratio", "minor_units", ...); "count" when
// unknown. For values that come without one (objectives, evidence).
std::string DriverUnit(std::string_view driver);
// "ROLE_ACCOUNT_EXECUTIVE" -> "account executive" (any enum value name with
// the given prefix).
std::string EnumLabel(std::string_view name, std::string_view prefix);

}  // namespace cs::coachctl
