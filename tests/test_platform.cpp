// The platform layer (src/platform/): the formatter against the host's snprintf, the software
// fma against the host's correctly rounded fma, aligned blocks, the clock.
#include <doctest/doctest.h>

#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ios>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "platform/clock.hpp"
#include "platform/fma.hpp"
#include "platform/format.hpp"
#include "platform/memory.hpp"

namespace platform = mimkit::platform;

namespace {

// Both formatters on the same format and arguments; returns the first mismatch or "".
template <class... Args>
std::string compare(const char* fmt, Args... args) {
  char want[2048], got[2048];
  const int n = std::snprintf(want, sizeof want, fmt, args...);
  const std::size_t m = platform::format(got, sizeof got, fmt, args...);
  if (n < 0 || static_cast<std::size_t>(n) != m || std::strcmp(want, got) != 0) {
    return std::string(fmt) + ": libc '" + want + "', ours '" + got + "'";
  }
  return "";
}

// The value with the given bits, or the bits of a value (To and From of equal size).
template <class To, class From>
To bit_cast(From from) {
  static_assert(sizeof(To) == sizeof(From), "same size");
  To to;
  std::memcpy(&to, &from, sizeof to);
  return to;
}
double from_bits(std::uint64_t b) {
  return bit_cast<double>(b);
}
float from_bits32(std::uint32_t b) {
  return bit_cast<float>(b);
}
std::uint64_t bits_of(double x) {
  return bit_cast<std::uint64_t>(x);
}
std::uint32_t bits_of(float x) {
  return bit_cast<std::uint32_t>(x);
}

// Doubles that stress decimal conversion: zeros, subnormals, extremes, exact ties at many
// precisions, the %g switch points, powers of 2 and 10.
std::vector<double> hard_doubles() {
  std::vector<double> v = {0.0,
                           -0.0,
                           1.0,
                           -1.0,
                           0.5,
                           1.5,
                           2.5,
                           -2.5,
                           0.125,
                           0.375,
                           1.0 / 3,
                           2.0 / 3,
                           0.1,
                           0.3,
                           9.5,
                           99.5,
                           999999.5,
                           9999995.0,
                           9.9999995,
                           0.00001,
                           0.0001,
                           0.000123456789,
                           123456.0,
                           1234567.0,
                           1e15,
                           1e16,
                           1e17,
                           1e21,
                           1e22,
                           1e23,
                           4.35,
                           0.045,
                           2.675,
                           1.005,
                           5e-324,
                           -5e-324,
                           2.2250738585072009e-308,
                           DBL_MIN,
                           DBL_MAX,
                           -DBL_MAX,
                           DBL_EPSILON,
                           3.14159265358979323846,
                           6.02214076e23,
                           1.602176634e-19};
  for (int e = -1074; e <= 1023; e += 19) v.push_back(std::ldexp(1.0, e));
  for (int e = -320; e <= 308; e += 7) v.push_back(std::pow(10.0, e));
  // k + 1/2 at 10^-p: exact binary ties only when the fraction is a dyadic rational.
  for (int k = 0; k < 40; ++k) v.push_back(k + 0.5);
  for (int k = 0; k < 64; ++k) v.push_back(k / 64.0);
  return v;
}

}  // namespace

TEST_CASE("vformat prints integers, characters and strings as the C library does") {
  const long long ints[] = {0, 1, -1, 7, 42, -42, 255, 65535, INT_MAX, INT_MIN, 1000000007};
  const char* int_formats[] = {"%d",   "%5d",   "%-5d|",  "%05d", "%+d", "% d",  "%.3d",
                               "%.0d", "%8.3d", "%-+6d|", "%i",   "%c-", "%hhd", "%hd"};
  const char* uint_formats[] = {"%u",  "%x", "%X",   "%#x",  "%#X",    "%08x",   "%02x", "%04x",
                                "%#o", "%o", "%.0u", "%10u", "%-10x|", "%#010x", "%hhu", "%hx"};
  for (long long w : ints) {
    const int i = static_cast<int>(w);
    const unsigned u = static_cast<unsigned>(w);
    for (const char* f : int_formats) CHECK(compare(f, i) == "");
    for (const char* f : uint_formats) CHECK(compare(f, u) == "");
  }
  const unsigned long long wide[] = {0,
                                     1,
                                     4294967295ull,
                                     4294967296ull,
                                     18446744073709551615ull,
                                     9223372036854775808ull,
                                     12345678901234567ull};
  for (unsigned long long w : wide) {
    CHECK(compare("%llu", w) == "");
    CHECK(compare("%llx", w) == "");
    CHECK(compare("%20llu|", w) == "");
    CHECK(compare("%lld", static_cast<long long>(w)) == "");
    CHECK(compare("%zu", static_cast<std::size_t>(w)) == "");
    CHECK(compare("%zd", static_cast<std::ptrdiff_t>(w)) == "");
    CHECK(compare("%lu", static_cast<unsigned long>(w)) == "");
    CHECK(compare("%ld", static_cast<long>(w)) == "");
    CHECK(compare("%jd", static_cast<std::intmax_t>(w)) == "");
    CHECK(compare("%ju", static_cast<std::uintmax_t>(w)) == "");
    CHECK(compare("%td", static_cast<std::ptrdiff_t>(w)) == "");
  }
  const char* strings[] = {"", "a", "mimkit", "a longer string with spaces"};
  for (const char* s : strings) {
    for (const char* f : {"%s", "%10s|", "%-10s|", "%.3s|", "%.64s", "%.40s", "%-16s|", "[%s]"}) {
      CHECK(compare(f, s) == "");
    }
    CHECK(compare("%.*s|", 4, s) == "");
    CHECK(compare("%*s|", -12, s) == "");
    CHECK(compare("%*s|", 12, s) == "");
  }
  CHECK(compare("100%% of %s", "it") == "");
  CHECK(compare("%c%c%c", 'a', ' ', 'z') == "");
  CHECK(compare("%p", static_cast<void*>(nullptr)) == "");
  int local = 0;
  CHECK(compare("%p", static_cast<void*>(&local)) == "");
}

TEST_CASE("vformat prints doubles correctly rounded, as the C library does") {
  const char* formats[] = {
      "%g",   "%.17g", "%.9g",    "%.6g",     "%.4g",    "%.3g",   "%.0g",   "%.1g",   "%.20g",
      "%e",   "%.0e",  "%.3e",    "%.16e",    "%.30e",   "%E",     "%G",     "%f",     "%.0f",
      "%.1f", "%.2f",  "%.3f",    "%.4f",     "%.20f",   "%F",     "%#.0f",  "%#.0e",  "%+g",
      "% g",  "%+.3e", "%10.3f|", "%-10.3f|", "%010.3f", "%012g|", "%-12e|", "%+08.2f"};
  for (double x : hard_doubles()) {
    for (double v : {x, -x}) {
      CAPTURE(v);
      for (const char* f : formats) REQUIRE(compare(f, v) == "");
      for (int p = 0; p <= 25; ++p) REQUIRE(compare("%.*g", p, v) == "");
    }
  }
  const double specials[] = {
      std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
      std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::quiet_NaN()};
  for (double v : specials) {
    for (const char* f :
         {"%g", "%f", "%e", "%G", "%F", "%E", "%+g", "% f", "%8g|", "%-8e|", "%08f|"}) {
      CHECK(compare(f, v) == "");
    }
  }
}

TEST_CASE("vformat's %#g keeps trailing zeros, also when rounding reaches the next power of 10") {
  // C17 7.21.6.1: with '#', %g does not remove trailing zeros. glibc drops them when rounding
  // carries into a new exponent (it prints "1.e+06" for 999999.5), so these are written out.
  const struct {
    const char* format;
    double value;
    const char* text;
  } cases[] = {{"%#g", 999999.5, "1.00000e+06"},
               {"%#g", 1e6, "1.00000e+06"},
               {"%#.3g", 999.7, "1.00e+03"},
               {"%#g", 123456.0, "123456."},
               {"%#g", 9.9999995, "10.0000"},
               {"%#g", 0.0, "0.00000"},
               {"%#.1g", 1.0, "1."},
               {"%#.2g", 0.0000999, "0.00010"}};
  for (const auto& c : cases) {
    char got[64];
    platform::format(got, sizeof got, c.format, c.value);
    CHECK(std::string(got) == c.text);
  }
}

TEST_CASE("vformat prints random doubles like the C library in every conversion") {
  std::mt19937_64 rng(20240613);
  for (int i = 0; i < 5000; ++i) {
    // Random bit patterns (every binade, subnormals) and values of everyday size.
    const double bitwise = from_bits(rng());
    const double everyday =
        std::ldexp(static_cast<double>(rng() >> 11), -53 - int(rng() % 40) + 20);
    for (double v : {bitwise, everyday}) {
      if (!std::isfinite(v)) continue;
      CAPTURE(v);
      REQUIRE(compare("%.17g", v) == "");
      REQUIRE(compare("%g", v) == "");
      REQUIRE(compare("%.3e", v) == "");
      REQUIRE(compare("%.*g", int(rng() % 20), v) == "");
      if (std::fabs(v) < 1e30) REQUIRE(compare("%.6f", v) == "");
    }
  }
}

TEST_CASE("vformat truncates to the capacity, NUL-terminates and returns the full length") {
  const char* fmt = "%s = %.17g (%zu items)";
  char want[64], got[64];
  for (std::size_t cap = 0; cap < 40; ++cap) {
    CAPTURE(cap);
    std::memset(got, 'X', sizeof got);
    const int n = std::snprintf(cap ? want : nullptr, cap, fmt, "alpha", 0.1, std::size_t{12});
    const std::size_t m =
        platform::format(cap ? got : nullptr, cap, fmt, "alpha", 0.1, std::size_t{12});
    CHECK(static_cast<std::size_t>(n) == m);
    if (cap > 0) {
      CHECK(std::string(got) == std::string(want));
      CHECK(got[cap] == 'X');  // nothing written past the capacity
    }
  }
}

TEST_CASE("absurd widths and precisions are clamped instead of overflowing") {
  char out[8];
  volatile int huge = 2000000000, most_negative = INT_MIN;  // hidden from GCC's format checks
  const std::size_t n =
      platform::format(out, sizeof out, "%.*f|%*d", int{huge}, 1.0, int{most_negative}, 7);
  CHECK(n > (std::size_t{1} << 20));
  CHECK(std::string(out) == "1.00000");
}

TEST_CASE("soft_fma is correctly rounded: equal to the host's fma on hard and random cases") {
  // The host's fma: an instruction, or glibc's, which is correctly rounded.
  std::mt19937_64 rng(7);
  long long checked = 0;
  auto check = [&](double a, double b, double c) {
    const double want = __builtin_fma(a, b, c), got = platform::soft_fma(a, b, c);
    ++checked;
    if (std::isnan(want)) {
      REQUIRE_MESSAGE(std::isnan(got), a << " " << b << " " << c);
    } else {
      REQUIRE_MESSAGE(bits_of(got) == bits_of(want), std::hexfloat << a << " * " << b << " + " << c
                                                                   << ": " << got << " instead of "
                                                                   << want);
    }
  };
  const double inf = std::numeric_limits<double>::infinity();
  const double specials[] = {0.0,
                             -0.0,
                             1.0,
                             -1.0,
                             inf,
                             -inf,
                             NAN,
                             5e-324,
                             -5e-324,
                             DBL_MIN,
                             -DBL_MIN,
                             DBL_MAX,
                             -DBL_MAX,
                             1.0 + DBL_EPSILON,
                             1.0 - DBL_EPSILON / 2,
                             3.0,
                             std::ldexp(1.0, -537),
                             std::ldexp(1.0, 512),
                             2.2250738585072009e-308};
  for (double a : specials) {
    for (double b : specials) {
      for (double c : specials) check(a, b, c);
    }
  }
  for (int i = 0; i < 200000; ++i) {
    const double a = from_bits(rng()), b = from_bits(rng()), c = from_bits(rng());
    check(a, b, c);
    // Everyday magnitudes, opposite signs.
    const double x =
        std::ldexp(1.0 + static_cast<double>(rng() >> 12) * 0x1p-52, int(rng() % 80) - 40);
    const double y =
        std::ldexp(1.0 + static_cast<double>(rng() >> 12) * 0x1p-52, int(rng() % 80) - 40);
    const double z =
        std::ldexp(1.0 + static_cast<double>(rng() >> 12) * 0x1p-52, int(rng() % 160) - 80);
    check(x, y, z);
    check(x, -y, z);
    // Near-total cancellation: c within a few ulps of -a b.
    check(x, y, -from_bits(bits_of(x * y) + rng() % 5 - 2));
    // Exact ties: odd integers a (27 bits) and b (26 bits) make a 53-bit product p; p + 1/2 is
    // halfway between two doubles (rounds to even), p + 1/2 + tiny is not; scaled down by 2^s
    // the same ties land among the subnormals.
    const double p1 = static_cast<double>((rng() >> 37) | 1 | (1ull << 26));
    const double p2 = static_cast<double>((rng() >> 38) | 1 | (1ull << 25));
    const int s = -int(rng() % 1130);
    const double ta = std::ldexp(p1, s / 2), tb = std::ldexp(p2, s - s / 2);
    for (double half : {0.5, -0.5, 0.5 + 0x1p-40, 1.5, 0.25}) check(ta, tb, std::ldexp(half, s));
    // Subnormal operands and results.
    const double sub = from_bits(rng() % (1ull << 52));
    check(sub, x, std::ldexp(z, -1000));
    check(sub, std::ldexp(y, 60), -sub);
    // Overflow and the largest finite values.
    check(std::ldexp(x, 1000), std::ldexp(y, 23), DBL_MAX);
    check(std::ldexp(x, 1000), std::ldexp(y, 23), -DBL_MAX);
  }
  CHECK(checked > 2000000);
}

TEST_CASE("soft_fma in float is correctly rounded: equal to the host's fmaf") {
  std::mt19937_64 rng(11);
  auto check = [&](float a, float b, float c) {
    const float want = __builtin_fmaf(a, b, c), got = platform::soft_fma(a, b, c);
    if (std::isnan(want)) {
      REQUIRE(std::isnan(got));
    } else {
      REQUIRE_MESSAGE(bits_of(got) == bits_of(want), std::hexfloat << a << " * " << b << " + " << c
                                                                   << ": " << got << " instead of "
                                                                   << want);
    }
  };
  for (int i = 0; i < 1000000; ++i) {
    const std::uint64_t r = rng();
    check(from_bits32(static_cast<std::uint32_t>(r)),
          from_bits32(static_cast<std::uint32_t>(r >> 32)),
          from_bits32(static_cast<std::uint32_t>(rng())));
    const float x = std::ldexp(1.0f + static_cast<float>(r >> 41) * 0x1p-23f, int(r % 40) - 20);
    const float y = std::ldexp(1.0f + static_cast<float>((r >> 18) & 0x7FFFFF) * 0x1p-23f,
                               int((r >> 8) % 40) - 20);
    check(x, y, -(x * y));
    check(x, -y, std::ldexp(x, int(rng() % 60) - 30));
    check(std::ldexp(x, -130), y, std::ldexp(y, -140));  // subnormal results
  }
}

TEST_CASE("platform::fma is the correctly rounded fma the kernels use on this target") {
  // 1 + 2^-30 squared is 1 + 2^-29 + 2^-60: with c = -(1 + 2^-29) only one rounding keeps 2^-60.
  const double a = 1.0 + 0x1p-30;
  CHECK(platform::fma(a, a, -(1.0 + 0x1p-29)) == 0x1p-60);
  const float af = 1.0f + 0x1p-13f;
  CHECK(platform::fma(af, af, -(1.0f + 0x1p-12f)) == 0x1p-26f);
}

TEST_CASE("aligned blocks are aligned, writable to the end and released") {
  for (std::size_t alignment : {std::size_t{8}, std::size_t{64}, std::size_t{4096}}) {
    for (std::size_t bytes :
         {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{100000}}) {
      void* p = platform::aligned_allocate(bytes, alignment);
      REQUIRE(p != nullptr);
      CHECK(reinterpret_cast<std::uintptr_t>(p) % alignment == 0);
      std::memset(p, 0xA5, bytes);  // AddressSanitizer checks the whole range is ours
      platform::aligned_free(p);
    }
  }
  CHECK(platform::aligned_allocate(SIZE_MAX - 8, 64) == nullptr);
  platform::aligned_free(nullptr);
}

TEST_CASE("the clock is monotonic, or reads 0 in a build without one") {
  const double t0 = platform::now_seconds();
  double t1 = t0;
  for (int i = 0; i < 1000000 && t1 == t0; ++i) t1 = platform::now_seconds();
#if MIMKIT_CLOCK
  CHECK(t1 > t0);
#else
  CHECK(t0 == 0);
  CHECK(t1 == 0);
#endif
}
