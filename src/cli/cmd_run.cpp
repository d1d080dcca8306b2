// mimkit run: one training run; prints one JSON line (docs/ALGORITHM.md sections 2-6).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "mimkit/mimkit.hpp"

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
    "  --threads N         worker threads, 1..256 (default 1; results do not depend on it)\n"
    "  --arch A            auto | scalar | avx2 | avx512 | neon (default: $MIMKIT_ARCH or auto)\n"
    "  --dtype T           float | double (default float)\n"
    "  --out FILE          write the JSON line to FILE (never overwrites without --force)\n"
    "  --force             replace an existing --out file\n"
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
  Status st;
  const std::size_t bytes = plan<T>(config, exec.threads);
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
  std::FILE* out = nullptr;
  if (int code = report(open_output(out_path, args.has("force"), &out))) return code;
  std::fprintf(out, "%s\n", line.data());
  if (int code = report(close_output(out, out_path))) return code;
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

Status build_config(const Args& args, RunConfig* config) {
  RunConfig c;
  if (args.has("preset")) {
    std::string name;
    args.get_string("preset", "", &name);
    MIMKIT_TRY(apply_preset(&c, name.c_str()));
  }
  if (args.has("config")) {
    std::string path, text;
    args.get_string("config", "", &path);
    MIMKIT_TRY(read_text_file(path, "--config", &text));
    MIMKIT_TRY(apply_text(&c, text.c_str(), path.c_str()));
  }
  for (const std::string& kv : args.all("set")) {
    const std::size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::error(Code::invalid_argument, "--set",
                           "'%s' is not key=value (e.g. --set eta1=0.25)", kv.c_str());
    }
    std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    while (!key.empty() && key.back() == ' ') key.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    MIMKIT_TRY(set(&c, key.c_str(), value.c_str()));
  }
  resolve(&c);
  MIMKIT_TRY(validate(c));
  *config = c;
  return Status();
}

int cmd_run(int argc, char** argv) {
  Args args;
  Status st =
      args.parse(argc, argv, 2, {"preset", "config", "set", "threads", "arch", "dtype", "out"},
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
  if (int code = report(args.get_size("threads", 1, 1, 256, &threads))) return code;
  if (int code = report(args.get_choice("dtype", "float", {"float", "double"}, &dtype))) {
    return code;
  }
  if (int code = report(select_isa(args, &exec.isa))) return code;
  ProgressState progress;
  progress.quiet = args.has("quiet");
  install_interrupt_handler();
  exec.threads = threads;
  exec.progress = &print_progress;
  exec.user = &progress;
  return dtype == "float" ? run_typed<float>(config, exec, args, &progress)
                          : run_typed<double>(config, exec, args, &progress);
}

}  // namespace cli
}  // namespace mimkit
