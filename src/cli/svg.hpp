// A small, dependency-free SVG chart of a sweep: per series the median over seeds as a line
// with quartile whiskers and every seed as a dot (or, for step-resolved traces, every run as a
// thin line under a thick median), an optional lower panel with the share of seeds meeting a
// success condition, log-log fits, marks for runs that diverged, linear or log axes with
// readable ticks, a legend. Every number drawn is also an attribute, so tools can read the
// figure back. CLI only.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace mimkit {
namespace cli {

struct ChartPoint {
  double x = 0;
  double median = 0, q1 = 0, q3 = 0;  ///< whisker from q1 to q3
  double min = 0, max = 0;
  std::size_t count = 0;           ///< values behind the point (seeds, or runs in a trace)
  std::vector<double> values;      ///< each seed's value in file order (drawn as dots)
  std::vector<std::string> seeds;  ///< their seeds (grid.seed; "" when a line has none)
  std::size_t diverged = 0;        ///< runs at this x whose line is an error line
  std::size_t successes = 0;       ///< runs meeting the success condition ...
  std::size_t tried = 0;           ///< ... of this many (diverged runs count as failures)
};

/// One run of a trace: (x, y) in step order, drawn as a thin line.
struct ChartRun {
  std::string seed;
  std::vector<std::pair<double, double>> points;
};

/// y = 10^intercept * x^slope, least squares on (log10 x, log10 median).
struct ChartFit {
  bool ok = false;
  double slope = 0, intercept = 0;
  double slope_se = 0;  ///< standard error of the slope; NaN with fewer than 3 points
  std::size_t n = 0;    ///< points fitted
  double xlo = 0, xhi = 0;
};

struct ChartSeries {
  std::string name;
  std::size_t colour = 0;          ///< palette index
  std::size_t style = 0;           ///< dash pattern and marker shape
  std::vector<ChartPoint> points;  ///< sorted by x
  std::vector<ChartRun> runs;      ///< trace mode only
  ChartFit fit;
  /// Diverged runs whose x is unknown (trace mode): in the legend note, not drawn.
  std::size_t diverged_unplaced = 0;
};

/// A vertical reference line across the panels at x (a predicted threshold), with a label.
struct ChartVline {
  double x = 0;
  std::string label;
};

struct Chart {
  std::string title, xlabel, ylabel;
  bool logx = false, logy = false;
  bool trace = false;  ///< runs as thin lines instead of seed dots
  /// The success condition as text ("phase1.min_cosine > 0.5"); empty: no lower panel.
  std::string success;
  /// Runs whose line is an error line, counted once whatever the number of metrics (the note
  /// under the legend).
  std::size_t diverged = 0;
  std::vector<ChartSeries> series;
  /// Legend by key: when style_names is not empty, colour i is labelled colour_names[i] and
  /// style j style_names[j]; otherwise every series is listed with its own colour and style.
  std::vector<std::string> colour_names, style_names;
  std::vector<ChartVline> vlines;  ///< drawn grey and dashed, labelled at the top
};

/// The chart as a self-contained SVG document (560 units high, 710 with the success panel; the
/// width grows with the legend). Elements and their attributes, for tools that read it back:
///   g.series[data-series]                 one per series
///   .point   data-x data-median data-q1 data-q3 data-min data-max data-count data-series
///   .seed    data-x data-y data-seed data-series               (one per seed; not in trace mode)
///   polyline.run  data-seed data-x data-y (space-separated)    (trace mode, one per run)
///   polyline.fit  data-slope data-intercept data-slope-se data-n
///   .diverged     data-x data-count data-series                (x marks at the panel's top)
///   .success      data-x data-success data-k data-count data-series, with a <title>
///   line.vline    data-x data-label                            (reference lines)
///   text.legend-entry, text.note
std::string render_svg(const Chart& chart);

/// Nice tick positions covering [lo, hi]: 1-2-5 steps (linear) or decades (log; with 2 and 5
/// when the range spans fewer than three decades).
std::vector<double> ticks(double lo, double hi, bool log);

}  // namespace cli
}  // namespace mimkit
