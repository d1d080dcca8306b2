// libFuzzer target: the link-spec parser never crashes, and a spec it accepts evaluates the same
// twice (no hidden state) on a fixed point.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "mimkit/link.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t r = 1 + data[0] % 4;
  const std::string spec(reinterpret_cast<const char*>(data + 1), size - 1);
  mimkit::Link link;
  const mimkit::Status s = mimkit::Link::parse(spec.c_str(), r, &link);
  if (!s.ok()) {
    if (s.message()[0] == '\0') std::abort();  // every error explains itself
    return 0;
  }
  const double z[4] = {0.3, -1.7, 2.5, 0.0};
  const double a = link(z), b = link(z);
  if (std::memcmp(&a, &b, sizeof a) != 0) std::abort();
  return 0;
}
