// mimkit: the command-line front end. A thin client of the public API: parsing, files and
// printing live here; every number comes from the library.
#include <cstdio>
#include <cstring>

#include "commands.hpp"
#include "common.hpp"
#include "mimkit/mimkit.hpp"

namespace {

const char kHelp[] =
    "mimkit: Gaussian multi-index models, layer-wise training and spectral baselines\n"
    "\n"
    "usage: mimkit <command> [options]     (mimkit <command> --help for its options)\n"
    "\n"
    "commands:\n"
    "  data        generate a dataset of y = g(U x) + tau xi (csv, npy, digest or summary)\n"
    "  run         train the two-layer network layer by layer; one JSON line of metrics\n"
    "  presets     list the named configurations\n"
    "  sweep       run a grid of configurations x seeds into a JSONL file (shards, resume)\n"
    "  merge       combine sweep shard files, checking for missing and duplicate points\n"
    "  plot        draw a sweep's JSONL as an SVG figure (median and quartiles over seeds)\n"
    "  theory      predicted thresholds, overlap curves and phase-1 dynamics (n, d -> infinity)\n"
    "\n"
    "options:\n"
    "  --help      this text\n"
    "  --version   version, git commit, instruction sets compiled in and selected\n"
    "\n"
    "environment:\n"
    "  MIMKIT_ARCH  auto | scalar | avx2 | avx512 | neon: force a kernel set (--arch wins)\n"
    "\n"
    "exit codes: 0 success, 1 a run failed, 2 invalid invocation\n";

int version() {
  mimkit::Isa isa = mimkit::Isa::scalar;
  const char* env = std::getenv("MIMKIT_ARCH");
  const mimkit::Status st = mimkit::isa_select(env, "MIMKIT_ARCH", &isa);
  std::printf("mimkit %s (commit %s)\n", mimkit::version(), mimkit::git_commit());
  std::printf("isa compiled: %s\n", mimkit::isa_compiled_list());
  if (st.ok()) {
    std::printf("isa selected: %s (%s)\n", mimkit::isa_name(isa),
                env != nullptr && env[0] != '\0' ? "MIMKIT_ARCH" : "auto");
    return 0;
  }
  return mimkit::cli::report(st);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(
        "mimkit: missing command (data, run, presets, sweep, merge, plot; see mimkit --help)\n",
        stderr);
    return mimkit::cli::kExitUsage;
  }
  const char* command = argv[1];
  if (std::strcmp(command, "--help") == 0 || std::strcmp(command, "-h") == 0 ||
      std::strcmp(command, "help") == 0) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (std::strcmp(command, "--version") == 0) {
    if (argc > 2) {
      return mimkit::cli::report(mimkit::Status::error(mimkit::Code::invalid_argument, "--version",
                                                       "takes no arguments (got '%s')", argv[2]));
    }
    return version();
  }
  if (std::strcmp(command, "data") == 0) return mimkit::cli::cmd_data(argc, argv);
  if (std::strcmp(command, "run") == 0) return mimkit::cli::cmd_run(argc, argv);
  if (std::strcmp(command, "presets") == 0) return mimkit::cli::cmd_presets(argc, argv);
  if (std::strcmp(command, "sweep") == 0) return mimkit::cli::cmd_sweep(argc, argv);
  if (std::strcmp(command, "merge") == 0) return mimkit::cli::cmd_merge(argc, argv);
  if (std::strcmp(command, "plot") == 0) return mimkit::cli::cmd_plot(argc, argv);
  if (std::strcmp(command, "theory") == 0) return mimkit::cli::cmd_theory(argc, argv);
  const std::string guess = mimkit::cli::closest(
      command, {"data", "run", "presets", "sweep", "merge", "plot", "--help", "--version"});
  return mimkit::cli::report(mimkit::Status::error(
      mimkit::Code::invalid_argument, "", "unknown command '%s'%s%s%s (see mimkit --help)", command,
      guess.empty() ? "" : "; did you mean '", guess.c_str(), guess.empty() ? "" : "'"));
}
