// Sweep results files: one JSON line per finished point (the run's report, or the error of a
// point that diverged, after point, points, point_key and grid), appended whole so a kill
// leaves either the line or a detectable partial tail. Shared by sweep, merge and plot. CLI only.
#pragma once

#include <cstddef>
#include <set>
#include <string>

#include "mimkit/status.hpp"
#include "sweep_grid.hpp"

namespace mimkit {
namespace cli {

/// The line of a finished point: its place in the sweep, then the members of report_json
/// (`report` is report_json's object, "{...}"). Ends with a newline.
std::string result_line(const Point& point, std::size_t points, const char* report);

/// The line of a point whose run failed with a numerical error: a result, not a crash (too few
/// samples, too large a step). Ends with a newline.
std::string error_line(const Point& point, std::size_t points, const Status& status);

/// The point keys of the complete lines of a results file (none if it does not exist). With
/// `repair`, a final line without a newline (a write cut by a kill) is removed from the file so
/// appending continues cleanly.
Status read_done(const std::string& path, std::set<std::string>* keys, bool repair);

/// Appends one whole line with a single write and fsyncs it.
Status append_line(const std::string& path, const std::string& line);

}  // namespace cli
}  // namespace mimkit
