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

/// Worker threads: --threads, else MIMKIT_THREADS, else the CPUs online (1..256). Results
/// never depend on it.
Status thread_count(const Args& args, std::uint64_t* threads);

/// --shard I/N (default 0/1), or --shard auto: I = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN
/// (0 when unset), N = SLURM_ARRAY_TASK_COUNT.
Status shard_of(const Args& args, std::uint64_t* shard, std::uint64_t* shards);

/// --arch wins over the MIMKIT_ARCH environment variable; both default to auto.
Status select_isa(const Args& args, Isa* out);

/// The refusal OutputFile::open() would give, without creating anything: an existing file
/// without `force`, a directory, a missing or unwritable parent directory. Lets a command check
/// its output before spending a run on it.
Status check_output(const std::string& path, bool force);

/// An output written whole or not at all: the text goes to a temporary file next to `path`,
/// renamed over it by commit(); without a commit (a failure, a full disk) the temporary is
/// removed and `path` is untouched. "-" or "" is stdout, written directly.
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile();

  /// check_output(), then opens the temporary (or stdout).
  Status open(const std::string& path, bool force);
  std::FILE* file() const { return file_; }
  /// Flushes and closes, reporting a failed write with its cause, then renames into place.
  Status commit();

 private:
  std::string path_, temp_;
  std::FILE* file_ = nullptr;
};
/// Reads a whole file of at most `max_bytes` (a longer one, such as /dev/zero, is refused
/// after reading max_bytes + 1). A directory, a missing or unreadable file is Code::io_error
/// naming `field` and the path (never an exception: the CLI is built without them).
Status read_text_file(const std::string& path, const char* field, std::size_t max_bytes,
                      std::string* out);

/// Longest line for_each_line() accepts (16 MiB): a sweep line with a full trace is a few
/// hundred KiB.
constexpr std::size_t kMaxLineBytes = std::size_t(16) << 20;

/// Calls on_line(line, number, complete) for every line of a file in order (without the
/// newline; number from 1; complete is false only for a last line without '\n'), reading it in
/// pieces so memory is bounded by the longest line, which may be at most kMaxLineBytes. Stops
/// at the first non-ok Status from on_line.
template <class OnLine>
Status for_each_line(const std::string& path, const char* field, OnLine&& on_line);

/// The non-template core of for_each_line.
Status for_each_line_fn(const std::string& path, const char* field,
                        Status (*fn)(void* ctx, const std::string& line, std::size_t number,
                                     bool complete),
                        void* ctx);

template <class OnLine>
Status for_each_line(const std::string& path, const char* field, OnLine&& on_line) {
  auto trampoline = [](void* ctx, const std::string& line, std::size_t number,
                       bool complete) -> Status {
    return (*static_cast<OnLine*>(ctx))(line, number, complete);
  };
  return for_each_line_fn(path, field, trampoline, &on_line);
}

/// True when both paths name the same existing file (same device and inode).
bool same_file(const std::string& a, const std::string& b);

/// Flushes stdout, turning a failed write (a full device, a closed pipe) into a Status.
Status flush_stdout();

}  // namespace cli
}  // namespace mimkit
