// libFuzzer target: config text never crashes the parser or the validator, and an accepted
// configuration prints as JSON within the length to_json() promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "mimkit/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  mimkit::RunConfig config;
  const mimkit::Status s = mimkit::apply_text(&config, text.c_str(), "fuzz");
  if (!s.ok()) {
    if (s.message()[0] == '\0') std::abort();
    return 0;
  }
  mimkit::resolve(&config);
  if (!mimkit::validate(config).ok()) return 0;
  const std::size_t need = mimkit::to_json(config, nullptr, 0);
  std::vector<char> out(need + 1);
  if (mimkit::to_json(config, out.data(), out.size()) != need || out[need] != '\0') std::abort();
  return 0;
}
