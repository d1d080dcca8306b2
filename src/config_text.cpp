// "key = value" text (config files, presets) applied to a RunConfig through set().
#include <cstring>

#include "mimkit/config.hpp"

namespace mimkit {

namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// Trims [*begin, *end) in place of surrounding whitespace.
void trim(char** begin, char** end) noexcept {
  while (*begin < *end && is_space(**begin)) ++*begin;
  while (*end > *begin && is_space((*end)[-1])) --*end;
}

// Parses one line (already NUL-terminated in `line`, modified in place) and applies it.
Status apply_line(RunConfig* config, char* line, const char* source, std::size_t number) noexcept {
  // '#' starts a comment unless it is inside a double-quoted value.
  char* end = line;
  bool quoted = false;
  for (; *end != '\0'; ++end) {
    if (*end == '"') quoted = !quoted;
    if (*end == '#' && !quoted) break;
  }
  char* begin = line;
  trim(&begin, &end);
  if (begin == end) return Status();
  *end = '\0';

  char* eq = std::strchr(begin, '=');
  if (eq == nullptr) {
    return Status::error(Code::parse_error, begin, "%s:%zu: expected 'key = value', got '%.64s'",
                         source, number, begin);
  }
  char* key_begin = begin;
  char* key_end = eq;
  trim(&key_begin, &key_end);
  *key_end = '\0';
  if (key_begin == key_end) {
    return Status::error(Code::parse_error, "", "%s:%zu: missing key before '=' in '%.64s'", source,
                         number, begin);
  }
  char* value_begin = eq + 1;
  char* value_end = end;
  trim(&value_begin, &value_end);
  if (value_begin < value_end && *value_begin == '"') {
    if (value_end - value_begin < 2 || value_end[-1] != '"') {
      return Status::error(Code::parse_error, key_begin,
                           "%s:%zu: %s has an unterminated quoted value", source, number,
                           key_begin);
    }
    ++value_begin;
    --value_end;
  }
  *value_end = '\0';
  const Status s = set(config, key_begin, value_begin);
  if (s.ok()) return s;
  return Status::error(s.code(), s.field(), "%s:%zu: %s", source, number, s.message());
}

}  // namespace

Status apply_text(RunConfig* config, const char* text, const char* source) noexcept {
  if (source == nullptr) source = "config";
  if (text == nullptr) return Status();
  // Long enough for a maximal quoted link plus key, spaces and a comment.
  constexpr std::size_t kMaxLine = 1023;
  char line[kMaxLine + 1];
  std::size_t number = 0;
  const char* p = text;
  while (*p != '\0') {
    ++number;
    const char* eol = std::strchr(p, '\n');
    const std::size_t length = eol != nullptr ? static_cast<std::size_t>(eol - p) : std::strlen(p);
    if (length > kMaxLine) {
      return Status::error(Code::parse_error, "",
                           "%s:%zu: line is %zu characters long (allowed: "
                           "at most %zu)",
                           source, number, length, kMaxLine);
    }
    std::memcpy(line, p, length);
    line[length] = '\0';
    MIMKIT_TRY(apply_line(config, line, source, number));
    p += length;
    if (*p == '\n') ++p;
  }
  return Status();
}

}  // namespace mimkit
