// Command-line options: "--key value" or "--key=value", typed and range-checked getters.
// Errors are Status values naming the flag, the value and what is allowed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mimkit/status.hpp"

namespace mimkit {
namespace cli {

class Args {
 public:
  /// Parses argv[first..argc). `known` lists the accepted option names (without "--");
  /// `switches` the ones that take no value. Unknown options get a "did you mean" suggestion.
  Status parse(int argc, char** argv, int first, const std::vector<std::string>& known,
               const std::vector<std::string>& switches);

  bool has(const std::string& key) const;
  /// All values given for a repeatable option, in order.
  std::vector<std::string> all(const std::string& key) const;

  Status get_string(const std::string& key, const std::string& fallback, std::string* out) const;
  Status get_size(const std::string& key, std::uint64_t fallback, std::uint64_t lo,
                  std::uint64_t hi, std::uint64_t* out) const;
  Status get_double(const std::string& key, double fallback, double lo, double hi,
                    double* out) const;
  /// Value must be one of `choices`.
  Status get_choice(const std::string& key, const std::string& fallback,
                    const std::vector<std::string>& choices, std::string* out) const;
  /// Error unless the option was given.
  Status require(const std::string& key) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

/// The closest of `candidates` to `word`, or "" when none is close (the library's one
/// did-you-mean rule, text::suggest).
std::string closest(const std::string& word, const std::vector<std::string>& candidates);

/// The non-empty parts of text between separators: "a,,b" -> {"a", "b"}.
std::vector<std::string> split_list(const std::string& text, char sep);

/// Parses a whole decimal unsigned integer (no sign, no trailing characters): text::parse_uint.
bool parse_u64(const std::string& text, std::uint64_t* out);
/// Parses a whole finite decimal number: text::parse_real.
bool parse_f64(const std::string& text, double* out);

}  // namespace cli
}  // namespace mimkit
