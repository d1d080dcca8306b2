#include "common.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace mimkit {
namespace cli {

namespace {
volatile sig_atomic_t g_interrupts = 0;

void on_interrupt(int) {
  if (++g_interrupts > 1) _exit(kExitInterrupted);
}
}  // namespace

void install_interrupt_handler() {
  struct sigaction action = {};
  action.sa_handler = &on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() {
  return g_interrupts > 0;
}

bool stop_on_interrupt(void*) {
  return interrupted();
}

int report(const Status& status) {
  if (status.ok()) return kExitOk;
  char line[Status::kFieldCapacity + Status::kMessageCapacity + 8];
  status.describe(line, sizeof line);
  // One line, whatever the input echoed in the message contained.
  for (char* c = line; *c != '\0'; ++c) {
    if (static_cast<unsigned char>(*c) < 0x20) *c = '?';
  }
  std::fprintf(stderr, "mimkit: %s\n", line);
  if (status.code() == Code::cancelled) return kExitInterrupted;
  const bool usage = status.code() == Code::invalid_argument ||
                     status.code() == Code::parse_error || status.code() == Code::unsupported_isa;
  return usage ? kExitUsage : kExitFailure;
}

Status thread_count(const Args& args, std::uint64_t* threads) {
  if (args.has("threads")) return args.get_size("threads", 1, 1, 256, threads);
  const char* env = std::getenv("MIMKIT_THREADS");
  if (env != nullptr && env[0] != '\0') {
    if (!parse_u64(env, threads) || *threads < 1 || *threads > 256) {
      return Status::error(Code::invalid_argument, "MIMKIT_THREADS",
                           "'%s' is not allowed (allowed: an integer in 1..256)", env);
    }
    return Status();
  }
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  *threads = online < 1 ? 1 : (online > 256 ? 256 : static_cast<std::uint64_t>(online));
  return Status();
}

Status shard_of(const Args& args, std::uint64_t* shard, std::uint64_t* shards) {
  std::string text;
  args.get_string("shard", "0/1", &text);
  if (text == "auto") {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
    const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
    std::uint64_t i = 0, n = 0, lo = 0;
    if (id == nullptr || count == nullptr || !parse_u64(id, &i) || !parse_u64(count, &n) ||
        (min != nullptr && !parse_u64(min, &lo)) || i < lo || n < 1 || i - lo >= n) {
      return Status::error(Code::invalid_argument, "--shard",
                           "auto needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (and "
                           "SLURM_ARRAY_TASK_MIN) with 0 <= ID - MIN < COUNT (got ID %s, COUNT "
                           "%s, MIN %s)",
                           id ? id : "unset", count ? count : "unset", min ? min : "unset");
    }
    *shard = i - lo;
    *shards = n;
    return Status();
  }
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || !parse_u64(text.substr(0, slash), shard) ||
      !parse_u64(text.substr(slash + 1), shards) || *shards < 1 || *shard >= *shards) {
    return Status::error(Code::invalid_argument, "--shard",
                         "'%s' is not I/N with 0 <= I < N (e.g. 0/4), or auto", text.c_str());
  }
  return Status();
}

Status select_isa(const Args& args, Isa* out) {
  if (args.has("arch")) {
    std::string arch;
    args.get_string("arch", "auto", &arch);
    return isa_select(arch.c_str(), "--arch", out);
  }
  const char* env = std::getenv("MIMKIT_ARCH");
  return isa_select(env, "MIMKIT_ARCH", out);
}

Status check_output(const std::string& path, bool force) {
  if (path.empty() || path == "-") return Status();
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      return Status::error(Code::io_error, "--out", "'%s' is a directory", path.c_str());
    }
    if (!force) {
      return Status::error(Code::io_error, "--out",
                           "'%s' exists; refusing to overwrite it (pass --force to replace it)",
                           path.c_str());
    }
  }
  const std::size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return Status::error(Code::io_error, "--out", "cannot write '%s': directory '%s': %s",
                         path.c_str(), dir.c_str(), std::strerror(errno));
  }
  return Status();
}

OutputFile::~OutputFile() {
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

Status OutputFile::open(const std::string& path, bool force) {
  MIMKIT_TRY(check_output(path, force));
  path_ = path;
  if (path.empty() || path == "-") {
    file_ = stdout;
    return Status();
  }
  temp_ = path + ".partial";
  file_ = std::fopen(temp_.c_str(), "wb");
  if (file_ == nullptr) {
    const int err = errno;
    temp_.clear();
    return Status::error(Code::io_error, "--out", "cannot open '%s' for writing: %s", path.c_str(),
                         std::strerror(err));
  }
  return Status();
}

Status OutputFile::commit() {
  if (file_ == stdout) {
    file_ = nullptr;
    return flush_stdout();
  }
  const bool failed = std::ferror(file_) != 0 || std::fflush(file_) != 0;
  int err = errno;
  const bool closed = std::fclose(file_) == 0;
  if (!closed && !failed) err = errno;
  file_ = nullptr;
  if (failed || !closed) {
    return Status::error(Code::io_error, "--out", "writing '%s' failed: %s", path_.c_str(),
                         std::strerror(err != 0 ? err : EIO));
  }
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    return Status::error(Code::io_error, "--out", "cannot move the output into '%s': %s",
                         path_.c_str(), std::strerror(errno));
  }
  temp_.clear();
  return Status();
}

namespace {

// Opens a file for reading, refusing directories, with errors naming `field` and the path.
Status open_input(const std::string& path, const char* field, std::FILE** out) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::error(Code::io_error, field, "cannot read '%s': %s", path.c_str(),
                         std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return Status::error(Code::io_error, field, "cannot read '%s': it is a directory",
                         path.c_str());
  }
  *out = std::fopen(path.c_str(), "rb");
  if (*out == nullptr) {
    return Status::error(Code::io_error, field, "cannot read '%s': %s", path.c_str(),
                         std::strerror(errno));
  }
  return Status();
}

}  // namespace

Status read_text_file(const std::string& path, const char* field, std::size_t max_bytes,
                      std::string* out) {
  std::FILE* f = nullptr;
  MIMKIT_TRY(open_input(path, field, &f));
  out->clear();
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (n > max_bytes - out->size()) {
      std::fclose(f);
      return Status::error(Code::io_error, field,
                           "'%s' is larger than %zu bytes (allowed: at most %zu for this input)",
                           path.c_str(), max_bytes, max_bytes);
    }
    out->append(buf, n);
  }
  const bool failed = std::ferror(f) != 0;
  const int saved = errno;
  std::fclose(f);
  if (failed) {
    return Status::error(Code::io_error, field, "reading '%s' failed: %s", path.c_str(),
                         std::strerror(saved));
  }
  return Status();
}

Status for_each_line_fn(const std::string& path, const char* field,
                        Status (*fn)(void* ctx, const std::string& line, std::size_t number,
                                     bool complete),
                        void* ctx) {
  std::FILE* f = nullptr;
  MIMKIT_TRY(open_input(path, field, &f));
  std::string line;
  std::size_t number = 1;
  char buf[65536];
  std::size_t n;
  Status st;
  while (st.ok() && (n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    std::size_t start = 0;
    while (st.ok() && start < n) {
      const char* nl = static_cast<const char*>(std::memchr(buf + start, '\n', n - start));
      const std::size_t end = nl != nullptr ? static_cast<std::size_t>(nl - buf) : n;
      if (end - start > kMaxLineBytes - line.size()) {
        st = Status::error(Code::parse_error, field,
                           "%s:%zu: the line is longer than %zu bytes (not a mimkit file?)",
                           path.c_str(), number, kMaxLineBytes);
        break;
      }
      line.append(buf + start, end - start);
      start = end;
      if (nl != nullptr) {
        st = fn(ctx, line, number++, true);
        line.clear();
        ++start;
      }
    }
  }
  const bool failed = std::ferror(f) != 0;
  const int saved = errno;
  std::fclose(f);
  if (!st.ok()) return st;
  if (failed) {
    return Status::error(Code::io_error, field, "reading '%s' failed: %s", path.c_str(),
                         std::strerror(saved));
  }
  if (!line.empty()) return fn(ctx, line, number, false);
  return Status();
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

Status flush_stdout() {
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    return Status::error(Code::io_error, "stdout", "writing the output failed: %s",
                         std::strerror(errno != 0 ? errno : EIO));
  }
  return Status();
}

}  // namespace cli
}  // namespace mimkit
