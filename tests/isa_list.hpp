// The ISAs this CPU can run, for tests that compare every kernel against the reference.
#pragma once

#include <vector>

#include "mimkit/isa.hpp"

namespace mimkit_test {

inline std::vector<mimkit::Isa> runnable_isas() {
  std::vector<mimkit::Isa> out;
  for (int i = 0; i < mimkit::kIsaCount; ++i) {
    const auto isa = static_cast<mimkit::Isa>(i);
    if (mimkit::isa_supported(isa)) out.push_back(isa);
  }
  return out;
}

}  // namespace mimkit_test
