// mimkit sweep: a grid of configurations x seeds, one JSON line per finished point, appended
// whole; shards for batch systems, resume after a kill, an MPI runner.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "resources.hpp"
#include "results.hpp"
#include "sweep_grid.hpp"
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
    "usage: mimkit sweep [--preset NAME] [options]\n"
    "\n"
    "Runs every point of a grid of configurations x seeds and appends one JSON line per\n"
    "finished point: the run's report plus point, points, point_key and grid. Point k belongs\n"
    "to shard k mod N, so N shards (Slurm arrays, GNU parallel, ...) together equal one sweep.\n"
    "\n"
    "options:\n"
    "  --preset NAME          base configuration and its default grid (mimkit presets);\n"
    "                         without one: the defaults, --grid only, one seed, --out required\n"
    "  --config FILE          key = value lines over the preset\n"
    "  --set key=value        one setting over the preset (repeatable)\n"
    "  --grid AXIS            key=v1,v2,... or key=lo:hi:count or key=lo:hi:count:log\n"
    "                         (repeatable; replaces the preset's grid; first axis slowest)\n"
    "  --seeds K              seeds seed, seed+1, ..., seed+K-1 per grid point (default: "
    "preset's)\n"
    "  --shard I/N            run only points k with k mod N = I (default 0/1); --shard auto\n"
    "                         takes I and N from SLURM_ARRAY_TASK_ID/_MIN and _COUNT\n"
    "  --out FILE             the JSONL file (default out/<preset>.jsonl)\n"
    "  --resume               skip points already in FILE (a killed sweep continues)\n"
    "  --force                start FILE afresh even if it exists\n"
    "  --threads N            threads per run (default: $MIMKIT_THREADS, else every CPU)\n"
    "  --arch A, --dtype T    as for mimkit run\n"
    "  --max-memory SIZE      as for mimkit run: every point is checked before the first runs\n"
    "  --dry-run              print the points and exit\n"
    "  --quiet                no progress on stderr\n";

template <class T>
Status run_point(const SweepId& sweep, const Point& pt, const Execution& exec, std::size_t points,
                 const char* dtype, std::string* line) {
  Status st;
  Arena arena = Arena::owned(plan<T>(pt.config, exec.threads), &st);
  MIMKIT_TRY(st);
  std::vector<Report> storage(1);
  MIMKIT_TRY(run<T>(pt.config, exec, arena, &storage[0]));
  std::vector<char> json(report_json_capacity(storage[0]));
  report_json(storage[0], dtype, json.data(), json.size());
  *line = result_line(sweep, pt, points, json.data());
  return Status();
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
int sweep_mpi(MpiSession& mpi, const std::vector<const Point*>& todo, ResultsFile* file,
              const std::string& out, bool quiet, Compute& compute) {
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
      if (int code = report(file->append(text))) MPI_Abort(MPI_COMM_WORLD, code);
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
  Status st = args.parse(argc, argv, 2,
                         {"preset", "config", "set", "grid", "seeds", "shard", "out", "threads",
                          "arch", "dtype", "max-memory"},
                         {"help", "resume", "force", "dry-run", "quiet"});
  if (!st.ok()) return report(st);
  if (args.has("help")) {
    std::fputs(kSweepHelp, stdout);
    return kExitOk;
  }
  // Without --preset a sweep starts from the defaults, with no grid but --grid and one seed.
  std::string preset_name;
  args.get_string("preset", "", &preset_name);
  RunConfig base;
  if (int code = report(build_config(args, &base))) return code;
  const Preset* preset = args.has("preset") ? find_preset(preset_name.c_str()) : nullptr;
  if (preset == nullptr && !args.has("out")) {
    return report(Status::error(Code::invalid_argument, "--out",
                                "is required without --preset (there is no preset name to "
                                "call the file after)"));
  }
  std::vector<Axis> axes;
  if (args.has("grid")) {
    for (const std::string& g : args.all("grid")) {
      axes.emplace_back();
      if (int code = report(parse_axis(g, &axes.back()))) return code;
    }
  } else if (preset != nullptr) {
    if (int code = report(parse_grid_text(preset->grid, &axes))) return code;
  }
  if (int code = report(check_axes(axes))) return code;
  std::uint64_t seeds = 0, threads = 1, shard = 0, shards = 1;
  if (int code = report(
          args.get_size("seeds", preset != nullptr ? preset->seeds : 1, 1, 100000, &seeds))) {
    return code;
  }
  if (int code = report(thread_count(args, &threads))) return code;
  if (int code = report(shard_of(args, &shard, &shards))) return code;
  std::string dtype, out;
  if (int code = report(args.get_choice("dtype", "float", {"float", "double"}, &dtype))) {
    return code;
  }
  args.get_string("out", "out/" + preset_name + ".jsonl", &out);
  Execution exec;
  if (int code = report(select_isa(args, &exec.isa))) return code;
  exec.threads = threads;
  exec.should_stop = &stop_on_interrupt;

  std::vector<Point> points;
  if (int code = report(enumerate(base, axes, seeds, &points))) return code;
  const SweepId sweep = make_sweep_id(base, axes, seeds, dtype);
  if (args.has("dry-run")) {
    for (const Point& p : points) {
      if (p.index % shards == shard)
        std::printf("%zu %s %s\n", p.index, p.key.c_str(), p.grid_json.c_str());
    }
    return kExitOk;
  }
  // Refuse up front, not hours in: every point of this shard must fit the memory budget.
  for (const Point& p : points) {
    if (p.index % shards != shard) continue;
    std::size_t bytes = 0;
    Status fits = dtype == "float" ? plan<float>(p.config, threads, &bytes)
                                   : plan<double>(p.config, threads, &bytes);
    const std::string what = "point " + std::to_string(p.index) + " " + p.grid_json;
    if (fits.ok()) fits = check_memory(args, bytes, what.c_str());
    if (int code = report(fits)) return code;
  }
  const bool quiet = args.has("quiet");
  install_interrupt_handler();
  // One point -> one line; a diverging point is a result (too few samples, too large a step):
  // it is recorded with its error and the sweep goes on. It is deterministic, so a resumed
  // sweep need not retry it.
  auto compute = [&](const Point& p, std::string* line) -> Status {
    Status s = dtype == "float" ? run_point<float>(sweep, p, exec, points.size(), "float", line)
                                : run_point<double>(sweep, p, exec, points.size(), "double", line);
    if (s.code() == Code::numerical_error) {
      *line = error_line(sweep, p, points.size(), s);
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
  // Rank 0 opens and locks the file before any point runs: an unwritable --out, a file of
  // another sweep or a second writer are found now, not after the first point.
  ResultsFile file;
  std::set<std::string> done;
  if (rank == 0) {
    if (int code = report(file.open(out, args.has("resume"), args.has("force")))) {
      return abort_all(size, code);
    }
    if (int code = report(file.read_done(sweep, points, &done))) return abort_all(size, code);
  }
#if MIMKIT_WITH_MPI
  if (size > 1) {
    // Rank 0 repaired the file; now every rank knows which points are done.
    mpi.barrier();
    if (rank != 0) read_done_keys(out, &done);
    std::vector<const Point*> todo;
    for (const Point& p : points) {
      if (p.index % shards == shard && done.count(p.key) == 0) todo.push_back(&p);
    }
    return sweep_mpi(mpi, todo, &file, out, quiet, compute);
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
    const Status computed = compute(p, &line);
    if (computed.code() != Code::cancelled) {
      if (int code = report(computed)) return code;
      if (int code = report(file.append(line))) return code;
      ++ran;
    }
    if (interrupted()) {
      std::fprintf(stderr,
                   "mimkit sweep: interrupted; %zu points run, every finished point is in %s "
                   "(the point in progress is not; continue with --resume)\n",
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

}  // namespace cli
}  // namespace mimkit
