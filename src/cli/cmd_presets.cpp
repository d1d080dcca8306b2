// mimkit presets: the named configurations and what they show.
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"
#include "mimkit/presets.hpp"

namespace mimkit {
namespace cli {

int cmd_presets(int argc, char** argv) {
  Args args;
  if (int code = report(args.parse(argc, argv, 2, {}, {"help"}))) return code;
  std::size_t count = 0;
  const Preset* all = presets(&count);
  for (std::size_t i = 0; i < count; ++i) {
    std::printf("%s\n  %s\n", all[i].name, all[i].description);
    if (all[i].grid[0] != '\0') {
      std::printf("  sweep grid: %s, seeds: %u\n", all[i].grid, all[i].seeds);
    }
  }
  return kExitOk;
}

}  // namespace cli
}  // namespace mimkit
