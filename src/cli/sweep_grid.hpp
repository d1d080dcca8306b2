// The points of a sweep: grid axes parsed from text ("key=v1,v2" or "key=lo:hi:count[:log]"),
// checked against the config keys, and expanded with the seeds into one resolved, validated
// RunConfig per point (first axis slowest, seeds fastest). CLI only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mimkit/config.hpp"
#include "mimkit/status.hpp"

namespace mimkit {
namespace cli {

/// One grid axis: a config key and its values as text.
struct Axis {
  std::string key;
  std::vector<std::string> values;
};

/// One point of a sweep.
struct Point {
  std::size_t index = 0;
  RunConfig config;       ///< resolved and validated
  std::string grid_json;  ///< {"alpha": 8, ..., "seed": 3}
  std::string key;        ///< digest of the resolved config (16 hex digits)
};

/// A range of numbers as text: "lo:hi:count" or "lo:hi:count:log" (--grid's ranges, mimkit theory
/// --alpha).
struct Range {
  double lo = 0, hi = 0;
  std::uint64_t count = 0;
  bool log = false;
  /// count values from lo to hi, both ends included (count = 1: lo), evenly spaced, or
  /// geometrically with log.
  std::vector<double> values() const;
};
/// False when spec is not a range: 3 parts, or 4 with "log" last; count in 1..10000; lo, hi > 0
/// with log.
bool parse_range(const std::string& spec, Range* out);

/// "key=v1,v2,..." | "key=lo:hi:count" | "key=lo:hi:count:log"; every value is checked with
/// set() now (integer keys take rounded values), not after hours of sweeping.
Status parse_axis(const std::string& text, Axis* out);

/// Checks every value of an axis against its config key with set(); a value an integer key
/// rejects is replaced by its rounded form when that is accepted (ranges give 5.03968 where T1
/// needs 5). Errors name --grid.
Status check_axis(Axis* axis);

/// Axes separated by ';' (a preset's grid text).
Status parse_grid_text(const std::string& text, std::vector<Axis>* axes);

/// Two axes on one key, or one value twice in an axis, would give points with the same
/// configuration: an error.
Status check_axes(const std::vector<Axis>& axes);

/// The number of points of axes x seeds, or an error naming the sizes when it exceeds
/// kMaxPoints (overflow-checked: the product is never formed past the cap).
constexpr std::uint64_t kMaxPoints = 1000000;
Status count_points(const std::vector<Axis>& axes, std::uint64_t seeds, std::size_t* total);

/// Every point of base x axes x seeds (seeds base.seed, base.seed + 1, ...).
Status enumerate(const RunConfig& base, const std::vector<Axis>& axes, std::uint64_t seeds,
                 std::vector<Point>* points);

}  // namespace cli
}  // namespace mimkit
