#include "platform/clock.hpp"

#include <chrono>

namespace mimkit {
namespace platform {

double now_seconds() noexcept {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

}  // namespace platform
}  // namespace mimkit
