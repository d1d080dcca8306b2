// Link::parse: the link spec grammar of link.hpp, compiled by recursive descent into the
// stack-machine program of link_ops.hpp, with precise error positions.
#include <cmath>
#include <cstdarg>
#include <cstdlib>
#include <cstring>

#include "link_ops.hpp"
#include "mimkit/link.hpp"
#include "platform/format.hpp"

namespace mimkit {

using namespace link_ops;

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_name_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '_';
}

bool all_digits(const char* s, std::size_t n) {
  if (n == 0) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(s[i])) return false;
  }
  return true;
}

// Saturates instead of overflowing, so "z99999999999999999999" is reported as too large rather
// than wrapping around to a valid index.
std::size_t digits_value(const char* s, std::size_t n) {
  constexpr std::size_t kSaturated = 1000000;
  std::size_t v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    v = v * 10 + static_cast<std::size_t>(s[i] - '0');
    if (v > kSaturated) v = kSaturated;
  }
  return v;
}

bool word_is(const char* s, std::size_t n, const char* word) {
  return std::strlen(word) == n && std::memcmp(s, word, n) == 0;
}

// Printable characters are quoted; others (control bytes, UTF-8 fragments) are shown in hex so
// the message stays readable on one line.
const char* describe_char(char c, char (&buf)[16]) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u > 0x20 && u < 0x7f) {
    platform::format(buf, sizeof buf, "'%c'", c);
  } else {
    platform::format(buf, sizeof buf, "byte 0x%02x", u);
  }
  return buf;
}

}  // namespace

// Recursive descent over the grammar in link.hpp, emitting RPN into Link::ops_. Functions return
// false after storing the error in status_; no exceptions, no heap.
class Link::Compiler {
 public:
  Compiler(const char* spec, std::size_t length, std::size_t r, Link* link)
      : spec_(spec), length_(length), r_(r), link_(link) {}

  bool compile() {
    skip_space();
    if (pos_ == length_) {
      return fail("empty spec '%s': expected an expression such as 'he2(z1) + 0.5*he2(z2)'", spec_);
    }
    if (!expr()) return false;
    skip_space();
    if (pos_ < length_) return unexpected("an operator or the end of the spec");
    return true;
  }

  const Status& status() const { return status_; }

 private:
  char peek() const { return pos_ < length_ ? spec_[pos_] : '\0'; }
  std::size_t position() const { return pos_ + 1; }

  void skip_space() {
    while (pos_ < length_ && is_space(spec_[pos_])) ++pos_;
  }

  bool fail(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    char message[Status::kMessageCapacity];
    va_list args;
    va_start(args, format);
    platform::vformat(message, sizeof message, format, args);
    va_end(args);
    status_ = Status::error(Code::parse_error, "link", "%s", message);
    return false;
  }

  bool unexpected(const char* expected) {
    if (pos_ == length_) {
      return fail("expected %s at position %zu in '%s'", expected, position(), spec_);
    }
    char buf[16];
    return fail("unexpected %s at position %zu in '%s'; expected %s", describe_char(peek(), buf),
                position(), spec_, expected);
  }

  bool emit(Opcode code, std::size_t arg, double value, int stack_effect, std::size_t at) {
    if (link_->n_ops_ == kMaxOps) {
      return fail("spec needs more than %zu instructions at position %zu in '%s'", kMaxOps, at + 1,
                  spec_);
    }
    depth_ += stack_effect;
    if (depth_ > static_cast<int>(kMaxStack)) {
      return fail(
          "expression needs more than %zu evaluation stack slots at position %zu in '%s'; "
          "nest fewer right-hand operands",
          kMaxStack, at + 1, spec_);
    }
    Op& op = link_->ops_[link_->n_ops_++];
    op.code = code;
    op.arg = static_cast<std::uint8_t>(arg);
    op.value = value;
    return true;
  }

  bool expr() {
    if (!term()) return false;
    for (;;) {
      skip_space();
      const char c = peek();
      if (c != '+' && c != '-') return true;
      const std::size_t at = pos_++;
      if (!term()) return false;
      if (!emit(c == '+' ? kAdd : kSub, 0, 0.0, -1, at)) return false;
    }
  }

  bool term() {
    if (!unary()) return false;
    for (;;) {
      skip_space();
      const char c = peek();
      if (c != '*' && c != '/') return true;
      const std::size_t at = pos_++;
      if (!unary()) return false;
      if (!emit(c == '*' ? kMul : kDiv, 0, 0.0, -1, at)) return false;
    }
  }

  // Signs are folded iteratively (an even number of '-' cancels exactly in IEEE arithmetic),
  // so a long run of signs neither recurses nor emits one instruction each.
  bool unary() {
    bool negate = false;
    std::size_t at = 0;
    for (;;) {
      skip_space();
      const char c = peek();
      if (c == '-') {
        negate = !negate;
        at = pos_++;
      } else if (c == '+') {
        ++pos_;
      } else {
        break;
      }
    }
    if (!power()) return false;
    return !negate || emit(kNeg, 0, 0.0, 0, at);
  }

  bool power() {
    if (!primary()) return false;
    skip_space();
    if (peek() != '^') return true;
    ++pos_;
    skip_space();
    const std::size_t at = pos_;
    std::size_t n = 0;
    while (at + n < length_ && is_digit(spec_[at + n])) ++n;
    const bool followed_by_fraction =
        at + n < length_ && (spec_[at + n] == '.' || is_name_char(spec_[at + n]));
    if (n == 0 || followed_by_fraction) {
      return fail("expected an integer exponent 0..%zu at position %zu in '%s'", kMaxExponent,
                  at + 1, spec_);
    }
    const std::size_t exponent = digits_value(spec_ + at, n);
    if (exponent > kMaxExponent) {
      return fail("exponent %.*s at position %zu exceeds %zu in '%s'", static_cast<int>(n),
                  spec_ + at, at + 1, kMaxExponent, spec_);
    }
    pos_ += n;
    return emit(kPow, exponent, 0.0, 0, at);
  }

  bool primary() {
    skip_space();
    const char c = peek();
    if (is_digit(c) || c == '.') return number();
    if (is_alpha(c) || c == '_') return name();
    if (c == '(') {
      ++pos_;
      return group(pos_ - 1);
    }
    return unexpected("a number, variable, function or '('");
  }

  // Called with pos_ just after the '(' at open_at; consumes the expression and the ')'.
  bool group(std::size_t open_at) {
    if (++nesting_ > kMaxNesting) {
      return fail("parentheses nested deeper than %zu at position %zu in '%s'", kMaxNesting,
                  open_at + 1, spec_);
    }
    if (!expr()) return false;
    skip_space();
    if (peek() != ')') {
      return fail("expected ')' at position %zu in '%s'; '(' at position %zu is still open",
                  position(), spec_, open_at + 1);
    }
    ++pos_;
    --nesting_;
    return true;
  }

  bool number() {
    const std::size_t start = pos_;
    std::size_t p = pos_;
    std::size_t mantissa_digits = 0;
    while (p < length_ && is_digit(spec_[p])) {
      ++p;
      ++mantissa_digits;
    }
    if (p < length_ && spec_[p] == '.') {
      ++p;
      while (p < length_ && is_digit(spec_[p])) {
        ++p;
        ++mantissa_digits;
      }
    }
    bool ok = mantissa_digits > 0;
    if (ok && p < length_ && (spec_[p] == 'e' || spec_[p] == 'E')) {
      ++p;
      if (p < length_ && (spec_[p] == '+' || spec_[p] == '-')) ++p;
      std::size_t exponent_digits = 0;
      while (p < length_ && is_digit(spec_[p])) {
        ++p;
        ++exponent_digits;
      }
      ok = exponent_digits > 0;
    }
    if (ok && p < length_ && spec_[p] == '.') ok = false;
    if (!ok) {
      // Quote the whole run the user wrote ("1.5.2", "1e"), not just the prefix that failed.
      while (p < length_ && (is_name_char(spec_[p]) || spec_[p] == '.')) ++p;
      return fail(
          "malformed number '%.*s' at position %zu in '%s'; expected digits such as "
          "2, 0.5 or 1e-3",
          static_cast<int>(p - start), spec_ + start, start + 1, spec_);
    }
    // strtod needs a terminator right after the literal; the spec itself continues.
    char text[kMaxSpecLength + 1];
    const std::size_t n = p - start;
    std::memcpy(text, spec_ + start, n);
    text[n] = '\0';
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end != text + n) {
      return fail("malformed number '%s' at position %zu in '%s'", text, start + 1, spec_);
    }
    if (!std::isfinite(value)) {
      return fail("number '%s' at position %zu is out of range in '%s'", text, start + 1, spec_);
    }
    pos_ = p;
    return emit(kPushConst, 0, value, +1, start);
  }

  bool name() {
    const std::size_t start = pos_;
    while (pos_ < length_ && is_name_char(spec_[pos_])) ++pos_;
    const char* s = spec_ + start;
    const std::size_t n = pos_ - start;
    const int len = static_cast<int>(n);

    if (s[0] == 'z' && all_digits(s + 1, n - 1)) return variable(s, n, start);
    if (word_is(s, n, "norm2")) return emit(kPushNorm2, 0, 0.0, +1, start);

    Opcode code;
    std::size_t arg = 0;
    if (n >= 3 && s[0] == 'h' && s[1] == 'e' && all_digits(s + 2, n - 2)) {
      arg = digits_value(s + 2, n - 2);
      if (arg > kMaxHermiteDegree) {
        return fail("Hermite degree %.*s at position %zu exceeds %zu in '%s'", len - 2, s + 2,
                    start + 1, kMaxHermiteDegree, spec_);
      }
      code = kHermite;
    } else if (word_is(s, n, "relu")) {
      code = kRelu;
    } else if (word_is(s, n, "abs")) {
      code = kAbs;
    } else if (word_is(s, n, "sign")) {
      code = kSign;
    } else if (word_is(s, n, "sqrt")) {
      code = kSqrt;
    } else {
      skip_space();
      if (peek() == '(') {
        return fail(
            "unknown function '%.*s' at position %zu in '%s'; functions are he0..he12, relu, "
            "abs, sign, sqrt",
            len, s, start + 1, spec_);
      }
      return fail(
          "unknown name '%.*s' at position %zu in '%s'; expected a variable z1..z%zu, norm2 or "
          "a function call",
          len, s, start + 1, spec_, r_);
    }
    skip_space();
    if (peek() != '(') {
      return fail("expected '(' after '%.*s' at position %zu in '%s'", len, s, position(), spec_);
    }
    ++pos_;
    if (!group(pos_ - 1)) return false;
    return emit(code, arg, 0.0, 0, start);
  }

  bool variable(const char* s, std::size_t n, std::size_t start) {
    const std::size_t index = digits_value(s + 1, n - 1);
    if (index == 0 || index > r_) {
      char allowed[24];
      if (r_ == 1) {
        platform::format(allowed, sizeof allowed, "z1");
      } else {
        platform::format(allowed, sizeof allowed, "z1..z%zu", r_);
      }
      if (index == 0) {
        return fail(
            "variable %.*s at position %zu does not exist, variables count from 1 "
            "(allowed: %s) in '%s'",
            static_cast<int>(n), s, start + 1, allowed, spec_);
      }
      return fail("variable %.*s at position %zu exceeds r = %zu (allowed: %s) in '%s'",
                  static_cast<int>(n), s, start + 1, r_, allowed, spec_);
    }
    return emit(kPushVar, index - 1, 0.0, +1, start);
  }

  const char* spec_;
  std::size_t length_;
  std::size_t r_;
  Link* link_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::size_t nesting_ = 0;
  Status status_;
};

Status Link::parse(const char* spec, std::size_t r, Link* out) noexcept {
  if (out == nullptr) {
    return Status::error(Code::invalid_argument, "out", "output pointer is null");
  }
  *out = Link();
  if (r == 0 || r > kMaxR) {
    return Status::error(Code::invalid_argument, "r", "r = %zu is out of range (allowed: 1..%zu)",
                         r, kMaxR);
  }
  if (spec == nullptr) {
    return Status::error(Code::parse_error, "link", "empty spec (null pointer)");
  }
  const std::size_t length = std::strlen(spec);
  if (length > kMaxSpecLength) {
    return Status::error(Code::parse_error, "link",
                         "spec has %zu characters, more than the %zu allowed: '%.40s...'", length,
                         kMaxSpecLength, spec);
  }
  Compiler compiler(spec, length, r, out);
  if (!compiler.compile()) {
    *out = Link();
    return compiler.status();
  }
  out->kind_ = Kind::compiled;
  out->r_ = r;
  std::memcpy(out->spec_, spec, length + 1);
  return Status();
}

}  // namespace mimkit
