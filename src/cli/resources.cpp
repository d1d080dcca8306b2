#include "resources.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace mimkit {
namespace cli {

namespace {

// The first line of a small system file, or "" when it cannot be read.
std::string first_line(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return "";
  char buf[512];
  const bool got = std::fgets(buf, sizeof buf, f) != nullptr;
  std::fclose(f);
  if (!got) return "";
  std::string line(buf);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

void lower(std::uint64_t candidate, const std::string& what, std::uint64_t* bytes,
           std::string* source) {
  if (candidate > 0 && candidate < *bytes) {
    *bytes = candidate;
    *source = what;
  }
}

// cgroup v2: the smallest memory.max from the process's cgroup up to the root.
void cgroup_v2_limit(std::uint64_t* bytes, std::string* source) {
  std::FILE* f = std::fopen("/proc/self/cgroup", "r");
  if (f == nullptr) return;
  char buf[1024];
  std::string path;
  while (std::fgets(buf, sizeof buf, f) != nullptr) {
    std::string line(buf);
    if (line.compare(0, 3, "0::") == 0) {
      path = line.substr(3);
      while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
    }
  }
  std::fclose(f);
  if (path.empty()) return;
  for (;;) {
    const std::string file =
        "/sys/fs/cgroup" + (path == "/" ? std::string() : path) + "/memory.max";
    std::uint64_t v = 0;
    const std::string text = first_line(file);
    if (text != "max" && parse_u64(text, &v)) lower(v, "cgroup memory.max", bytes, source);
    if (path.empty() || path == "/") break;
    const std::size_t slash = path.rfind('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
}

}  // namespace

bool parse_bytes(const std::string& text, std::uint64_t* out) {
  if (text.empty()) return false;
  double scale = 1;
  std::string number = text;
  switch (text.back()) {
    case 'K':
    case 'k':
      scale = 1024.0;
      break;
    case 'M':
    case 'm':
      scale = 1024.0 * 1024;
      break;
    case 'G':
    case 'g':
      scale = 1024.0 * 1024 * 1024;
      break;
    case 'T':
    case 't':
      scale = 1024.0 * 1024 * 1024 * 1024;
      break;
    default:
      break;
  }
  if (scale != 1) number.pop_back();
  double v = 0;
  if (!parse_f64(number, &v) || !(v > 0)) return false;
  const double bytes = std::floor(v * scale);
  if (!(bytes >= 1) || bytes >= 18446744073709551615.0) return false;
  *out = static_cast<std::uint64_t>(bytes);
  return true;
}

std::string format_bytes(std::uint64_t bytes) {
  static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (v >= 1024 && unit + 1 < sizeof kUnits / sizeof kUnits[0]) {
    v /= 1024;
    ++unit;
  }
  char buf[48];
  if (unit == 0) {
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.3g %s", v, kUnits[unit]);
  }
  return buf;
}

Status memory_budget(const Args& args, std::uint64_t* bytes, std::string* source) {
  if (args.has("max-memory")) {
    std::string text;
    args.get_string("max-memory", "", &text);
    if (!parse_bytes(text, bytes)) {
      return Status::error(Code::invalid_argument, "--max-memory",
                           "'%s' is not a size (allowed: bytes, or a number with K, M, G or T, "
                           "e.g. 4G)",
                           text.c_str());
    }
    *source = "--max-memory";
    return Status();
  }
  const char* env = std::getenv("MIMKIT_MAX_MEMORY");
  if (env != nullptr && env[0] != '\0') {
    if (!parse_bytes(env, bytes)) {
      return Status::error(Code::invalid_argument, "MIMKIT_MAX_MEMORY",
                           "'%s' is not a size (allowed: bytes, or a number with K, M, G or T, "
                           "e.g. 4G)",
                           env);
    }
    *source = "MIMKIT_MAX_MEMORY";
    return Status();
  }
  *bytes = ~std::uint64_t(0);
  *source = "no limit found";
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page > 0) {
    lower(static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page), "physical memory",
          bytes, source);
  }
  cgroup_v2_limit(bytes, source);
  std::uint64_t v1 = 0;
  if (parse_u64(first_line("/sys/fs/cgroup/memory/memory.limit_in_bytes"), &v1)) {
    lower(v1, "cgroup memory.limit_in_bytes", bytes, source);
  }
  struct rlimit rl;
  if (::getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    lower(static_cast<std::uint64_t>(rl.rlim_cur), "ulimit -v (RLIMIT_AS)", bytes, source);
  }
  if (::getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
    lower(static_cast<std::uint64_t>(rl.rlim_cur), "ulimit -d (RLIMIT_DATA)", bytes, source);
  }
  return Status();
}

Status check_memory(const Args& args, std::uint64_t need, const char* what) {
  std::uint64_t budget = 0;
  std::string source;
  MIMKIT_TRY(memory_budget(args, &budget, &source));
  if (need <= budget) return Status();
  return Status::error(Code::arena_too_small, "memory",
                       "%s needs %s but may use %s (%s); lower the sizes, use mode = stream or "
                       "set --max-memory",
                       what, format_bytes(need).c_str(), format_bytes(budget).c_str(),
                       source.c_str());
}

}  // namespace cli
}  // namespace mimkit
