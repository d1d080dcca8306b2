// The CLI's subcommands. Each takes the whole argv (argv[1] is the subcommand) and returns
// the process exit code.
#pragma once

namespace mimkit {
namespace cli {

int cmd_data(int argc, char** argv);

}  // namespace cli
}  // namespace mimkit
