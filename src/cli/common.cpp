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
  struct stat st;
  if (!path.empty() && path != "-" && !force && ::stat(path.c_str(), &st) == 0) {
    return Status::error(Code::io_error, "--out",
                         "'%s' exists; refusing to overwrite it (pass --force to replace it)",
                         path.c_str());
  }
  return Status();
}

Status open_output(const std::string& path, bool force, std::FILE** out) {
  if (path.empty() || path == "-") {
    *out = stdout;
    return Status();
  }
  MIMKIT_TRY(check_output(path, force));
  *out = std::fopen(path.c_str(), "wb");
  if (*out == nullptr) {
    return Status::error(Code::io_error, "--out", "cannot open '%s' for writing: %s", path.c_str(),
                         std::strerror(errno));
  }
  return Status();
}

Status read_text_file(const std::string& path, const char* field, std::string* out) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::error(Code::io_error, field, "cannot read '%s': %s", path.c_str(),
                         std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return Status::error(Code::io_error, field, "cannot read '%s': it is a directory",
                         path.c_str());
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return Status::error(Code::io_error, field, "cannot read '%s': %s", path.c_str(),
                         std::strerror(errno));
  }
  out->clear();
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    return Status::error(Code::io_error, field, "reading '%s' failed", path.c_str());
  }
  return Status();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

Status close_output(std::FILE* file, const std::string& path) {
  const bool failed = std::ferror(file) != 0 || std::fflush(file) != 0;
  const int saved = errno;
  if (file != stdout && std::fclose(file) != 0 && !failed) {
    return Status::error(Code::io_error, "--out", "writing '%s' failed: %s", path.c_str(),
                         std::strerror(errno));
  }
  if (failed) {
    return Status::error(Code::io_error, "--out", "writing '%s' failed: %s",
                         path.empty() ? "stdout" : path.c_str(), std::strerror(saved));
  }
  return Status();
}

}  // namespace cli
}  // namespace mimkit
