// A small, dependency-free SVG line chart: series of points with whiskers (median and
// quartiles), linear or log axes with readable ticks, a legend. CLI only.
#pragma once

#include <string>
#include <vector>

namespace mimkit {
namespace cli {

struct ChartPoint {
  double x = 0;
  double median = 0, q1 = 0, q3 = 0;  ///< whisker from q1 to q3
  std::size_t count = 0;              ///< samples behind the point (seeds)
};

struct ChartSeries {
  std::string name;
  std::vector<ChartPoint> points;  ///< sorted by x
};

struct Chart {
  std::string title, xlabel, ylabel;
  bool logx = false, logy = false;
  std::vector<ChartSeries> series;
};

/// The chart as a self-contained SVG document (560 units high; the width grows with the legend).
/// Markers carry data-x, data-median, data-q1, data-q3 and data-series attributes so tools can read
/// the numbers back.
std::string render_svg(const Chart& chart);

/// Nice tick positions covering [lo, hi]: 1-2-5 steps (linear) or decades (log; with 2 and 5
/// when the range spans fewer than three decades).
std::vector<double> ticks(double lo, double hi, bool log);

}  // namespace cli
}  // namespace mimkit
