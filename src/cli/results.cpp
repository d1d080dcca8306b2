#include "results.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common.hpp"
#include "mimkit/config.hpp"
#include "mimkit/digest.hpp"
#include "mimkit/version.hpp"

namespace mimkit {
namespace cli {

namespace {

std::string config_json(const RunConfig& c) {
  char cfg[4096];
  to_json(c, cfg, sizeof cfg);
  return cfg;
}

// {"point": ..., "points": ..., "point_key": ..., "sweep": {...}, "grid": {...} (open brace)
std::string line_head(const SweepId& sweep, const Point& p, std::size_t points) {
  return "{\"point\": " + std::to_string(p.index) + ", \"points\": " + std::to_string(points) +
         ", \"point_key\": \"" + p.key + "\", \"sweep\": {\"id\": \"" + sweep.id +
         "\", \"format\": " + std::to_string(sweep.format) +
         ", \"grid\": " + json_quote(sweep.grid) + ", \"seeds\": " + std::to_string(sweep.seeds) +
         ", \"dtype\": \"" + sweep.dtype + "\"}, \"grid\": " + p.grid_json;
}

// The first key whose value differs between two config objects, skipping `skip`; "" if none.
std::string first_difference(const Json* a, const Json* b, const std::set<std::string>& skip,
                             std::string* va, std::string* vb) {
  if (a == nullptr || b == nullptr) return "";
  for (const auto& member : a->members()) {
    if (skip.count(member.first) != 0) continue;
    const Json* other = b->get(member.first);
    const std::string here = member.second.text();
    const std::string there = other != nullptr ? other->text() : "(absent)";
    if (here != there) {
      *va = here;
      *vb = there;
      return member.first;
    }
  }
  return "";
}

// Why sweep members `a` (at wa) and `b` (at wb) differ, from their identity fields; "" when
// those agree.
std::string identity_difference(const Json* a, const Json* b) {
  static const char* const kFields[] = {"format", "dtype", "seeds", "grid"};
  for (const char* f : kFields) {
    const Json* x = a != nullptr ? a->get(f) : nullptr;
    const Json* y = b != nullptr ? b->get(f) : nullptr;
    const std::string tx = x != nullptr ? x->text() : "(absent)";
    const std::string ty = y != nullptr ? y->text() : "(absent)";
    if (tx != ty) return std::string(f) + " '" + tx + "' vs '" + ty + "'";
  }
  return "";
}

std::string sweep_id_of(const Json& line) {
  const Json* sweep = line.get("sweep");
  const Json* id = sweep != nullptr ? sweep->get("id") : nullptr;
  return id != nullptr && id->type() == Json::Type::string ? id->string() : "";
}

// Parses one results line or says why it is not one (no point, points or point_key).
Status parse_line(const std::string& text, const char* field, const std::string& where, Json* out) {
  const Status st = Json::parse(text, out);
  if (!st.ok()) {
    return Status::error(Code::parse_error, field, "%s is not a JSON line: %s", where.c_str(),
                         st.message());
  }
  const Json* key = out->get("point_key");
  if (key == nullptr || key->type() != Json::Type::string) {
    return Status::error(Code::parse_error, field, "%s has no point_key", where.c_str());
  }
  return Status();
}

Status io_error(const char* what, const std::string& path, int err) {
  return Status::error(Code::io_error, "--out", "%s '%s' failed: %s", what, path.c_str(),
                       std::strerror(err));
}

}  // namespace

SweepId make_sweep_id(const RunConfig& base, const std::vector<Axis>& axes, std::uint64_t seeds,
                      const std::string& dtype) {
  SweepId s;
  for (const Axis& a : axes) {
    s.grid += (s.grid.empty() ? "" : ";") + a.key + "=";
    for (std::size_t i = 0; i < a.values.size(); ++i) s.grid += (i ? "," : "") + a.values[i];
  }
  s.seeds = seeds;
  s.dtype = dtype;
  const std::string text = "format=" + std::to_string(s.format) + "\ndtype=" + dtype +
                           "\nseeds=" + std::to_string(seeds) + "\ngrid=" + s.grid +
                           "\nbase=" + config_json(base);
  Digest d;
  d.update(text.data(), text.size());
  char hex[17];
  d.hex(hex);
  s.id = hex;
  return s;
}

std::string result_line(const SweepId& sweep, const Point& point, std::size_t points,
                        const char* report) {
  return line_head(sweep, point, points) + ", " + std::string(report + 1) + "\n";
}

std::string error_line(const SweepId& sweep, const Point& point, std::size_t points,
                       const Status& st) {
  return line_head(sweep, point, points) + ", \"config\": " + config_json(point.config) +
         ", \"version\": \"" + version() + "\", \"error\": {\"code\": \"" + code_name(st.code()) +
         "\", \"field\": " + json_quote(st.field()) + ", \"message\": " + json_quote(st.message()) +
         "}}\n";
}

Status check_membership(const Json& line, const SweepId& want, const std::vector<Point>& points,
                        const char* field, const std::string& where) {
  const std::string id = sweep_id_of(line);
  if (id.empty()) {
    return Status::error(Code::invalid_argument, field,
                         "%s has no sweep identity (another tool or an older mimkit wrote it): "
                         "write this sweep to a new file",
                         where.c_str());
  }
  const Json* index = line.get("point");
  const bool indexed = index != nullptr && index->is_number() && index->number() >= 0 &&
                       index->number() < static_cast<double>(points.size());
  const std::size_t i = indexed ? static_cast<std::size_t>(index->number()) : 0;
  if (id == want.id) {
    const Json* key = line.get("point_key");
    if (!indexed || key == nullptr || key->string() != points[i].key) {
      return Status::error(Code::invalid_argument, field,
                           "%s: point %s does not match this sweep's point of that index",
                           where.c_str(), index != nullptr ? index->text().c_str() : "?");
    }
    return Status();
  }
  Json mine;
  const std::string mine_text = "{\"format\": " + std::to_string(want.format) + ", \"dtype\": \"" +
                                want.dtype + "\", \"seeds\": " + std::to_string(want.seeds) +
                                ", \"grid\": " + json_quote(want.grid) + "}";
  Json::parse(mine_text, &mine);
  std::string why = identity_difference(line.get("sweep"), &mine);
  if (why.empty() && indexed) {
    Json ours;
    Json::parse(config_json(points[i].config), &ours);
    std::string there, here;
    const std::string key = first_difference(line.get("config"), &ours, {}, &there, &here);
    if (!key.empty()) why = key + " = " + there + " there, " + here + " here";
  }
  if (why.empty()) why = "its sweep id " + id + " is not " + want.id;
  return Status::error(Code::invalid_argument, field,
                       "%s is from another sweep (%s): resume with the same preset, --set, "
                       "--grid, --seeds and --dtype, or write to a new file",
                       where.c_str(), why.c_str());
}

Status check_same_sweep(const Json& first, const std::string& first_where, const Json& line,
                        const std::string& where, const char* field) {
  const std::string a = sweep_id_of(first), b = sweep_id_of(line);
  if (b.empty()) {
    return Status::error(Code::invalid_argument, field,
                         "%s has no sweep identity (another tool or an older mimkit wrote it)",
                         where.c_str());
  }
  if (a == b) return Status();
  std::string why = identity_difference(first.get("sweep"), line.get("sweep"));
  if (why.empty()) {
    // Same grid: the base configuration differs. Keys that vary between the points of one
    // sweep (the grid's, the seed, n1 set from alpha, dls22's T1 and beta1) are not compared.
    std::set<std::string> skip = {"seed"};
    const Json* grid = first.get("grid");
    if (grid != nullptr) {
      for (const auto& m : grid->members()) skip.insert(m.first);
    }
    for (const Json* row : {&first, &line}) {
      const Json* alpha = row->path("config.alpha");
      const Json* variant = row->path("config.variant");
      if (alpha != nullptr && alpha->is_number() && alpha->number() > 0) skip.insert("n1");
      if (variant != nullptr && variant->text() == "dls22") {
        skip.insert("T1");
        skip.insert("beta1");
      }
    }
    std::string va, vb;
    const std::string key =
        first_difference(first.get("config"), line.get("config"), skip, &va, &vb);
    if (!key.empty()) why = key + " = " + va + " in " + first_where + ", " + vb + " here";
  }
  if (why.empty()) why = "sweep id " + b + ", not " + a;
  return Status::error(Code::invalid_argument, field, "%s is from another sweep than %s (%s)",
                       where.c_str(), first_where.c_str(), why.c_str());
}

ResultsFile::~ResultsFile() {
  if (fd_ >= 0) ::close(fd_);  // also releases the lock
}

Status ResultsFile::open(const std::string& path, bool resume, bool force) {
  path_ = path;
  struct stat st;
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    return Status::error(Code::io_error, "--out", "'%s' is a directory", path.c_str());
  }
  if (exists && !resume && !force) {
    return Status::error(Code::io_error, "--out",
                         "'%s' exists; pass --resume to continue it or --force to start over",
                         path.c_str());
  }
  const std::size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    const std::string parent = path.substr(0, slash);
    if (::access(parent.c_str(), F_OK) != 0 && ::mkdir(parent.c_str(), 0755) != 0) {
      return io_error("creating the directory of", path, errno);
    }
  }
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) return io_error("opening", path, errno);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Status::error(Code::io_error, "--out",
                           "another mimkit sweep is writing '%s' (it holds the file's lock)",
                           path.c_str());
    }
    return io_error("locking", path, errno);
  }
  if (exists && force && !resume && ::ftruncate(fd_, 0) != 0) {
    return io_error("emptying", path, errno);
  }
  return Status();
}

Status ResultsFile::read_done(const SweepId& sweep, const std::vector<Point>& points,
                              std::set<std::string>* keys) {
  off_t complete = 0;
  bool partial = false;
  MIMKIT_TRY(for_each_line(path_, "--out",
                           [&](const std::string& text, std::size_t number, bool ends) -> Status {
                             if (!ends) {
                               partial = true;
                               return Status();
                             }
                             complete += static_cast<off_t>(text.size() + 1);
                             if (text.empty()) return Status();
                             const std::string where = path_ + ":" + std::to_string(number);
                             Json j;
                             MIMKIT_TRY(parse_line(text, "--out", where, &j));
                             MIMKIT_TRY(check_membership(j, sweep, points, "--out", where));
                             keys->insert(j.get("point_key")->string());
                             return Status();
                           }));
  if (partial) {
    struct stat st;
    ::fstat(fd_, &st);
    std::fprintf(stderr, "mimkit: %s: dropping an incomplete last line (%lld bytes)\n",
                 path_.c_str(), static_cast<long long>(st.st_size - complete));
    if (::ftruncate(fd_, complete) != 0) return io_error("repairing", path_, errno);
  }
  return Status();
}

Status ResultsFile::append(const std::string& line) {
  struct stat st;
  if (::fstat(fd_, &st) != 0) return io_error("writing", path_, errno);
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;  // 0 bytes written: the device is full
      // Remove the partial line so the file stays whole lines; --resume redoes the point.
      if (::ftruncate(fd_, st.st_size) != 0) {
        std::fprintf(stderr, "mimkit: %s: could not remove a partial line: %s\n", path_.c_str(),
                     std::strerror(errno));
      }
      return io_error("writing", path_, err);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) return io_error("syncing", path_, errno);
  return Status();
}

Status read_done_keys(const std::string& path, std::set<std::string>* keys) {
  return for_each_line(
      path, "--out", [&](const std::string& text, std::size_t number, bool ends) -> Status {
        if (!ends || text.empty()) return Status();
        Json j;
        MIMKIT_TRY(parse_line(text, "--out", path + ":" + std::to_string(number), &j));
        keys->insert(j.get("point_key")->string());
        return Status();
      });
}

}  // namespace cli
}  // namespace mimkit
