#include "platform/format.hpp"

#include <cstdio>

namespace mimkit {
namespace platform {

std::size_t vformat(char* out, std::size_t capacity, const char* fmt, std::va_list args) noexcept {
  const int n = std::vsnprintf(capacity > 0 ? out : nullptr, capacity, fmt, args);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::size_t format(char* out, std::size_t capacity, const char* fmt, ...) noexcept {
  std::va_list args;
  va_start(args, fmt);
  const std::size_t n = vformat(out, capacity, fmt, args);
  va_end(args);
  return n;
}

}  // namespace platform
}  // namespace mimkit
