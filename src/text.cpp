#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdlib>
#include <cstring>

#include "platform/format.hpp"

namespace mimkit {
namespace text {

Writer::Writer(char* out, std::size_t capacity) noexcept : out_(out), capacity_(capacity) {
  if (capacity_ > 0) out_[0] = '\0';
}

void Writer::put(const char* format, ...) noexcept {
  std::va_list args;
  va_start(args, format);
  const bool room = used_ < capacity_;
  used_ +=
      platform::vformat(room ? out_ + used_ : nullptr, room ? capacity_ - used_ : 0, format, args);
  va_end(args);
}

void Writer::put_char(char c) noexcept {
  if (used_ + 1 < capacity_) {
    out_[used_] = c;
    out_[used_ + 1] = '\0';
  }
  ++used_;
}

void Writer::number(double x) noexcept {
  if (!std::isfinite(x)) {
    put("null");
    return;
  }
  char buf[40];
  format_real(x, buf, sizeof buf);
  put("%s", buf);
}

void Writer::string(const char* s, std::size_t max_length) noexcept {
  put_char('"');
  for (std::size_t i = 0; i < max_length && s[i] != '\0'; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      put_char('\\');
      put_char(static_cast<char>(c));
    } else if (c < 0x20) {
      put("\\u%04x", c);
    } else {
      put_char(static_cast<char>(c));
    }
  }
  put_char('"');
}

void format_real(double v, char* out, std::size_t capacity) noexcept {
  for (int precision = 15; precision <= 17; ++precision) {
    platform::format(out, capacity, "%.*g", precision, v);
    if (std::strtod(out, nullptr) == v) return;
  }
}

UintParse parse_uint(const char* s, std::uint64_t* out) noexcept {
  if (s[0] == '-' && s[1] >= '0' && s[1] <= '9') return UintParse::negative;
  if (s[0] == '\0') return UintParse::malformed;
  constexpr std::uint64_t kMax = ~std::uint64_t(0);
  std::uint64_t v = 0;
  bool overflow = false;
  for (const char* p = s; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return UintParse::malformed;
    const std::uint64_t digit = static_cast<std::uint64_t>(*p - '0');
    if (v > (kMax - digit) / 10) overflow = true;
    v = v * 10 + digit;
  }
  if (overflow) return UintParse::overflow;
  *out = v;
  return UintParse::ok;
}

bool parse_real(const char* s, double* out) noexcept {
  if (s[0] == '\0') return false;
  for (const char* p = s; *p != '\0'; ++p) {
    const char c = *p;
    const bool ok =
        (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    if (!ok) return false;
  }
  char* end = nullptr;
  const double v = std::strtod(s, &end);
  if (end == s || *end != '\0' || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

bool parse_bool(const char* s, bool* out) noexcept {
  static constexpr const char* kTrue[] = {"true", "1", "yes", "on"};
  static constexpr const char* kFalse[] = {"false", "0", "no", "off"};
  for (const char* t : kTrue) {
    if (std::strcmp(s, t) == 0) {
      *out = true;
      return true;
    }
  }
  for (const char* f : kFalse) {
    if (std::strcmp(s, f) == 0) {
      *out = false;
      return true;
    }
  }
  return false;
}

namespace {

char lower_ascii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

}  // namespace

std::size_t edit_distance(const char* a, const char* b) noexcept {
  constexpr std::size_t kMax = 63;
  const std::size_t la = std::min(std::strlen(a), kMax);
  const std::size_t lb = std::min(std::strlen(b), kMax);
  std::size_t rows[3][kMax + 1];
  std::size_t* prev2 = rows[0];
  std::size_t* prev = rows[1];
  std::size_t* cur = rows[2];
  for (std::size_t j = 0; j <= lb; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= la; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= lb; ++j) {
      const char ca = lower_ascii(a[i - 1]);
      const char cb = lower_ascii(b[j - 1]);
      std::size_t best = prev[j - 1] + (ca == cb ? 0 : 1);
      best = std::min(best, prev[j] + 1);
      best = std::min(best, cur[j - 1] + 1);
      if (i > 1 && j > 1 && ca == lower_ascii(b[j - 2]) && lower_ascii(a[i - 2]) == cb) {
        best = std::min(best, prev2[j - 2] + 1);
      }
      cur[j] = best;
    }
    std::size_t* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

const char* suggest(const char* typed, const char* const* candidates, std::size_t count) noexcept {
  const std::size_t limit = std::strlen(typed) <= 3 ? 1 : 2;
  const char* best = nullptr;
  std::size_t best_distance = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (candidates[i] == nullptr) continue;
    const std::size_t dist = edit_distance(typed, candidates[i]);
    if (dist > limit) continue;
    if (best == nullptr || dist < best_distance) {
      best = candidates[i];
      best_distance = dist;
    }
  }
  return best;
}

}  // namespace text
}  // namespace mimkit
