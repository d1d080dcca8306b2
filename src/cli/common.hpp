// Helpers shared by the CLI commands: ISA selection from --arch / MIMKIT_ARCH, reporting a
// Status as one line, output files.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "args.hpp"
#include "mimkit/isa.hpp"
#include "mimkit/status.hpp"

namespace mimkit {
namespace cli {

/// Exit codes: 0 success, 1 a run failed, 2 the invocation was wrong, 130 interrupted (SIGINT).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInterrupted = 130;

/// Catches SIGINT and SIGTERM: the first one only sets a flag (commands stop at the next safe
/// point: a run between steps, a sweep after the current point); a second one exits at once.
void install_interrupt_handler();
bool interrupted();
/// interrupted() as an Execution::should_stop hook (async-signal-safe read, thread-safe).
bool stop_on_interrupt(void* user);

/// Prints "mimkit: <field>: <message>" on stderr and returns the exit code for `status`.
int report(const Status& status);

/// --arch wins over the MIMKIT_ARCH environment variable; both default to auto.
Status select_isa(const Args& args, Isa* out);

/// Opens `path` for writing ("-" or "" is stdout). Refuses to replace an existing file unless
/// `force`, so finished results are never truncated by accident.
Status open_output(const std::string& path, bool force, std::FILE** out);
/// The refusal open_output() would give, without creating anything: lets a command check its
/// output before spending a run on it.
Status check_output(const std::string& path, bool force);
/// Reads a whole file. A directory, a missing or unreadable file is Code::io_error naming
/// `field` and the path (never an exception: the CLI is built without them).
Status read_text_file(const std::string& path, const char* field, std::string* out);
/// Splits text into lines (without the newlines); a last line without '\n' is included.
std::vector<std::string> split_lines(const std::string& text);

/// Flushes and closes (not stdout), turning a failed write into a Status.
Status close_output(std::FILE* file, const std::string& path);

}  // namespace cli
}  // namespace mimkit
