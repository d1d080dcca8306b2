// A small JSON reader for mimkit's own JSONL files (sweep results): enough to find values by
// dotted path ("config.alpha", "phase1.min_cosine", "phase1.cosines.1"). CLI only.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mimkit/status.hpp"

namespace mimkit {
namespace cli {

class Json {
 public:
  enum class Type { null, boolean, number, string, array, object };

  /// Parses one JSON value from text; errors name the 1-based column.
  static Status parse(const std::string& text, Json* out);

  Type type() const { return type_; }
  bool is_number() const { return type_ == Type::number; }
  double number() const { return number_; }
  bool boolean() const { return boolean_; }
  const std::string& string() const { return string_; }
  const std::vector<Json>& items() const { return items_; }
  const std::vector<std::pair<std::string, Json>>& members() const { return members_; }

  /// Member by key (objects) or index (arrays, decimal); nullptr when absent.
  const Json* get(const std::string& key) const;
  /// Follows a dotted path; nullptr when any step is absent.
  const Json* path(const std::string& dotted) const;
  /// The value as text: numbers shortest-exact, strings raw (unquoted), others as JSON.
  std::string text() const;
  /// The value as JSON (strings quoted and escaped, recursively).
  std::string json() const;

 private:
  Type type_ = Type::null;
  bool boolean_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
  friend class JsonParser;
};

/// raw as a JSON string literal: quotes, backslashes and control characters escaped.
std::string json_quote(const std::string& raw);

}  // namespace cli
}  // namespace mimkit
