#pragma once

// Inline SVG charts for the 1:1 pack. Pure string builders; every label is
// escaped here. Sizes are in CSS pixels; charts scale with the page
// (viewBox) and need no script or external asset.

#include <optional>
#include <string>
#include <vector>

namespace cs::coachctl {

// One driver against its peer benchmark.
struct ComparisonRow {
  std::string label;       // "connect rate"
  std::string value_text;  // "18% vs 31%"
  // rep value / peer median: 1 = at the median. nullopt: no usable benchmark.
  std::optional<double> index;
  bool better = false;     // the rep is at or better than the median (direction-aware)
  bool near = false;       // within a few percent of the median: drawn neutral
  bool focus = false;      // the month's focus driver: drawn emphasised
};

// Horizontal bars of index vs peer median (the median is the 100% line),
// capped at 200%; green when better, red when worse, grey when near the
// median; focus rows outlined.
std::string ComparisonChart(const std::vector<ComparisonRow>& rows, int width);

struct TrendPoint {
  std::string label;        // "2024-06"
  std::optional<double> value;
  std::string value_text;   // "18%"
};

// A horizontal reference line (peer median, target).
struct ReferenceLine {
  std::string label;        // "peers 31%"
  double value = 0;
  std::string color;        // CSS colour
};

// The focus driver month by month as a line with labelled points, plus
// dashed reference lines. Months without a value break the line.
std::string TrendChart(const std::vector<TrendPoint>& points, const std::vector<ReferenceLine>& lines,
                       int width, int height);

// A filled bar for progress toward a goal: `fraction` of the width (clamped
// to 0..1), with `label` inside or beside it.
std::string ProgressBar(double fraction, const std::string& label, const std::string& color, int width);

}  // namespace cs::coachctl
