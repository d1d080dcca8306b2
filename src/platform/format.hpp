// Text formatting for every message and JSON line the library writes. One function, so the
// conversions the library relies on (%zu, %llu, %g, ...) do not depend on what the host C
// library's printf supports.
#pragma once

#include <cstdarg>
#include <cstddef>

namespace mimkit {
namespace platform {

/// printf-style formatting into out[0..capacity) (NUL-terminated when capacity > 0, truncated
/// to fit); returns the length the full text needs, like vsnprintf. out may be null when
/// capacity is 0. Allocation-free.
std::size_t vformat(char* out, std::size_t capacity, const char* format,
                    std::va_list args) noexcept;

/// vformat with variadic arguments.
std::size_t format(char* out, std::size_t capacity, const char* format, ...) noexcept
    __attribute__((format(printf, 3, 4)));

}  // namespace platform
}  // namespace mimkit
