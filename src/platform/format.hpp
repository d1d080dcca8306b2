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
/// capacity is 0. Allocation-free, thread-safe, about 2 KiB of stack.
///
/// Implemented here, not by the C library: flags - + space # 0, widths and precisions (digits
/// or *, at most 2^20), length modifiers hh h l ll z j t L, conversions d i u x X o c s p % and
/// e E f F g G (correctly rounded from the exact binary value, glibc's digits, inf and nan).
/// Anything else is copied as written.
std::size_t vformat(char* out, std::size_t capacity, const char* format,
                    std::va_list args) noexcept;

/// vformat with variadic arguments.
std::size_t format(char* out, std::size_t capacity, const char* format, ...) noexcept
    __attribute__((format(printf, 3, 4)));

}  // namespace platform
}  // namespace mimkit
