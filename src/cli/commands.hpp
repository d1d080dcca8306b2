// The CLI's subcommands. Each takes the whole argv (argv[1] is the subcommand) and returns
// the process exit code.
#pragma once

#include "mimkit/config.hpp"
#include "mimkit/status.hpp"

namespace mimkit {
namespace cli {

class Args;

/// A subcommand: its name, a one-line summary for mimkit --help, and its entry point.
struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

int cmd_data(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_presets(int argc, char** argv);
int cmd_sweep(int argc, char** argv);
int cmd_merge(int argc, char** argv);
int cmd_plot(int argc, char** argv);
int cmd_select(int argc, char** argv);
int cmd_theory(int argc, char** argv);

/// RunConfig from --preset, --config and --set (in that order), resolved and validated
/// (run_config.cpp).
Status build_config(const Args& args, RunConfig* config);

}  // namespace cli
}  // namespace mimkit
