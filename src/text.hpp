// Text the library reads and writes: a fixed-buffer writer, strict number parsing and
// did-you-mean suggestions, one implementation for the config parser, the JSON report and the
// command-line tool. Internal (not installed); allocation-free.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mimkit {
namespace text {

/// Appends printf-style text to a fixed buffer (always NUL-terminated when capacity > 0) and
/// counts the length the full text needs, like snprintf: the same code measures and fills.
class Writer {
 public:
  Writer(char* out, std::size_t capacity) noexcept;

  void put(const char* format, ...) noexcept __attribute__((format(printf, 2, 3)));
  void put_char(char c) noexcept;
  /// A JSON number: the shortest of %.15g..%.17g that reads back exactly, or null when not
  /// finite (JSON has no NaN or Inf).
  void number(double x) noexcept;
  /// A JSON string literal of s up to its NUL or max_length characters: quotes, backslashes
  /// and control characters escaped.
  void string(const char* s, std::size_t max_length = ~std::size_t(0)) noexcept;

  /// Length of the full text (may exceed the capacity).
  std::size_t used() const noexcept { return used_; }

 private:
  char* out_;
  std::size_t capacity_;
  std::size_t used_ = 0;
};

/// The shortest of %.15g..%.17g that reads back to the same double into out: round-trips
/// like %.17g, but 0.8 prints as 0.8 rather than 0.80000000000000004.
void format_real(double v, char* out, std::size_t capacity) noexcept;

enum class UintParse { ok, malformed, negative, overflow };

/// A whole decimal unsigned integer: digits only (no sign, spaces, exponent or suffix), no
/// overflow. *out is set only on ok.
UintParse parse_uint(const char* s, std::uint64_t* out) noexcept;

/// A whole finite decimal number (digits, '.', exponent, sign). strtod alone would skip
/// leading spaces and accept hex, "nan", "inf" and out-of-range values that become infinities.
bool parse_real(const char* s, double* out) noexcept;

/// true/false, 1/0, yes/no, on/off.
bool parse_bool(const char* s, bool* out) noexcept;
/// What parse_bool accepts, for messages.
constexpr const char* kBoolAllowed = "true, false, 1, 0, yes, no, on, off";

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so "eat1" is
/// one edit from "eta1"), case-insensitive, on at most the first 63 characters of each string.
std::size_t edit_distance(const char* a, const char* b) noexcept;

/// The candidate closest to `typed` if it is close enough to be a typo (one edit for words of
/// up to 3 characters, two for longer ones), else nullptr. `candidates` has `count` entries;
/// null entries are skipped. The one did-you-mean rule of the library and the CLI.
const char* suggest(const char* typed, const char* const* candidates, std::size_t count) noexcept;

}  // namespace text
}  // namespace mimkit
