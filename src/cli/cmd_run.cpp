// mimkit run: one training run; prints one JSON line (docs/ALGORITHM.md sections 2-6).
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "mimkit/mimkit.hpp"
#include "resources.hpp"

namespace mimkit {
namespace cli {

namespace {

const char kRunHelp[] =
    "usage: mimkit run [--preset NAME] [--config FILE] [--set key=value ...] [options]\n"
    "\n"
    "Trains the two-layer network layer by layer on a multi-index model and prints one JSON\n"
    "line: config, version, isa, dtype, threads, footprint_bytes, timings, phase1 (alignment,\n"
    "cosines, min_cosine, subspace_distance, per_direction, train_loss), phase2 (test_error,\n"
    "train_loss), spectral (when spectral = true), trace (when trace > 0), weights_digest.\n"
    "Settings apply in order: preset, then config file, then each --set.\n"
    "\n"
    "options:\n"
    "  --preset NAME       start from a named configuration (mimkit presets lists them)\n"
    "  --config FILE       key = value lines (# comments)\n"
    "  --set key=value     one setting (repeatable); mimkit run --keys lists every key\n"
    "  --keys              list the config keys with their defaults and ranges\n"
    "  --threads N         worker threads, 1..256 (default: $MIMKIT_THREADS, else every CPU;\n"
    "                      results do not depend on it)\n"
    "  --arch A            " MIMKIT_ISA_CHOICES " (default: $MIMKIT_ARCH or auto)\n"
    "  --dtype T           float | double (default float)\n"
    "  --out FILE          write the JSON line to FILE (never overwrites without --force)\n"
    "  --force             replace an existing --out file\n"
    "  --max-memory SIZE   refuse runs whose arena exceeds SIZE (e.g. 4G; default: physical\n"
    "                      memory, cgroup and ulimit bounds, or $MIMKIT_MAX_MEMORY)\n"
    "  --quiet             no progress or summary on stderr\n";

struct ProgressState {
  bool quiet = false;
  double last_print = 0;
  bool printed = false;
};

bool print_progress(const Progress& p, void* user) {
  if (interrupted()) return false;  // the library stops with Code::cancelled
  auto& st = *static_cast<ProgressState*>(user);
  if (st.quiet || p.elapsed_s < 1.0 || p.elapsed_s - st.last_print < 0.5) return true;
  st.last_print = p.elapsed_s;
  st.printed = true;
  const double frac = p.steps > 0 ? static_cast<double>(p.step) / static_cast<double>(p.steps) : 0;
  std::fprintf(stderr, "\rmimkit: %-8s step %zu/%zu", p.phase, p.step, p.steps);
  if (std::isfinite(p.loss)) std::fprintf(stderr, "  loss %.4g", p.loss);
  if (std::isfinite(p.alignment)) std::fprintf(stderr, "  alignment %.3f", p.alignment);
  std::fprintf(stderr, "  %.1fs", p.elapsed_s);
  if (frac > 0) std::fprintf(stderr, ", phase ETA %.1fs", p.phase_s / frac - p.phase_s);
  std::fprintf(stderr, "    ");
  return true;
}

void list_keys() {
  for (const char* const* k = config_keys(); *k != nullptr; ++k) {
    std::printf("  %-16s %s\n", *k, config_key_help(*k));
  }
}

template <class T>
int run_typed(const RunConfig& config, const Execution& exec, const Args& args,
              ProgressState* progress) {
  std::string out_path;
  args.get_string("out", "", &out_path);
  if (int code = report(check_output(out_path, args.has("force")))) return code;
  std::size_t bytes = 0;
  if (int code = report(plan<T>(config, exec.threads, &bytes))) return code;
  if (int code = report(check_memory(args, bytes, "the run"))) return code;
  Status st;
  Arena arena = Arena::owned(bytes, &st);
  if (int code = report(st)) return code;
  std::vector<Report> storage(1);
  Report& rep = storage[0];
  st = run<T>(config, exec, arena, &rep);
  if (progress->printed) std::fputc('\n', stderr);
  if (int code = report(st)) return code;
  const char* dtype = sizeof(T) == 4 ? "float" : "double";
  std::vector<char> line(report_json_capacity(rep));
  report_json(rep, dtype, line.data(), line.size());
  OutputFile output;
  if (int code = report(output.open(out_path, args.has("force")))) return code;
  std::FILE* out = output.file();
  std::fprintf(out, "%s\n", line.data());
  if (int code = report(output.commit())) return code;
  if (!progress->quiet) {
    std::fprintf(stderr,
                 "mimkit run: phase 1 min cosine %.3f (alignment %.3f), test error %.4f, "
                 "%.2f s (%s, %s, %zu thread%s)\n",
                 rep.phase1.subspace.min_cosine, rep.phase1.alignment, rep.phase2.test_error,
                 rep.timings.total_s, isa_name(rep.isa), dtype, rep.threads,
                 rep.threads == 1 ? "" : "s");
  }
  return kExitOk;
}

}  // namespace

int cmd_run(int argc, char** argv) {
  Args args;
  Status st = args.parse(
      argc, argv, 2, {"preset", "config", "set", "threads", "arch", "dtype", "out", "max-memory"},
      {"help", "quiet", "force", "keys"});
  if (!st.ok()) return report(st);
  if (args.has("help")) {
    std::fputs(kRunHelp, stdout);
    return kExitOk;
  }
  if (args.has("keys")) {
    list_keys();
    return kExitOk;
  }
  RunConfig config;
  if (int code = report(build_config(args, &config))) return code;
  Execution exec;
  std::uint64_t threads = 1;
  std::string dtype;
  if (int code = report(thread_count(args, &threads))) return code;
  if (int code = report(args.get_choice("dtype", "float", {"float", "double"}, &dtype))) {
    return code;
  }
  if (int code = report(select_isa(args, &exec.isa))) return code;
  ProgressState progress;
  progress.quiet = args.has("quiet");
  install_interrupt_handler();
  exec.threads = threads;
  exec.progress = &print_progress;
  exec.should_stop = &stop_on_interrupt;
  exec.user = &progress;
  return dtype == "float" ? run_typed<float>(config, exec, args, &progress)
                          : run_typed<double>(config, exec, args, &progress);
}

}  // namespace cli
}  // namespace mimkit
