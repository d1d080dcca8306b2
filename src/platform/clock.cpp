#include "platform/clock.hpp"

#if !defined(MIMKIT_CLOCK)
#error "MIMKIT_CLOCK must be 0 or 1 (meson.build sets it from -Dclock)"
#endif

#if MIMKIT_CLOCK
#include <chrono>
#endif

namespace mimkit {
namespace platform {

double now_seconds() noexcept {
#if MIMKIT_CLOCK
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
#else
  return 0;
#endif
}

}  // namespace platform
}  // namespace mimkit
