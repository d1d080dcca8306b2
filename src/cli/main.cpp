// mimkit: the command-line front end. A thin client of the public API: parsing, files and
// printing live here; every number comes from the library.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "mimkit/mimkit.hpp"

namespace {

using mimkit::cli::Command;

// Every command, in the order --help lists them. Adding a command is one row here.
const Command kCommands[] = {
    {"data", "generate a dataset of y = g(U x) + tau xi (csv, npy, digest or summary)",
     &mimkit::cli::cmd_data},
    {"run", "train the two-layer network layer by layer; one JSON line of metrics",
     &mimkit::cli::cmd_run},
    {"presets", "list the named configurations", &mimkit::cli::cmd_presets},
    {"sweep", "run a grid of configurations x seeds into a JSONL file (shards, resume)",
     &mimkit::cli::cmd_sweep},
    {"merge", "combine sweep shard files, checking for missing and duplicate points",
     &mimkit::cli::cmd_merge},
    {"plot", "draw a sweep's JSONL as an SVG figure or table (every seed, medians, success shares)",
     &mimkit::cli::cmd_plot},
    {"select", "keep per seed the line with the best validation value over some grid keys",
     &mimkit::cli::cmd_select},
    {"theory", "predicted thresholds, overlap curves and phase-1 dynamics (n, d -> infinity)",
     &mimkit::cli::cmd_theory},
};

void print_help() {
  std::printf(
      "mimkit: Gaussian multi-index models, layer-wise training and spectral baselines\n"
      "\n"
      "usage: mimkit <command> [options]     (mimkit <command> --help for its options)\n"
      "\n"
      "commands:\n");
  for (const Command& c : kCommands) std::printf("  %-11s %s\n", c.name, c.summary);
  std::printf(
      "\n"
      "options:\n"
      "  --help      this text\n"
      "  --version   version, git commit, instruction sets compiled in and selected\n"
      "\n"
      "environment:\n"
      "  MIMKIT_ARCH        " MIMKIT_ISA_CHOICES ": force a kernel set (--arch wins)\n"
      "  MIMKIT_THREADS     default --threads (else every CPU; results never depend on it)\n"
      "  MIMKIT_MAX_MEMORY  default --max-memory, e.g. 4G (else physical memory, cgroup and\n"
      "                     ulimit bounds)\n"
      "\n"
      "exit codes: 0 success, 1 a run failed, 2 invalid invocation, 130 interrupted\n");
}

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

std::string command_names() {
  std::string names;
  for (const Command& c : kCommands) names += (names.empty() ? "" : ", ") + std::string(c.name);
  return names;
}

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "mimkit: missing command (%s; see mimkit --help)\n",
                 command_names().c_str());
    return mimkit::cli::kExitUsage;
  }
  const char* command = argv[1];
  if (std::strcmp(command, "--help") == 0 || std::strcmp(command, "-h") == 0 ||
      std::strcmp(command, "help") == 0) {
    print_help();
    return 0;
  }
  if (std::strcmp(command, "--version") == 0) {
    if (argc > 2) {
      return mimkit::cli::report(mimkit::Status::error(mimkit::Code::invalid_argument, "--version",
                                                       "takes no arguments (got '%s')", argv[2]));
    }
    return version();
  }
  std::vector<std::string> known;
  for (const Command& c : kCommands) {
    if (std::strcmp(command, c.name) == 0) return c.run(argc, argv);
    known.push_back(c.name);
  }
  known.push_back("--help");
  known.push_back("--version");
  const std::string guess = mimkit::cli::closest(command, known);
  return mimkit::cli::report(mimkit::Status::error(
      mimkit::Code::invalid_argument, "", "unknown command '%s'%s%s%s (see mimkit --help)", command,
      guess.empty() ? "" : "; did you mean '", guess.c_str(), guess.empty() ? "" : "'"));
}

// Without exceptions a failed allocation would abort: say what happened in one line instead.
void out_of_memory() {
  static const char kMessage[] =
      "mimkit: memory: out of memory (lower the sizes, or check ulimit -v and the cgroup limit)\n";
  if (::write(2, kMessage, sizeof kMessage - 1) < 0) _exit(mimkit::cli::kExitFailure);
  _exit(mimkit::cli::kExitFailure);
}

}  // namespace

int main(int argc, char** argv) {
  std::set_new_handler(&out_of_memory);
  const int code = dispatch(argc, argv);
  // A command's output that could not be written to stdout is a failure.
  const mimkit::Status flushed = mimkit::cli::flush_stdout();
  if (code == 0 && !flushed.ok()) return mimkit::cli::report(flushed);
  return code;
}
