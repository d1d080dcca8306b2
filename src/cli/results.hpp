// Sweep results files: one JSON line per finished point (the run's report, or the error of a
// point that diverged, after point, points, point_key, grid and the sweep's identity), appended
// whole so a kill leaves either the line or a detectable partial tail. Every line says which
// sweep it belongs to (SweepId), so resume, merge and plot refuse to mix sweeps. Shared by
// sweep, merge and plot. CLI only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "json.hpp"
#include "mimkit/status.hpp"
#include "sweep_grid.hpp"

namespace mimkit {
namespace cli {

/// Version of the results-line layout; part of every sweep's identity.
constexpr int kResultsFormat = 2;

/// Everything that defines a sweep's results: base configuration, grid, seeds, dtype and the
/// line format. Written on every line as "sweep": {"id", "format", "grid", "seeds", "dtype"}.
struct SweepId {
  std::string id;  ///< 16 hex digits: digest of everything below and the base config
  int format = kResultsFormat;
  std::string grid;  ///< canonical axes, "alpha=4,8;T1=10,20" ("" for no axes)
  std::uint64_t seeds = 1;
  std::string dtype;  ///< "float" or "double"
};

SweepId make_sweep_id(const RunConfig& base, const std::vector<Axis>& axes, std::uint64_t seeds,
                      const std::string& dtype);

/// The line of a finished point: its place in the sweep, then the members of report_json
/// (`report` is report_json's object, "{...}"). Ends with a newline.
std::string result_line(const SweepId& sweep, const Point& point, std::size_t points,
                        const char* report);

/// The line of a point whose run failed with a numerical error: a result, not a crash (too few
/// samples, too large a step). Ends with a newline.
std::string error_line(const SweepId& sweep, const Point& point, std::size_t points,
                       const Status& status);

/// Why `line` (a parsed results line, at file:line_no) does not belong to the sweep `want` of
/// `points` (indexed by point index), naming the first differing key; ok when it belongs.
Status check_membership(const Json& line, const SweepId& want, const std::vector<Point>& points,
                        const char* field, const std::string& where);

/// Why two results lines of one file set are from different sweeps, naming the first
/// differing key (grid, seeds, dtype, format, or a config key of the same point); ok when
/// their sweep ids agree.
Status check_same_sweep(const Json& first, const std::string& first_where, const Json& line,
                        const std::string& where, const char* field);

/// A sweep's output file, open and locked (flock, exclusive) for as long as the object lives,
/// so two sweeps cannot write one file at once.
class ResultsFile {
 public:
  ResultsFile() = default;
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;
  ~ResultsFile();

  /// Opens (creating it and its parent directory if needed) and locks `path`. Without `resume`
  /// an existing file is refused, or emptied with `force`. Errors name --out.
  Status open(const std::string& path, bool resume, bool force);

  /// The point keys of the file's complete lines, each checked to belong to `sweep`; a last
  /// line without a newline (a write cut by a kill) is removed.
  Status read_done(const SweepId& sweep, const std::vector<Point>& points,
                   std::set<std::string>* keys);

  /// Appends one whole line and syncs it; on a short write (a full disk) the partial tail is
  /// removed and the Status gives the real cause.
  Status append(const std::string& line);

 private:
  std::string path_;
  int fd_ = -1;
};

/// read_done() of another process's view of a locked file (MPI ranks): keys only, no repair.
Status read_done_keys(const std::string& path, std::set<std::string>* keys);

}  // namespace cli
}  // namespace mimkit
