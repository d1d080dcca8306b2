#include "results.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common.hpp"
#include "json.hpp"
#include "mimkit/config.hpp"
#include "mimkit/version.hpp"

namespace mimkit {
namespace cli {

namespace {

// {"point": ..., "points": ..., "point_key": ..., "grid": {...}, (without the closing brace)
std::string line_head(const Point& p, std::size_t points) {
  return "{\"point\": " + std::to_string(p.index) + ", \"points\": " + std::to_string(points) +
         ", \"point_key\": \"" + p.key + "\", \"grid\": " + p.grid_json;
}

}  // namespace

std::string result_line(const Point& point, std::size_t points, const char* report) {
  return line_head(point, points) + ", " + std::string(report + 1) + "\n";
}

std::string error_line(const Point& point, std::size_t points, const Status& st) {
  char cfg[4096];
  to_json(point.config, cfg, sizeof cfg);
  return line_head(point, points) + ", \"config\": " + cfg + ", \"version\": \"" + version() +
         "\", \"error\": {\"code\": \"" + code_name(st.code()) +
         "\", \"field\": " + json_quote(st.field()) + ", \"message\": " + json_quote(st.message()) +
         "}}\n";
}

Status read_done(const std::string& path, std::set<std::string>* keys, bool repair) {
  if (::access(path.c_str(), F_OK) != 0) return Status();  // nothing done yet
  std::string all;
  MIMKIT_TRY(read_text_file(path, "--out", &all));
  std::size_t complete = all.rfind('\n');
  complete = complete == std::string::npos ? 0 : complete + 1;
  if (complete < all.size() && repair) {
    std::fprintf(stderr, "mimkit: %s: dropping an incomplete last line (%zu bytes)\n", path.c_str(),
                 all.size() - complete);
    if (::truncate(path.c_str(), static_cast<off_t>(complete)) != 0) {
      return Status::error(Code::io_error, "--out", "cannot repair '%s': %s", path.c_str(),
                           std::strerror(errno));
    }
  }
  std::size_t line_no = 0, start = 0;
  while (start < complete) {
    const std::size_t end = all.find('\n', start);
    const std::string line = all.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.empty()) continue;
    Json j;
    const Status st = Json::parse(line, &j);
    if (!st.ok()) {
      return Status::error(Code::parse_error, "--out", "%s:%zu is not a JSON line: %s",
                           path.c_str(), line_no, st.message());
    }
    const Json* key = j.get("point_key");
    if (key == nullptr || key->type() != Json::Type::string) {
      return Status::error(Code::parse_error, "--out", "%s:%zu has no point_key", path.c_str(),
                           line_no);
    }
    keys->insert(key->string());
  }
  return Status();
}

Status append_line(const std::string& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) {
    return Status::error(Code::io_error, "--out", "cannot open '%s': %s", path.c_str(),
                         std::strerror(errno));
  }
  // One write of the whole line: a kill leaves either the line or a detectable partial tail.
  const ssize_t n = ::write(fd, line.data(), line.size());
  const bool ok = n == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    return Status::error(Code::io_error, "--out", "writing '%s' failed: %s", path.c_str(),
                         std::strerror(errno));
  }
  return Status();
}

}  // namespace cli
}  // namespace mimkit
