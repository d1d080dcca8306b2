// The configuration of run and sweep from the command line: --preset, then --config, then
// each --set, resolved and validated.
#include <string>

#include "commands.hpp"
#include "common.hpp"
#include "mimkit/mimkit.hpp"

namespace mimkit {
namespace cli {

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
    MIMKIT_TRY(read_text_file(path, "--config", std::size_t(1) << 20, &text));
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

}  // namespace cli
}  // namespace mimkit
