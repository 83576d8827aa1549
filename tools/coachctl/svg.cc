#include "tools/coachctl/svg.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/coachctl/html.h"

namespace cs::coachctl {
namespace {

constexpr char kBetter[] = "#2e7d32";
constexpr char kWorse[] = "#c62828";
constexpr char kNeutral[] = "#9e9e9e";
constexpr char kInk[] = "#263238";
constexpr char kFocus[] = "#1a237e";

std::string Text(double x, double y, const std::string& text, const std::string& attrs = "") {
  return absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>", x, y, attrs.empty() ? "" : " " + attrs,
                         HtmlEscape(text));
}

std::string Open(int width, int height, const std::string& title) {
  return absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
      "role=\"img\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\" fill=\"%s\">"
      "<title>%s</title>",
      width, height, width, height, kInk, HtmlEscape(title));
}

}  // namespace

std::string ComparisonChart(const std::vector<ComparisonRow>& rows, int width) {
  constexpr int kLabel = 230, kValue = 170, kRow = 26, kTop = 24;
  const int area = std::max(100, width - kLabel - kValue);
  const int height = kTop + kRow * static_cast<int>(rows.size()) + 8;
  auto x_of = [&](double index) { return kLabel + area * std::clamp(index, 0.0, 2.0) / 2.0; };
  std::string s = Open(width, height, "Drivers against the peer median (100% = peer median)");
  for (double tick : {0.0, 0.5, 1.0, 1.5, 2.0}) {
    const double x = x_of(tick);
    absl::StrAppend(&s, absl::StrFormat("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                                        "stroke-width=\"%s\"/>",
                                        x, kTop - 6, x, height - 4, tick == 1.0 ? kInk : "#e0e0e0",
                                        tick == 1.0 ? "1.5" : "1"));
    absl::StrAppend(&s, Text(x, 12, tick == 1.0 ? "peers" : absl::StrFormat("%.0f%%", 100 * tick),
                             "text-anchor=\"middle\" font-size=\"10\""));
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const ComparisonRow& r = rows[i];
    const double y = kTop + kRow * static_cast<double>(i);
    const std::string weight = r.focus ? " font-weight=\"bold\"" : "";
    absl::StrAppend(&s, Text(kLabel - 8, y + 17, r.focus ? r.label + " (focus)" : r.label,
                             "text-anchor=\"end\"" + weight));
    if (r.index) {
      const char* color = r.near ? kNeutral : r.better ? kBetter : kWorse;
      const double w = std::max(1.5, x_of(*r.index) - kLabel);
      absl::StrAppend(&s, absl::StrFormat("<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"16\" rx=\"2\" "
                                          "fill=\"%s\" fill-opacity=\"0.85\"%s/>",
                                          kLabel, y + 5, w, color,
                                          r.focus ? absl::StrFormat(" stroke=\"%s\" stroke-width=\"2\"", kFocus)
                                                  : ""));
      if (*r.index > 2.0) {
        absl::StrAppend(&s, Text(x_of(2.0) - 4, y + 17, "\u25B6", "text-anchor=\"end\" fill=\"#ffffff\""));
      }
    } else {
      absl::StrAppend(&s, Text(kLabel + 4, y + 17, "no peer benchmark",
                               absl::StrCat("fill=\"", kNeutral, "\" font-style=\"italic\"")));
    }
    absl::StrAppend(&s, Text(kLabel + area + 8, y + 17, r.value_text, weight.empty() ? "" : weight.substr(1)));
  }
  return s + "</svg>";
}

std::string TrendChart(const std::vector<TrendPoint>& points, const std::vector<ReferenceLine>& lines,
                       int width, int height) {
  constexpr int kLeft = 40, kRight = 130, kTop = 24, kBottom = 28;
  std::string s = Open(width, height, "Focus driver by month");
  double hi = 0, lo = 0;
  for (const auto& p : points) {
    if (p.value) hi = std::max(hi, *p.value), lo = std::min(lo, *p.value);
  }
  for (const auto& l : lines) hi = std::max(hi, l.value), lo = std::min(lo, l.value);
  if (hi <= lo) hi = lo + 1;
  hi += (hi - lo) * 0.12;
  const double plot_w = width - kLeft - kRight, plot_h = height - kTop - kBottom;
  auto y_of = [&](double v) { return kTop + plot_h * (1 - (v - lo) / (hi - lo)); };
  auto x_of = [&](size_t i) {
    return points.size() <= 1 ? kLeft + plot_w / 2 : kLeft + plot_w * static_cast<double>(i) / (points.size() - 1);
  };
  absl::StrAppend(&s, absl::StrFormat("<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bdbdbd\"/>",
                                      kLeft, y_of(lo), kLeft + plot_w, y_of(lo)));
  absl::StrAppend(&s, Text(kLeft - 6, y_of(lo) + 4, lo == 0 ? "0" : "", "text-anchor=\"end\" font-size=\"10\""));
  for (const auto& l : lines) {
    const double y = y_of(l.value);
    absl::StrAppend(&s, absl::StrFormat("<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                                        "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
                                        kLeft, y, kLeft + plot_w, y, HtmlEscape(l.color)));
    absl::StrAppend(&s, Text(kLeft + plot_w + 6, y + 4, l.label, "fill=\"" + HtmlEscape(l.color) + "\""));
  }
  std::string path;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!points[i].value) continue;
    const bool start = i == 0 || !points[i - 1].value;
    absl::StrAppend(&path, absl::StrFormat("%s%.1f %.1f ", start ? "M" : "L", x_of(i), y_of(*points[i].value)));
  }
  if (!path.empty()) {
    absl::StrAppend(&s, absl::StrFormat("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"/>", path,
                                        kFocus));
  }
  for (size_t i = 0; i < points.size(); ++i) {
    const double x = x_of(i);
    absl::StrAppend(&s, Text(x, height - 8, points[i].label, "text-anchor=\"middle\" font-size=\"11\""));
    if (!points[i].value) {
      absl::StrAppend(&s, Text(x, y_of(lo) - 6, "no data", "text-anchor=\"middle\" font-size=\"10\" fill=\"" +
                                                                std::string(kNeutral) + "\""));
      continue;
    }
    const double y = y_of(*points[i].value);
    absl::StrAppend(&s, absl::StrFormat("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>", x, y, kFocus));
    absl::StrAppend(&s, Text(x, y - 9, points[i].value_text, "text-anchor=\"middle\" font-size=\"11\""));
  }
  return s + "</svg>";
}

std::string ProgressBar(double fraction, const std::string& label, const std::string& color, int width) {
  const double f = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
  std::string s = Open(width, 26, label);
  absl::StrAppend(&s, absl::StrFormat("<rect x=\"0\" y=\"3\" width=\"%d\" height=\"20\" rx=\"3\" fill=\"#eceff1\"/>",
                                      width));
  absl::StrAppend(&s, absl::StrFormat("<rect x=\"0\" y=\"3\" width=\"%.1f\" height=\"20\" rx=\"3\" fill=\"%s\"/>",
                                      width * f, HtmlEscape(color)));
  // Inside the fill when it is wide enough, else just after it.
  absl::StrAppend(&s, f > 0.5 ? Text(8, 17, label, "fill=\"#ffffff\"") : Text(width * f + 8, 17, label));
  return s + "</svg>";
}

}  // namespace cs::coachctl
