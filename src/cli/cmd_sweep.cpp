// mimkit sweep: a grid of configurations x seeds, one JSON line per finished point, appended
// whole; shards for batch systems, resume after a kill. mimkit merge: combine shard files.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "json.hpp"
#if MIMKIT_WITH_MPI
// The C API only: OpenMPI's deprecated C++ bindings do not build with -Werror.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif
#include "mimkit/mimkit.hpp"

namespace mimkit {
namespace cli {

namespace {

const char kSweepHelp[] =
    "usage: mimkit sweep --preset NAME [options]\n"
    "\n"
    "Runs every point of a grid of configurations x seeds and appends one JSON line per\n"
    "finished point: the run's report plus point, points, point_key and grid. Point k belongs\n"
    "to shard k mod N, so N shards (Slurm arrays, GNU parallel, ...) together equal one sweep.\n"
    "\n"
    "options:\n"
    "  --preset NAME          base configuration and its default grid (mimkit presets)\n"
    "  --config FILE          key = value lines over the preset\n"
    "  --set key=value        one setting over the preset (repeatable)\n"
    "  --grid AXIS            key=v1,v2,... or key=lo:hi:count or key=lo:hi:count:log\n"
    "                         (repeatable; replaces the preset's grid; first axis slowest)\n"
    "  --seeds K              seeds seed, seed+1, ..., seed+K-1 per grid point (default: "
    "preset's)\n"
    "  --shard I/N            run only points k with k mod N = I (default 0/1)\n"
    "  --out FILE             the JSONL file (default out/<preset>.jsonl)\n"
    "  --resume               skip points already in FILE (a killed sweep continues)\n"
    "  --force                start FILE afresh even if it exists\n"
    "  --threads N            threads per run (default 1)\n"
    "  --arch A, --dtype T    as for mimkit run\n"
    "  --dry-run              print the points and exit\n"
    "  --quiet                no progress on stderr\n";

struct Axis {
  std::string key;
  std::vector<std::string> values;
};

std::string format_number(double v) {
  char buf[64];
  if (std::fabs(v - std::round(v)) < 1e-9 * (1 + std::fabs(v)) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.6g", v);
  }
  return buf;
}

// "key=v1,v2" | "key=lo:hi:count" | "key=lo:hi:count:log".
Status parse_axis(const std::string& text, Axis* out) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 >= text.size()) {
    return Status::error(Code::invalid_argument, "--grid",
                         "'%s' is not key=v1,v2,... or key=lo:hi:count[:log]", text.c_str());
  }
  out->key = text.substr(0, eq);
  const std::string spec = text.substr(eq + 1);
  RunConfig probe;
  if (spec.find(':') != std::string::npos) {
    std::vector<std::string> parts;
    std::stringstream ss(spec);
    std::string part;
    while (std::getline(ss, part, ':')) parts.push_back(part);
    double lo = 0, hi = 0;
    std::uint64_t count = 0;
    const bool log = parts.size() == 4 && parts[3] == "log";
    if ((parts.size() != 3 && !log) || !parse_f64(parts[0], &lo) || !parse_f64(parts[1], &hi) ||
        !parse_u64(parts[2], &count) || count < 1 || count > 10000 ||
        (log && (lo <= 0 || hi <= 0))) {
      return Status::error(Code::invalid_argument, "--grid",
                           "'%s': a range is lo:hi:count or lo:hi:count:log with count in "
                           "1..10000 (and lo, hi > 0 for log)",
                           text.c_str());
    }
    for (std::uint64_t i = 0; i < count; ++i) {
      const double t = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
      const double v = log ? lo * std::pow(hi / lo, t) : lo + (hi - lo) * t;
      out->values.push_back(format_number(v));
    }
  } else {
    std::stringstream ss(spec);
    std::string v;
    while (std::getline(ss, v, ',')) {
      if (v.empty()) {
        return Status::error(Code::invalid_argument, "--grid", "'%s' has an empty value",
                             text.c_str());
      }
      out->values.push_back(v);
    }
  }
  // Check the key and values now, not after hours of sweeping; integer keys take rounded values.
  for (std::string& v : out->values) {
    Status st = set(&probe, out->key.c_str(), v.c_str());
    double x = 0;
    if (!st.ok() && parse_f64(v, &x)) {
      const std::string rounded = format_number(std::round(x));
      if (set(&probe, out->key.c_str(), rounded.c_str()).ok()) {
        v = rounded;
        st = Status();
      }
    }
    if (!st.ok()) return Status::error(st.code(), "--grid", "%s: %s", st.field(), st.message());
  }
  return Status();
}

// Two axes on one key, or one value twice, would give points with the same configuration.
Status check_axes(const std::vector<Axis>& axes) {
  for (std::size_t a = 0; a < axes.size(); ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      if (axes[a].key == axes[b].key) {
        return Status::error(Code::invalid_argument, "--grid", "key '%s' has two axes",
                             axes[a].key.c_str());
      }
    }
    std::set<std::string> seen;
    for (const std::string& v : axes[a].values) {
      if (!seen.insert(v).second) {
        return Status::error(Code::invalid_argument, "--grid", "%s = %s appears twice",
                             axes[a].key.c_str(), v.c_str());
      }
    }
  }
  return Status();
}

Status parse_grid_text(const std::string& text, std::vector<Axis>* axes) {
  std::stringstream ss(text);
  std::string axis;
  while (std::getline(ss, axis, ';')) {
    if (axis.empty()) continue;
    axes->emplace_back();
    MIMKIT_TRY(parse_axis(axis, &axes->back()));
  }
  return Status();
}

struct Point {
  std::size_t index = 0;
  RunConfig config;
  std::string grid_json;  // {"alpha": 8, ...}
  std::string key;        // digest of the resolved config
};

std::string json_value(const std::string& v) {
  double x = 0;
  if (parse_f64(v, &x)) return v;
  if (v == "true" || v == "false") return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

Status enumerate(const RunConfig& base, const std::vector<Axis>& axes, std::uint64_t seeds,
                 std::vector<Point>* points) {
  std::size_t total = seeds;
  for (const Axis& a : axes) total *= a.values.size();
  if (total > 1000000) {
    return Status::error(Code::invalid_argument, "--grid", "%zu points is too many (at most 1e6)",
                         total);
  }
  for (std::size_t p = 0; p < total; ++p) {
    Point pt;
    pt.index = p;
    pt.config = base;
    std::size_t rest = p / seeds;
    const std::uint64_t s = p % seeds;
    std::string grid = "{";
    std::vector<std::size_t> idx(axes.size());
    for (std::size_t a = axes.size(); a-- > 0;) {
      idx[a] = rest % axes[a].values.size();
      rest /= axes[a].values.size();
    }
    for (std::size_t a = 0; a < axes.size(); ++a) {
      const std::string& v = axes[a].values[idx[a]];
      MIMKIT_TRY(set(&pt.config, axes[a].key.c_str(), v.c_str()));
      grid += (a ? ", \"" : "\"") + axes[a].key + "\": " + json_value(v);
    }
    pt.config.seed = base.seed + s;
    grid += std::string(axes.empty() ? "" : ", ") + "\"seed\": " + std::to_string(pt.config.seed);
    pt.grid_json = grid + "}";
    resolve(&pt.config);
    const Status st = validate(pt.config);
    if (!st.ok()) {
      return Status::error(st.code(), st.field(), "point %zu %s: %s", p, pt.grid_json.c_str(),
                           st.message());
    }
    char cfg[4096];
    to_json(pt.config, cfg, sizeof cfg);
    Digest d;
    d.update(cfg, std::strlen(cfg));
    char hex[17];
    d.hex(hex);
    pt.key = hex;
    points->push_back(pt);
  }
  return Status();
}

// Reads a JSONL results file: the point keys of its complete lines. A final line without a
// newline (a write cut by a kill) is dropped from the file so appending continues cleanly.
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

template <class T>
Status run_point(const Point& pt, const Execution& exec, std::size_t points, const char* dtype,
                 std::string* line) {
  Status st;
  Arena arena = Arena::owned(plan<T>(pt.config, exec.threads), &st);
  MIMKIT_TRY(st);
  std::vector<Report> storage(1);
  MIMKIT_TRY(run<T>(pt.config, exec, arena, &storage[0]));
  std::vector<char> json(report_json_capacity(storage[0]));
  report_json(storage[0], dtype, json.data(), json.size());
  *line = "{\"point\": " + std::to_string(pt.index) + ", \"points\": " + std::to_string(points) +
          ", \"point_key\": \"" + pt.key + "\", \"grid\": " + pt.grid_json + ", " +
          std::string(json.data() + 1) + "\n";
  return Status();
}

std::string json_escape(const char* text) {
  std::string out;
  for (const char* c = text; *c != '\0'; ++c) {
    if (*c == '"' || *c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(*c) >= 0x20) out.push_back(*c);
  }
  return out;
}

std::string error_line(const Point& p, std::size_t points, const Status& st) {
  char cfg[4096];
  to_json(p.config, cfg, sizeof cfg);
  return "{\"point\": " + std::to_string(p.index) + ", \"points\": " + std::to_string(points) +
         ", \"point_key\": \"" + p.key + "\", \"grid\": " + p.grid_json + ", \"config\": " + cfg +
         ", \"version\": \"" + version() + "\", \"error\": {\"code\": \"" + code_name(st.code()) +
         "\", \"field\": \"" + json_escape(st.field()) + "\", \"message\": \"" +
         json_escape(st.message()) + "\"}}\n";
}

#if MIMKIT_WITH_MPI
// MPI: rank 0 owns the file; ranks 1..K-1 take points round-robin and send each finished line
// to rank 0, which appends it. The lines are those of a single-process sweep (order aside).
struct MpiSession {
  int rank = 0, size = 1;
  bool started = false;
  MpiSession() {
    // Only under a launcher: a plain `mimkit sweep` never touches MPI (a singleton MPI_Init can
    // be slow or fail in sandboxes).
    if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr && std::getenv("PMI_SIZE") == nullptr &&
        std::getenv("PMIX_RANK") == nullptr) {
      return;
    }
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
      MPI_Init(nullptr, nullptr);
      started = true;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
  }
  ~MpiSession() {
    if (started) MPI_Finalize();
  }
  void barrier() {
    if (size > 1) MPI_Barrier(MPI_COMM_WORLD);
  }
};

constexpr int kTagLine = 1, kTagDone = 2, kTagFail = 3;

template <class Compute>
int sweep_mpi(MpiSession& mpi, const std::vector<const Point*>& todo, const std::string& out,
              bool quiet, Compute& compute) {
  if (mpi.rank != 0) {
    const std::size_t workers = static_cast<std::size_t>(mpi.size - 1);
    for (std::size_t i = static_cast<std::size_t>(mpi.rank - 1); i < todo.size(); i += workers) {
      std::string line;
      const Status st = compute(*todo[i], &line);
      if (!st.ok()) {
        char text[Status::kFieldCapacity + Status::kMessageCapacity + 8];
        st.describe(text, sizeof text);
        MPI_Send(text, static_cast<int>(std::strlen(text)), MPI_CHAR, 0, kTagFail, MPI_COMM_WORLD);
        return kExitFailure;
      }
      MPI_Send(line.data(), static_cast<int>(line.size()), MPI_CHAR, 0, kTagLine, MPI_COMM_WORLD);
    }
    MPI_Send(nullptr, 0, MPI_CHAR, 0, kTagDone, MPI_COMM_WORLD);
    return kExitOk;
  }
  int running = mpi.size - 1;
  std::size_t written = 0;
  while (running > 0) {
    MPI_Status status;
    MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    int count = 0;
    MPI_Get_count(&status, MPI_CHAR, &count);
    std::string text(static_cast<std::size_t>(count), '\0');
    MPI_Recv(count > 0 ? &text[0] : nullptr, count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (status.MPI_TAG == kTagDone) {
      --running;
    } else if (status.MPI_TAG == kTagFail) {
      std::fprintf(stderr, "mimkit: rank %d: %s\n", status.MPI_SOURCE, text.c_str());
      MPI_Abort(MPI_COMM_WORLD, kExitFailure);
    } else {
      if (int code = report(append_line(out, text))) MPI_Abort(MPI_COMM_WORLD, code);
      ++written;
    }
  }
  if (!quiet) {
    std::fprintf(stderr, "mimkit sweep: %zu points run on %d ranks into %s\n", written,
                 mpi.size - 1, out.c_str());
  }
  return kExitOk;
}

// Rank 0's early exits must not leave the other ranks waiting.
int abort_all(int size, int code) {
  if (size > 1 && code != kExitOk) MPI_Abort(MPI_COMM_WORLD, code);
  return code;
}
#else
int abort_all(int, int code) {
  return code;
}
#endif

}  // namespace

int cmd_sweep(int argc, char** argv) {
  Args args;
  Status st = args.parse(
      argc, argv, 2,
      {"preset", "config", "set", "grid", "seeds", "shard", "out", "threads", "arch", "dtype"},
      {"help", "resume", "force", "dry-run", "quiet"});
  if (!st.ok()) return report(st);
  if (args.has("help")) {
    std::fputs(kSweepHelp, stdout);
    return kExitOk;
  }
  if (int code = report(args.require("preset"))) return code;
  std::string preset_name;
  args.get_string("preset", "", &preset_name);
  RunConfig base;
  if (int code = report(build_config(args, &base))) return code;
  const Preset* preset = find_preset(preset_name.c_str());
  std::vector<Axis> axes;
  if (args.has("grid")) {
    for (const std::string& g : args.all("grid")) {
      axes.emplace_back();
      if (int code = report(parse_axis(g, &axes.back()))) return code;
    }
  } else if (int code = report(parse_grid_text(preset->grid, &axes))) {
    return code;
  }
  if (int code = report(check_axes(axes))) return code;
  std::uint64_t seeds = 0, threads = 1;
  if (int code = report(args.get_size("seeds", preset->seeds, 1, 100000, &seeds))) return code;
  if (int code = report(args.get_size("threads", 1, 1, 256, &threads))) return code;
  std::string shard_text, dtype, out;
  args.get_string("shard", "0/1", &shard_text);
  std::uint64_t shard = 0, shards = 1;
  const std::size_t slash = shard_text.find('/');
  if (slash == std::string::npos || !parse_u64(shard_text.substr(0, slash), &shard) ||
      !parse_u64(shard_text.substr(slash + 1), &shards) || shards < 1 || shard >= shards) {
    return report(Status::error(Code::invalid_argument, "--shard",
                                "'%s' is not I/N with 0 <= I < N (e.g. 0/4)", shard_text.c_str()));
  }
  if (int code = report(args.get_choice("dtype", "float", {"float", "double"}, &dtype))) {
    return code;
  }
  args.get_string("out", "out/" + preset_name + ".jsonl", &out);
  Execution exec;
  if (int code = report(select_isa(args, &exec.isa))) return code;
  exec.threads = threads;

  std::vector<Point> points;
  if (int code = report(enumerate(base, axes, seeds, &points))) return code;
  if (args.has("dry-run")) {
    for (const Point& p : points) {
      if (p.index % shards == shard)
        std::printf("%zu %s %s\n", p.index, p.key.c_str(), p.grid_json.c_str());
    }
    return kExitOk;
  }
  const bool quiet = args.has("quiet");
  install_interrupt_handler();
  // One point -> one line; a diverging point is a result (too few samples, too large a step):
  // it is recorded with its error and the sweep goes on. It is deterministic, so a resumed
  // sweep need not retry it.
  auto compute = [&](const Point& p, std::string* line) -> Status {
    Status s = dtype == "float" ? run_point<float>(p, exec, points.size(), "float", line)
                                : run_point<double>(p, exec, points.size(), "double", line);
    if (s.code() == Code::numerical_error) {
      *line = error_line(p, points.size(), s);
      if (!quiet)
        std::fprintf(stderr, "mimkit sweep: point %zu diverged: %s\n", p.index, s.message());
      return Status();
    }
    if (!s.ok()) {
      return Status::error(s.code(), s.field(), "point %zu %s: %s", p.index, p.grid_json.c_str(),
                           s.message());
    }
    return Status();
  };

  int rank = 0, size = 1;
#if MIMKIT_WITH_MPI
  MpiSession mpi;
  rank = mpi.rank;
  size = mpi.size;
#endif
  if (rank == 0) {
    const bool exists = ::access(out.c_str(), F_OK) == 0;
    if (exists && !args.has("resume") && !args.has("force")) {
      return abort_all(size, report(Status::error(
                                 Code::io_error, "--out",
                                 "'%s' exists; pass --resume to continue it or --force to start "
                                 "over",
                                 out.c_str())));
    }
    if (exists && args.has("force") && !args.has("resume") && ::truncate(out.c_str(), 0) != 0) {
      return abort_all(size,
                       report(Status::error(Code::io_error, "--out", "cannot truncate '%s': %s",
                                            out.c_str(), std::strerror(errno))));
    }
    const std::size_t dir = out.rfind('/');
    if (dir != std::string::npos && dir > 0) {
      const std::string parent = out.substr(0, dir);
      if (::access(parent.c_str(), F_OK) != 0) ::mkdir(parent.c_str(), 0755);
    }
  }
  std::set<std::string> done;
  if (rank == 0) {
    if (int code = report(read_done(out, &done, true))) return abort_all(size, code);
  }
#if MIMKIT_WITH_MPI
  if (size > 1) {
    // Rank 0 repaired the file; now every rank knows which points are done.
    mpi.barrier();
    if (rank != 0) read_done(out, &done, false);
    std::vector<const Point*> todo;
    for (const Point& p : points) {
      if (p.index % shards == shard && done.count(p.key) == 0) todo.push_back(&p);
    }
    return sweep_mpi(mpi, todo, out, quiet, compute);
  }
#endif
  std::size_t mine = 0, skipped = 0, ran = 0;
  for (const Point& p : points) {
    if (p.index % shards != shard) continue;
    ++mine;
    if (done.count(p.key) != 0) ++skipped;
  }
  for (const Point& p : points) {
    if (p.index % shards != shard || done.count(p.key) != 0) continue;
    if (!quiet) {
      std::fprintf(stderr, "mimkit sweep: point %zu (%zu/%zu of shard %llu/%llu) %s\n", p.index,
                   skipped + ran + 1, mine, static_cast<unsigned long long>(shard),
                   static_cast<unsigned long long>(shards), p.grid_json.c_str());
    }
    std::string line;
    if (int code = report(compute(p, &line))) return code;
    if (int code = report(append_line(out, line))) return code;
    ++ran;
    if (interrupted()) {
      std::fprintf(stderr,
                   "mimkit sweep: interrupted; %zu points run, every finished point is in %s "
                   "(continue with --resume)\n",
                   ran, out.c_str());
      return kExitInterrupted;
    }
  }
  if (!quiet) {
    std::fprintf(stderr, "mimkit sweep: %zu points run, %zu already in %s\n", ran, skipped,
                 out.c_str());
  }
  return kExitOk;
}

int cmd_merge(int argc, char** argv) {
  Args args;
  std::vector<std::string> inputs;
  int first_option = argc;
  for (int i = 2; i < argc; ++i) {
    if (std::strncmp(argv[i], "--", 2) == 0) {
      first_option = i;
      break;
    }
    inputs.push_back(argv[i]);
  }
  if (int code = report(args.parse(argc, argv, first_option, {"out"}, {"help", "force"}))) {
    return code;
  }
  if (args.has("help")) {
    std::fputs(
        "usage: mimkit merge SHARD.jsonl ... [--out FILE] [--force]\n"
        "Combines sweep shard files; fails on duplicate or missing points.\n",
        stdout);
    return kExitOk;
  }
  if (inputs.empty()) {
    return report(Status::error(Code::invalid_argument, "merge",
                                "needs at least one SHARD.jsonl (usage: mimkit merge SHARD.jsonl "
                                "... [--out FILE])"));
  }
  std::vector<std::string> lines;
  std::set<std::string> keys;
  std::set<std::size_t> indices;
  long long total = -1;
  for (const std::string& path : inputs) {
    std::string all;
    if (int code = report(read_text_file(path, "merge", &all))) return code;
    std::size_t line_no = 0;
    for (const std::string& line : split_lines(all)) {
      ++line_no;
      if (line.empty()) continue;
      Json j;
      Status st = Json::parse(line, &j);
      const Json* key = j.get("point_key");
      const Json* point = j.get("point");
      const Json* points = j.get("points");
      if (st.ok() &&
          (key == nullptr || point == nullptr || points == nullptr ||
           key->type() != Json::Type::string || !point->is_number() || !points->is_number())) {
        st = Status::error(Code::parse_error, "json",
                           "not a sweep line (no point_key, point or points)");
      }
      // Sweeps have at most 1e6 points (enumerate()); anything else is not one of ours.
      if (st.ok() &&
          !(points->number() >= 1 && points->number() <= 1e6 && point->number() >= 0 &&
            point->number() < points->number() && point->number() == std::floor(point->number()) &&
            points->number() == std::floor(points->number()))) {
        st = Status::error(Code::parse_error, "json",
                           "point %s of points %s is not an index 0 <= point < points <= 1e6",
                           point->text().c_str(), points->text().c_str());
      }
      if (!st.ok()) {
        return report(
            Status::error(Code::parse_error, path.c_str(), "line %zu: %s", line_no, st.message()));
      }
      if (!keys.insert(key->string()).second) {
        return report(Status::error(Code::invalid_argument, path.c_str(),
                                    "line %zu: point %s appears twice", line_no,
                                    point->text().c_str()));
      }
      if (total >= 0 && static_cast<long long>(points->number()) != total) {
        return report(Status::error(Code::invalid_argument, path.c_str(),
                                    "line %zu: from a sweep of %s points, others have %lld",
                                    line_no, points->text().c_str(), total));
      }
      total = static_cast<long long>(points->number());
      indices.insert(static_cast<std::size_t>(point->number()));
      lines.push_back(line);
    }
  }
  std::string missing;
  std::size_t n_missing = 0;
  for (long long i = 0; i < total; ++i) {
    if (indices.count(static_cast<std::size_t>(i)) == 0) {
      if (n_missing++ < 10) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
    }
  }
  if (n_missing > 0) {
    return report(Status::error(Code::invalid_argument, "merge",
                                "%zu of %lld points are missing (e.g. %s)", n_missing, total,
                                missing.c_str()));
  }
  std::string out_path;
  args.get_string("out", "", &out_path);
  std::FILE* out = nullptr;
  if (int code = report(open_output(out_path, args.has("force"), &out))) return code;
  for (const std::string& l : lines) std::fprintf(out, "%s\n", l.c_str());
  return report(close_output(out, out_path));
}

}  // namespace cli
}  // namespace mimkit
