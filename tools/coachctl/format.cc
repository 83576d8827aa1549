#include "tools/coachctl/format.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cs::coachctl {
namespace {

std::string Thousands(int64_t n) {
  std::string digits = absl::StrCat(n);
  std::string out;
  const int len = static_cast<int>(digits.size());
  for (int i = 0; i < len; ++i) {
    if (i > 0 && (len - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Display width of UTF-8 text: code points, not bytes.
size_t Width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A number with an optional sign, "$" and unit suffix ("$80,000", "-42%",
// "1.8x", "18 d", "11.0/h"), or a placeholder ("", "-").
bool LooksNumeric(std::string_view s) {
  if (s.empty() || s == "-") return true;
  size_t i = 0;
  while (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == '$')) ++i;
  const size_t digits_from = i;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ',' || s[i] == '.')) ++i;
  if (i == digits_from || !std::isdigit(static_cast<unsigned char>(s[digits_from]))) return false;
  const std::string_view unit = s.substr(i);
  for (std::string_view u : {"", "%", "x", " d", " s", " min", "/h", "/wk"}) {
    if (unit == u) return true;
  }
  return false;
}

}  // namespace

std::string FormatMoney(double minor) {
  const int64_t major = std::llround(minor / 100.0);
  return absl::StrCat(major < 0 ? "-" : "", "$", Thousands(major < 0 ? -major : major));
}

std::string FormatPercent(double ratio) {
  const double pct = 100 * ratio;
  if (std::abs(pct) < 10 && std::abs(pct - std::round(pct)) > 0.05) return absl::StrFormat("%.1f%%", pct);
  return absl::StrFormat("%.0f%%", pct);
}

std::string FormatNumber(double value) {
  if (std::abs(value - std::round(value)) < 1e-9) return absl::StrFormat("%.0f", value);
  if (std::abs(value) >= 100) return absl::StrFormat("%.0f", value);
  if (std::abs(value) >= 10) return absl::StrFormat("%.1f", value);
  return absl::StrFormat("%.2f", value);
}

std::string FormatValue(std::string_view driver, std::string_view unit, double value) {
  if (unit == "ratio") {
    if (driver == "pipeline_coverage") return absl::StrFormat("%.1fx", value);
    if (driver == "meeting_rate" || driver == "opportunity_rate") return absl::StrFormat("%.2f", value);
    return FormatPercent(value);
  }
  if (unit == "minor_units") return FormatMoney(value);
  if (unit == "bps") return absl::StrFormat("%.1f%%", value / 100);
  if (unit == "days") return absl::StrFormat("%.0f d", value);
  if (unit == "seconds") return absl::StrFormat("%.0f s", value);
  if (unit == "minutes") return absl::StrFormat("%.0f min", value);
  if (unit == "per_hour") return absl::StrFormat("%.1f/h", value);
  if (unit == "per_week") return absl::StrFormat("%.1f/wk", value);
  return FormatNumber(value);
}

bool LowerIsBetter(std::string_view driver) {
  return driver == "median_cycle_days" || driver == "expected_cycle_days" || driver == "avg_discount" || driver == "longest_monologue" ||
         driver == "close_date_slips" || driver == "stalled_deals" || driver == "talk_ratio" ||
         driver == "deals_lost";
}

std::string Truncate(std::string_view text, size_t width) {
  if (Width(text) <= width) return std::string(text);
  std::string out;
  size_t n = 0;
  const size_t keep = width > 3 ? width - 3 : 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = text[i];
    if ((c & 0xC0) != 0x80) {
      if (n == keep) break;
      ++n;
    }
    out.push_back(text[i]);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "...";
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::string& c : cells) std::replace(c.begin(), c.end(), '\n', ' ');
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  const size_t n = headers_.size();
  std::vector<size_t> width(n);
  // Right-aligned: every cell numeric or a placeholder, at least one a number.
  std::vector<bool> numeric(n, true), any_number(n, false);
  for (size_t i = 0; i < n; ++i) width[i] = Width(headers_[i]);
  for (const auto& row : rows_) {
    for (size_t i = 0; i < n; ++i) {
      width[i] = std::max(width[i], Width(row[i]));
      if (!LooksNumeric(row[i])) numeric[i] = false;
      if (!row[i].empty() && row[i] != "-") any_number[i] = true;
    }
  }
  std::vector<bool> right(n);
  for (size_t i = 0; i < n; ++i) right[i] = numeric[i] && any_number[i];
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
      const std::string pad(width[i] - Width(cells[i]), ' ');
      if (i > 0) out += "  ";
      out += right[i] ? pad + cells[i] : cells[i] + (i + 1 < n ? pad : "");
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers_);
  for (const auto& row : rows_) out += line(row);
  return out;
}

}  // namespace cs::coachctl

namespace cs::coachctl {

namespace {

struct DriverText {
  std::string_view name, label, unit;
};

// Labels and units of the metrics service's drivers (DRIVERS.md) and the two
// rates the coaching service derives.
constexpr DriverText kDriverTexts[] = {
    {"calls_made", "calls made", "count"},
    {"calls_connected", "calls connected", "count"},
    {"connect_rate", "connect rate", "ratio"},
    {"customer_meetings_held", "customer meetings held", "count"},
    {"first_meetings_held", "first meetings held", "count"},
    {"meetings_booked", "meetings booked", "count"},
    {"opportunities_created", "opportunities created", "count"},
    {"pipeline_created", "pipeline created", "minor_units"},
    {"open_pipeline", "open pipeline", "minor_units"},
    {"open_deals", "open deals", "count"},
    {"pipeline_coverage", "pipeline coverage", "ratio"},
    {"stage_conversion_prospecting", "prospecting conversion", "ratio"},
    {"stage_conversion_qualification", "qualification conversion", "ratio"},
    {"stage_conversion_discovery", "discovery conversion", "ratio"},
    {"stage_conversion_proposal", "proposal conversion", "ratio"},
    {"stage_conversion_negotiation", "negotiation conversion", "ratio"},
    {"deals_won", "deals won", "count"},
    {"deals_lost", "deals lost", "count"},
    {"win_rate_count", "win rate", "ratio"},
    {"win_rate_amount", "win rate by amount", "ratio"},
    {"avg_won_deal_size", "average won deal", "minor_units"},
    {"median_cycle_days", "median sales cycle", "days"},
    {"expected_cycle_days", "sales cycle, open deals counted", "days"},
    {"avg_discount", "average discount", "bps"},
    {"close_date_slips", "close-date slips", "count"},
    {"stalled_deals", "stalled deals", "count"},
    {"talk_ratio", "talk ratio", "ratio"},
    {"longest_monologue", "longest monologue", "seconds"},
    {"question_rate", "questions per hour", "per_hour"},
    {"next_step_rate", "next-step rate", "ratio"},
    {"coaching_minutes", "coaching minutes", "minutes"},
    {"sessions_one_on_one", "1:1 sessions", "count"},
    {"sessions_micro", "micro-coaching sessions", "count"},
    {"micro_coaching_per_week", "micro-coaching per week", "per_week"},
    {"bookings", "bookings", "minor_units"},
    {"quota", "quota", "minor_units"},
    {"attainment", "attainment", "ratio"},
    {"meeting_rate", "meetings per connected call", "ratio"},
    {"opportunity_rate", "opportunities per first meeting", "ratio"},
};

const DriverText* FindText(std::string_view driver) {
  for (const auto& t : kDriverTexts) {
    if (t.name == driver) return &t;
  }
  return nullptr;
}

}  // namespace

std::string DriverUnit(std::string_view driver) {
  const DriverText* t = FindText(driver);
  return t ? std::string(t->unit) : "count";
}

std::string DriverLabel(std::string_view driver) {
  if (const DriverText* t = FindText(driver)) return std::string(t->label);
  std::string out(driver);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string EnumLabel(std::string_view name, std::string_view prefix) {
  if (name.substr(0, prefix.size()) == prefix) name.remove_prefix(prefix.size());
  if (name == "UNSPECIFIED") return "-";  // e.g. no tier: SDRs carry no bookings quota
  std::string out;
  for (char c : name) out.push_back(c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

}  // namespace cs::coachctl
