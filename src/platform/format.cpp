#include "platform/format.hpp"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace mimkit {
namespace platform {
namespace {

// The output: writes what fits (keeping room for the NUL), counts everything.
class Sink {
 public:
  Sink(char* out, std::size_t capacity) : out_(out), capacity_(capacity) {}
  void put(char c) {
    if (length_ + 1 < capacity_) out_[length_] = c;
    ++length_;
  }
  void put(const char* s, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) put(s[i]);
  }
  void pad(char c, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) put(c);
  }
  std::size_t finish() {
    if (capacity_ > 0) out_[length_ < capacity_ ? length_ : capacity_ - 1] = '\0';
    return length_;
  }

 private:
  char* out_;
  std::size_t capacity_;
  std::size_t length_ = 0;
};

struct Spec {
  bool left = false, plus = false, space = false, alternate = false, zero = false;
  int width = 0;
  int precision = -1;  // -1: not given
  char conversion = 0;
};

// Emits prefix (sign, "0x"), `zeros` leading zeros and the body (body_len characters, written by
// write_body(sink)), padded to the width: spaces on the left (or right with '-'), or zeros after
// the prefix with '0' where the conversion allows it.
template <class WriteBody>
void emit(Sink& sink, const Spec& spec, const char* prefix, std::size_t zeros, std::size_t body_len,
          bool zero_pad_allowed, WriteBody&& write_body) {
  const std::size_t prefix_len = std::strlen(prefix);
  const std::size_t len = prefix_len + zeros + body_len;
  const std::size_t width = spec.width > 0 ? static_cast<std::size_t>(spec.width) : 0;
  const std::size_t fill = width > len ? width - len : 0;
  const bool zero_fill = spec.zero && zero_pad_allowed && !spec.left;
  if (!spec.left && !zero_fill) sink.pad(' ', fill);
  sink.put(prefix, prefix_len);
  if (zero_fill) sink.pad('0', fill);
  sink.pad('0', zeros);
  write_body(sink);
  if (spec.left) sink.pad(' ', fill);
}

// emit() of a body held in memory.
void emit_text(Sink& sink, const Spec& spec, const char* prefix, std::size_t zeros,
               const char* body, std::size_t body_len, bool zero_pad_allowed) {
  emit(sink, spec, prefix, zeros, body_len, zero_pad_allowed,
       [&](Sink& out) { out.put(body, body_len); });
}

void emit_integer(Sink& sink, const Spec& spec, std::uintmax_t value, bool negative) {
  char digits[3 * sizeof(std::uintmax_t) + 1];
  std::size_t n = 0;
  const char conv = spec.conversion;
  const unsigned base = conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : 10;
  const char* alphabet = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  for (std::uintmax_t v = value; v != 0; v /= base) digits[n++] = alphabet[v % base];
  // Precision: at least that many digits ("%.0d" of 0 prints nothing); default 1.
  const std::size_t min_digits = spec.precision >= 0 ? static_cast<std::size_t>(spec.precision) : 1;
  std::size_t zeros = min_digits > n ? min_digits - n : 0;
  const char* prefix = "";
  if (negative) {
    prefix = "-";
  } else if (conv == 'd' || conv == 'i') {
    prefix = spec.plus ? "+" : spec.space ? " " : "";
  } else if (spec.alternate && value != 0 && base == 16) {
    prefix = conv == 'X' ? "0X" : "0x";
  } else if (spec.alternate && base == 8 && zeros == 0) {
    zeros = 1;  // '#o': the first digit is a 0
  }
  char body[sizeof digits];
  for (std::size_t i = 0; i < n; ++i) body[i] = digits[n - 1 - i];
  emit_text(sink, spec, prefix, zeros, body, n, spec.precision < 0);
}

// ---------------------------------------------------------------------------------------------
// Floating point: the exact decimal expansion of the double (every binary fraction has one),
// rounded half to even at the requested digit, so the text is the correctly rounded one that
// glibc prints, on any C library.
// ---------------------------------------------------------------------------------------------

// A nonnegative integer in base 10^9, least significant limb first. 2^1024 and 2^53 5^1074
// (the largest integer and the largest numerator of a double's value) need at most 86 limbs.
class Decimal {
 public:
  explicit Decimal(std::uint64_t v) {
    while (v != 0) {
      limb_[size_++] = static_cast<std::uint32_t>(v % kBase);
      v /= kBase;
    }
  }
  // *= factor, factor < 2^32.
  void multiply(std::uint32_t factor) {
    std::uint64_t carry = 0;
    for (int i = 0; i < size_; ++i) {
      const std::uint64_t t = static_cast<std::uint64_t>(limb_[i]) * factor + carry;
      limb_[i] = static_cast<std::uint32_t>(t % kBase);
      carry = t / kBase;
    }
    while (carry != 0) {
      limb_[size_++] = static_cast<std::uint32_t>(carry % kBase);
      carry /= kBase;
    }
  }
  // The decimal digits, most significant first, without leading zeros; returns their count.
  int digits(char* out) const {
    int n = 0;
    for (int i = size_ - 1; i >= 0; --i) {
      char group[9];
      std::uint32_t v = limb_[i];
      for (int k = 8; k >= 0; --k) {
        group[k] = static_cast<char>('0' + v % 10);
        v /= 10;
      }
      int k = 0;
      if (i == size_ - 1) {
        while (k < 8 && group[k] == '0') ++k;
      }
      for (; k < 9; ++k) out[n++] = group[k];
    }
    return n;
  }

 private:
  static constexpr std::uint32_t kBase = 1000000000u;
  std::uint32_t limb_[90] = {};
  int size_ = 0;
};

constexpr int kMaxDigits = 800;  // 2^53 5^1074 has 767 decimal digits (on the stack)

// |x| as 0.D * 10^exp10 with D = digits[0..count) exact, digits[0] != 0 (count = 0 for zero).
struct Expansion {
  char digits[kMaxDigits];
  int count = 0;
  int exp10 = 0;
};

void expand(double x, Expansion* out) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const int biased = static_cast<int>((bits >> 52) & 0x7FF);
  std::uint64_t m = bits & ((std::uint64_t{1} << 52) - 1);
  int e = biased == 0 ? -1074 : biased - 1075;
  if (biased != 0) m |= std::uint64_t{1} << 52;
  if (m == 0) {
    out->count = 0;
    out->exp10 = 1;
    return;
  }
  Decimal n(m);
  int fraction_digits = 0;  // x = n / 10^fraction_digits
  if (e >= 0) {
    for (; e >= 29; e -= 29) n.multiply(1u << 29);
    if (e > 0) n.multiply(1u << e);
  } else {
    // m 2^e = m 5^-e / 10^-e.
    fraction_digits = -e;
    for (; e <= -13; e += 13) n.multiply(1220703125u);  // 5^13
    std::uint32_t p = 1;
    for (; e < 0; ++e) p *= 5;
    n.multiply(p);
  }
  out->count = n.digits(out->digits);
  out->exp10 = out->count - fraction_digits;
  while (out->count > 0 && out->digits[out->count - 1] == '0') --out->count;
}

// Rounds the expansion to its first `keep` digits (keep may be <= 0 or past the end), half to
// even on the exact remainder; a carry out of the first digit raises exp10.
void round_to(Expansion* x, int keep) {
  if (keep >= x->count) return;
  bool up = false;
  if (keep >= 0) {  // keep < 0 drops an implicit leading 0: always down
    const char first = x->digits[keep];
    const bool rest = keep + 1 < x->count;  // trailing zeros were trimmed
    const bool odd = keep > 0 && ((x->digits[keep - 1] - '0') & 1) != 0;
    up = first > '5' || (first == '5' && (rest || odd));
  }
  x->count = keep > 0 ? keep : 0;
  if (up) {
    while (x->count > 0 && x->digits[x->count - 1] == '9') --x->count;
    if (x->count > 0) {
      ++x->digits[x->count - 1];
    } else {  // 0.99..9 (or 0.5+ below the first kept digit) becomes 0.1 * 10^(exp10 + 1)
      x->digits[0] = '1';
      x->count = 1;
      ++x->exp10;
    }
  }
  while (x->count > 0 && x->digits[x->count - 1] == '0') --x->count;
  if (x->count == 0) x->exp10 = 1;
}

// Digit k (0-based) of the expansion, 0 outside it.
char digit_at(const Expansion& x, int k) {
  return k >= 0 && k < x.count ? x.digits[k] : '0';
}

// %e / %f / %g of the finite value whose expansion is d, through put(char).
template <class Put>
void render(Expansion d, const Spec& spec, Put&& put) {
  const char lower = static_cast<char>(spec.conversion | 0x20);
  int precision = spec.precision < 0 ? 6 : spec.precision;
  bool strip = false;  // %g without '#': no trailing zeros in the fraction
  char style = lower;
  if (lower == 'g') {
    // P significant digits: %f style when the exponent X of the rounded value has P > X >= -4.
    if (precision == 0) precision = 1;
    Expansion probe = d;
    round_to(&probe, precision);
    const int exponent = probe.count == 0 ? 0 : probe.exp10 - 1;
    if (precision > exponent && exponent >= -4) {
      style = 'f';
      precision -= 1 + exponent;
    } else {
      style = 'e';
      precision -= 1;
    }
    strip = !spec.alternate;
  }
  // Fraction digits to print, starting at digit `first` of the expansion.
  auto fraction = [&](int first) {
    int count = precision;
    if (strip)
      count = d.count - first < 0 ? 0 : d.count - first < precision ? d.count - first : precision;
    if (count > 0 || spec.alternate) put('.');
    for (int k = 0; k < count; ++k) put(digit_at(d, first + k));
  };
  if (style == 'f') {
    round_to(&d, d.exp10 + precision);
    if (d.exp10 <= 0) put('0');
    for (int k = 0; k < d.exp10; ++k) put(digit_at(d, k));
    fraction(d.exp10);
    return;
  }
  round_to(&d, precision + 1);
  const int exponent = d.count == 0 ? 0 : d.exp10 - 1;
  put(digit_at(d, 0));
  fraction(1);
  put(spec.conversion == lower ? 'e' : 'E');
  put(exponent < 0 ? '-' : '+');
  const int a = exponent < 0 ? -exponent : exponent;
  if (a >= 100) put(static_cast<char>('0' + a / 100));
  put(static_cast<char>('0' + a / 10 % 10));
  put(static_cast<char>('0' + a % 10));
}

void emit_double(Sink& sink, const Spec& spec, double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  const bool negative = (bits >> 63) != 0;
  const char* sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  const bool upper = spec.conversion >= 'A' && spec.conversion <= 'Z';
  if (((bits >> 52) & 0x7FF) == 0x7FF) {
    const bool nan = (bits & ((std::uint64_t{1} << 52) - 1)) != 0;
    const char* text = nan ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
    emit_text(sink, spec, sign, 0, text, 3, false);
    return;
  }
  Expansion d;
  expand(negative ? -v : v, &d);
  // Measured first, for the padding; then written straight into the sink (any precision).
  std::size_t body = 0;
  render(d, spec, [&](char) { ++body; });
  emit(sink, spec, sign, 0, body, true,
       [&](Sink& out) { render(d, spec, [&](char c) { out.put(c); }); });
}

template <class S>
std::uintmax_t magnitude(S v) {
  using U = typename std::make_unsigned<S>::type;
  return v < 0 ? std::uintmax_t(U(0) - static_cast<U>(v)) : std::uintmax_t(static_cast<U>(v));
}

// Widths and precisions above this count as this (no overflow on absurd formats).
constexpr int kMaxField = 1 << 20;

int clamp_field(int v) {
  return v < kMaxField ? v : kMaxField;
}

// Digits at *p, advancing past them.
int parse_digits(const char** p) {
  int v = 0;
  for (; **p >= '0' && **p <= '9'; ++*p) v = clamp_field(v * 10 + (**p - '0'));
  return v;
}

// Flags, width, precision and length modifier at *p (just past the '%'), taking '*' arguments
// from ap; *p is left on the conversion character. length: 0, h, l, z, j, t, L, H (hh), q (ll).
Spec parse_spec(const char** p, std::va_list* ap, char* length) {
  Spec spec;
  for (;; ++*p) {
    const char c = **p;
    if (c == '-') {
      spec.left = true;
    } else if (c == '+') {
      spec.plus = true;
    } else if (c == ' ') {
      spec.space = true;
    } else if (c == '#') {
      spec.alternate = true;
    } else if (c == '0') {
      spec.zero = true;
    } else {
      break;
    }
  }
  if (**p == '*') {
    const int w = va_arg(*ap, int);
    spec.left = spec.left || w < 0;
    spec.width = w < 0 ? (w < -kMaxField ? kMaxField : -w) : clamp_field(w);
    ++*p;
  } else {
    spec.width = parse_digits(p);
  }
  if (**p == '.') {
    ++*p;
    if (**p == '*') {
      const int precision = va_arg(*ap, int);
      spec.precision = precision < 0 ? -1 : clamp_field(precision);  // negative: not given
      ++*p;
    } else {
      spec.precision = parse_digits(p);
    }
  }
  *length = 0;
  if (**p == 'h' || **p == 'l') {
    *length = *(*p)++;
    if (**p == *length) {
      *length = *length == 'h' ? 'H' : 'q';
      ++*p;
    }
  } else if (**p == 'z' || **p == 'j' || **p == 't' || **p == 'L') {
    *length = *(*p)++;
  }
  spec.conversion = **p;
  return spec;
}

std::intmax_t signed_argument(std::va_list* ap, char length) {
  switch (length) {
    case 'H':
      return static_cast<signed char>(va_arg(*ap, int));
    case 'h':
      return static_cast<short>(va_arg(*ap, int));
    case 'l':
      return va_arg(*ap, long);
    case 'q':
      return va_arg(*ap, long long);
    case 'z':
      return va_arg(*ap, std::make_signed<std::size_t>::type);
    case 'j':
      return va_arg(*ap, std::intmax_t);
    case 't':
      return va_arg(*ap, std::ptrdiff_t);
    default:
      return va_arg(*ap, int);
  }
}

std::uintmax_t unsigned_argument(std::va_list* ap, char length) {
  switch (length) {
    case 'H':
      return static_cast<unsigned char>(va_arg(*ap, unsigned));
    case 'h':
      return static_cast<unsigned short>(va_arg(*ap, unsigned));
    case 'l':
      return va_arg(*ap, unsigned long);
    case 'q':
      return va_arg(*ap, unsigned long long);
    case 'z':
      return va_arg(*ap, std::size_t);
    case 'j':
      return va_arg(*ap, std::uintmax_t);
    case 't':
      return static_cast<std::make_unsigned<std::ptrdiff_t>::type>(va_arg(*ap, std::ptrdiff_t));
    default:
      return va_arg(*ap, unsigned);
  }
}

}  // namespace

std::size_t vformat(char* out, std::size_t capacity, const char* fmt, std::va_list args) noexcept {
  Sink sink(out, capacity);
  std::va_list ap;
  va_copy(ap, args);
  for (const char* p = fmt; *p != '\0'; ++p) {
    if (*p != '%') {
      sink.put(*p);
      continue;
    }
    const char* start = p++;
    char length = 0;
    Spec spec = parse_spec(&p, &ap, &length);
    switch (spec.conversion) {
      case 'd':
      case 'i': {
        const std::intmax_t v = signed_argument(&ap, length);
        emit_integer(sink, spec, magnitude(v), v < 0);
        break;
      }
      case 'u':
      case 'x':
      case 'X':
      case 'o':
        emit_integer(sink, spec, unsigned_argument(&ap, length), false);
        break;
      case 'c': {
        const char c = static_cast<char>(va_arg(ap, int));
        emit_text(sink, spec, "", 0, &c, 1, false);
        break;
      }
      case 's': {
        const char* s = va_arg(ap, const char*);
        if (s == nullptr) s = "(null)";
        std::size_t n = 0;
        while ((spec.precision < 0 || n < static_cast<std::size_t>(spec.precision)) && s[n] != '\0')
          ++n;
        emit_text(sink, spec, "", 0, s, n, false);
        break;
      }
      case 'p': {  // glibc's spelling: 0x followed by hex digits, (nil) for null
        const void* ptr = va_arg(ap, const void*);
        if (ptr == nullptr) {
          emit_text(sink, spec, "", 0, "(nil)", 5, false);
          break;
        }
        spec.conversion = 'x';
        spec.alternate = true;
        emit_integer(sink, spec, reinterpret_cast<std::uintptr_t>(ptr), false);
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        const double v =
            length == 'L' ? static_cast<double>(va_arg(ap, long double)) : va_arg(ap, double);
        emit_double(sink, spec, v);
        break;
      }
      case '%':
        sink.put('%');
        break;
      default:  // not a conversion this formatter knows: copied as written
        if (*p == '\0') --p;
        sink.put(start, static_cast<std::size_t>(p - start + 1));
        break;
    }
  }
  va_end(ap);
  return sink.finish();
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
