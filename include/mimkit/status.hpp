// Status: the one way mimkit reports failure. The library never throws.
#pragma once

#include <cstddef>

namespace mimkit {

/// What went wrong. `ok` is the only success value.
enum class Code : int {
  ok = 0,
  invalid_argument,  ///< a parameter is out of its allowed range or malformed
  parse_error,       ///< a text spec (link, config) could not be parsed
  arena_too_small,   ///< the arena has fewer bytes than plan() asked for
  unsupported_isa,   ///< the requested instruction set is not compiled in or not on this CPU
  io_error,          ///< a file could not be read or written
  numerical_error,   ///< NaN or Inf appeared (divergence, a link evaluating to NaN)
  cancelled,         ///< the progress callback asked to stop
  internal           ///< a broken invariant inside mimkit (a bug: please report it)
};

/// Name of a code, e.g. "invalid_argument". Never null.
const char* code_name(Code code) noexcept;

/// A result: a code, the offending field (a config key, CLI flag or argument name) and a
/// human-readable message. Fixed size, never allocates, cheap to copy.
class Status {
 public:
  static constexpr std::size_t kFieldCapacity = 48;
  static constexpr std::size_t kMessageCapacity = 208;

  /// Success.
  Status() noexcept;

  /// An error; `message_format` is printf-style. Text beyond the capacities is truncated.
  static Status error(Code code, const char* field, const char* message_format, ...) noexcept
      __attribute__((format(printf, 3, 4)));

  bool ok() const noexcept { return code_ == Code::ok; }
  Code code() const noexcept { return code_; }
  /// Offending field, "" when none. Never null.
  const char* field() const noexcept { return field_; }
  /// Explanation naming the value and what is allowed. "" on success. Never null.
  const char* message() const noexcept { return message_; }

  /// "field: message" (or just the message when there is no field) into `out`, always
  /// NUL-terminated; returns `out`.
  const char* describe(char* out, std::size_t capacity) const noexcept;

 private:
  Code code_;
  char field_[kFieldCapacity];
  char message_[kMessageCapacity];
};

}  // namespace mimkit

/// Returns early from the enclosing function when `expr` yields a non-ok Status.
#define MIMKIT_TRY(expr)                                     \
  do {                                                       \
    ::mimkit::Status mimkit_try_status_ = (expr);            \
    if (!mimkit_try_status_.ok()) return mimkit_try_status_; \
  } while (0)
