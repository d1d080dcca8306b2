// mimkit plot's input side: the options it was given and the sweep's JSONL read into series
// (per --y metric and --group values) and cells (per x: every seed's value, diverged runs and
// the --success tally). CLI only.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mimkit/status.hpp"
#include "svg.hpp"

namespace mimkit {
namespace cli {

/// The shortest decimal that reads back as v.
std::string shortest(double v);

/// True when s begins with prefix.
bool starts_with(const std::string& s, const char* prefix);

/// "METRIC>T", "METRIC<T", ">=", "<=": the --success condition.
struct Condition {
  std::string metric;
  std::string op;
  double threshold = 0;
  std::string text() const { return metric + " " + op + " " + shortest(threshold); }
  /// NaN (a metric written as null) meets no condition.
  bool meets(double v) const {
    if (op == ">") return v > threshold;
    if (op == ">=") return v >= threshold;
    if (op == "<") return v < threshold;
    return v <= threshold;
  }
};

/// What mimkit plot was asked (parsed and checked in cmd_plot.cpp).
struct Options {
  std::string path, xkey, ytext, format, out;
  std::vector<std::string> metrics, groups;
  std::vector<std::pair<std::string, std::string>> filters;
  bool trace = false;  // --x and --y are trace.* paths
  bool has_success = false;
  Condition success;
  bool fit = false;
  bool table = false;              // --table: the table on stdout besides the SVG
  std::vector<ChartVline> vlines;  // --vline X[=LABEL]
};

/// What the runs of one series say at one x.
struct Cell {
  std::vector<double> values;
  std::vector<std::string> seeds;
  std::size_t diverged = 0, successes = 0, tried = 0;
};

/// One series: a --y metric for one combination of --group values.
struct SeriesData {
  std::string metric;                     // --y path
  std::vector<std::string> group_values;  // per --group key
  std::map<double, Cell> cells;
  std::vector<ChartRun> runs;         // trace mode
  std::size_t diverged_unplaced = 0;  // diverged runs without an x (trace mode)
};

/// Everything read from the file, and the counts the warnings report.
struct Collected {
  std::map<std::string, SeriesData> series;
  std::size_t skipped = 0, duplicates = 0, diverged = 0, success_missing = 0;
  std::set<std::string> sweeps;
};

/// Reads o.path line by line into c: repeated point_keys are counted and skipped, --where
/// filters applied, diverged runs (lines with "error") counted per cell.
Status collect(const Options& o, Collected* c);

}  // namespace cli
}  // namespace mimkit
