// mimkit plot's numbers: the statistics of a cell (median, quartiles, range), the log-log fit
// of a series' medians, and the table of exactly the numbers the figure draws. CLI only.
#pragma once

#include <string>
#include <vector>

#include "plot_data.hpp"
#include "svg.hpp"

namespace mimkit {
namespace cli {

/// The point drawn at x for the values of one cell.
ChartPoint summarise(double x, const Cell& cell);

/// Least squares of log10(median) on log10(x) over the points both logs exist for.
ChartFit fit_loglog(const std::vector<ChartPoint>& points);

/// The chart's numbers per series and x as o.format (table, markdown or csv: every digit),
/// with the fits below; data[i] is the series chart.series[i] was built from.
std::string render_table(const Options& o, const Chart& chart,
                         const std::vector<const SeriesData*>& data);

}  // namespace cli
}  // namespace mimkit
