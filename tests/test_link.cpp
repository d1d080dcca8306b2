#include "mimkit/link.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

using mimkit::Code;
using mimkit::Link;
using mimkit::Status;

namespace {

Link parse_ok(const std::string& spec, std::size_t r) {
  Link link;
  const Status status = Link::parse(spec.c_str(), r, &link);
  INFO("spec: " << spec << "  message: " << status.message());
  REQUIRE(status.ok());
  REQUIRE(link.valid());
  return link;
}

double eval(const std::string& spec, const std::vector<double>& z) {
  return parse_ok(spec, z.size())(z.data());
}

std::uint64_t bits(double x) {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

// Integer coefficient of x^(n-2m) in He_n: (-1)^m n! / (m! (n-2m)! 2^m), from the explicit sum
// formula, which shares nothing with the three-term recurrence the library uses.
std::int64_t hermite_coefficient(int n, int m) {
  auto factorial = [](int k) {
    std::int64_t f = 1;
    for (int i = 2; i <= k; ++i) f *= i;
    return f;
  };
  const std::int64_t c =
      factorial(n) / (factorial(m) * factorial(n - 2 * m) * (std::int64_t{1} << m));
  return (m % 2 == 0) ? c : -c;
}

std::int64_t hermite_explicit(int n, std::int64_t x) {
  std::int64_t sum = 0;
  for (int m = 0; 2 * m <= n; ++m) {
    std::int64_t p = 1;
    for (int i = 0; i < n - 2 * m; ++i) p *= x;
    sum += hermite_coefficient(n, m) * p;
  }
  return sum;
}

}  // namespace

TEST_CASE("he0..he12 equal the explicit integer formula exactly at integer points") {
  // At integer x every recurrence intermediate is an integer below 2^53, so the double
  // evaluation is exact and must match the int64 sum formula bit for bit.
  for (int k = 0; k <= 12; ++k) {
    const Link link = parse_ok("he" + std::to_string(k) + "(z1)", 1);
    for (int x = -4; x <= 4; ++x) {
      const double z = x;
      INFO("k = " << k << ", x = " << x);
      CHECK(link(&z) == static_cast<double>(hermite_explicit(k, x)));
    }
  }
}

TEST_CASE("he2..he6 match their closed-form polynomials at non-integer points") {
  struct Closed {
    const char* spec;
    double (*f)(double);
    double (*scale)(double);  // sum of |coefficient| * |x|^power
  };
  const Closed cases[] = {
      {"he2(z1)", [](double x) { return x * x - 1.0; }, [](double x) { return x * x + 1.0; }},
      {"he3(z1)", [](double x) { return x * x * x - 3.0 * x; },
       [](double x) { return std::fabs(x * x * x) + 3.0 * std::fabs(x); }},
      {"he4(z1)", [](double x) { return x * x * x * x - 6.0 * x * x + 3.0; },
       [](double x) { return x * x * x * x + 6.0 * x * x + 3.0; }},
      {"he5(z1)", [](double x) { return x * x * x * x * x - 10.0 * x * x * x + 15.0 * x; },
       [](double x) {
         const double a = std::fabs(x);
         return a * a * a * a * a + 10.0 * a * a * a + 15.0 * a;
       }},
      {"he6(z1)",
       [](double x) { return x * x * x * x * x * x - 15.0 * x * x * x * x + 45.0 * x * x - 15.0; },
       [](double x) { return x * x * x * x * x * x + 15.0 * x * x * x * x + 45.0 * x * x + 15.0; }},
  };
  const double points[] = {-3.7, -2.05, -1.3, -0.61, -0.1, 0.25, 0.7, 1.1, 1.73, 2.9, 4.4};
  for (const Closed& c : cases) {
    const Link link = parse_ok(c.spec, 1);
    for (double x : points) {
      // Each side rounds at most ~20 times, each error below 2^-53 times an intermediate no
      // larger than scale(x) (times the degree); 1e-13 * scale leaves a margin of >100x, while
      // a wrong coefficient would shift the value by at least 0.1^6 * 1 = 1e-6.
      const double tolerance = 1e-13 * c.scale(x);
      INFO(c.spec << " at x = " << x);
      CHECK(std::fabs(link(&x) - c.f(x)) <= tolerance);
    }
  }
}

TEST_CASE("even Hermite polynomials at zero are (-1)^m (2m-1)!! and odd ones vanish") {
  const double zero = 0.0;
  const double expected[13] = {1, 0, -1, 0, 3, 0, -15, 0, 105, 0, -945, 0, 10395};
  for (int k = 0; k <= 12; ++k) {
    INFO("k = " << k);
    CHECK(parse_ok("he" + std::to_string(k) + "(z1)", 1)(&zero) == expected[k]);
  }
}

TEST_CASE("every docs/ALGORITHM.md link example parses and evaluates to its hand-computed value") {
  // z = (1.5, -2, 0.5): He2(1.5) = 1.25, He2(-2) = 3, He4(1.5) = 5.0625 - 13.5 + 3 = -5.4375,
  // all exact in binary, so the results below are exact or use the same operation order.
  const std::vector<double> z = {1.5, -2.0, 0.5};
  CHECK(eval("he2(z1) + 0.5*he2(z2)", z) == 2.75);
  CHECK(eval("z1*z2", z) == -3.0);
  CHECK(eval("he4(z1)/sqrt(24) + he2(z2)/sqrt(2)", z) ==
        -5.4375 / std::sqrt(24.0) + 3.0 / std::sqrt(2.0));
  CHECK(eval("z1*z2*z3", z) == -1.5);
  CHECK(eval("relu(z1)", z) == 1.5);
  CHECK(eval("relu(z2)", z) == 0.0);
  CHECK(eval("abs(z1)", z) == 1.5);
  CHECK(eval("abs(z2)", z) == 2.0);
  CHECK(eval("sign(z1*z2)", z) == -1.0);
  CHECK(eval("sign(z1*z3)", z) == 1.0);
  CHECK(eval("sign(z1*z2)", {0.0, -2.0}) == 0.0);
  CHECK(eval("norm2", z) == 6.5 / 3.0);
  CHECK(eval("norm2", {3.0}) == 9.0);
}

TEST_CASE("operators follow the usual precedence and left associativity") {
  const std::vector<double> z = {3.0, 2.0};
  CHECK(eval("-z1^2", z) == -9.0);
  CHECK(eval("-2^2", z) == -4.0);
  CHECK(eval("(-z1)^2", z) == 9.0);
  CHECK(eval("2*z1-z2/4", z) == 5.5);
  CHECK(eval("(z1+z2)^2", z) == 25.0);
  CHECK(eval("z1+z2*2", z) == 7.0);
  CHECK(eval("z1-z2-1", z) == 0.0);
  CHECK(eval("z1/z2/2", z) == 0.75);
  CHECK(eval("z1*z2^2", z) == 12.0);
  CHECK(eval("2*-z1", z) == -6.0);
  CHECK(eval("--z1", z) == 3.0);
  CHECK(eval("+-+z1", z) == -3.0);
  CHECK(eval("z1 - -z2", z) == 5.0);
  CHECK(eval("  z1 *\tz2 ", z) == 6.0);
  CHECK(eval("he2(z1+z2)", z) == 24.0);
  CHECK(eval("sqrt(z1*z1 + (z2+2)*(z2+2))", z) == 5.0);
  CHECK(eval("sqrt(norm2*2)", {3.0, 4.0}) == 5.0);
}

TEST_CASE("number literals accept decimal and scientific forms") {
  const std::vector<double> z = {1.0};
  CHECK(eval("0.5", z) == 0.5);
  CHECK(eval(".25", z) == 0.25);
  CHECK(eval("2.", z) == 2.0);
  CHECK(eval("1e-3", z) == 1e-3);
  CHECK(eval("2.5E+2", z) == 250.0);
  CHECK(eval("3e2*z1", z) == 300.0);
  CHECK(eval("0.1", z) == 0.1);
}

TEST_CASE("x^n multiplies left to right and x^0 is 1") {
  const double x = 1.1;
  double expected = x;
  for (int i = 1; i < 16; ++i) expected = expected * x;
  CHECK(bits(eval("z1^16", {x})) == bits(expected));
  CHECK(bits(eval("z1^3", {x})) == bits(x * x * x));
  CHECK(bits(eval("z1^3", {x})) == bits(eval("z1*z1*z1", {x})));
  CHECK(eval("z1^1", {x}) == x);
  CHECK(eval("z1^0", {7.0}) == 1.0);
  CHECK(eval("z1 ^ 2", {-3.0}) == 9.0);
}

TEST_CASE("NaN from sqrt of a negative value propagates through every operation") {
  const std::vector<double> z = {-1.0};
  CHECK(std::isnan(eval("sqrt(z1)", z)));
  CHECK(std::isnan(eval("relu(sqrt(z1))", z)));
  CHECK(std::isnan(eval("sign(sqrt(z1))", z)));
  CHECK(std::isnan(eval("abs(sqrt(z1))", z)));
  CHECK(std::isnan(eval("he3(sqrt(z1))", z)));
  CHECK(std::isnan(eval("sqrt(z1)^2", z)));
}

TEST_CASE("malformed specs give parse_error naming the position and what was expected") {
  struct Bad {
    const char* spec;
    std::size_t r;
    const char* fragment;
  };
  const Bad cases[] = {
      {"he2(z1))", 2, "unexpected ')' at position 8 in 'he2(z1))'"},
      {"he2(z1", 2, "expected ')' at position 7 in 'he2(z1'"},
      {"2*(z1+z2", 2, "expected ')' at position 9"},
      {"foo(z1)", 2, "unknown function 'foo' at position 1"},
      {"He2(z1)", 2, "unknown function 'He2' at position 1"},
      {"z1 + norm", 2, "unknown name 'norm' at position 6"},
      {"z3", 2, "variable z3 at position 1 exceeds r = 2 (allowed: z1..z2)"},
      {"z2", 1, "variable z2 at position 1 exceeds r = 1 (allowed: z1)"},
      {"z1*z0", 2, "variable z0 at position 4"},
      {"he13(z1)", 2, "Hermite degree 13 at position 1 exceeds 12"},
      {"", 2, "empty spec"},
      {" \t ", 2, "empty spec"},
      {"z1 +", 2, "expected a number, variable, function or '(' at position 5"},
      {"()", 1, "unexpected ')' at position 2"},
      {"sqrt()", 1, "unexpected ')' at position 6"},
      {"1e", 1, "malformed number '1e' at position 1"},
      {"z1*..", 1, "malformed number '..' at position 4"},
      {"1.5.2", 1, "malformed number '1.5.2' at position 1"},
      {"1e999", 1, "number '1e999' at position 1 is out of range"},
      {"z1^17", 1, "exponent 17 at position 4 exceeds 16"},
      {"z1^-1", 1, "expected an integer exponent 0..16 at position 4"},
      {"z1^2.5", 1, "expected an integer exponent 0..16 at position 4"},
      {"z1^", 1, "expected an integer exponent 0..16 at position 4"},
      {"z1^2^2", 1, "unexpected '^' at position 5"},
      {"relu z1", 1, "expected '(' after 'relu' at position 6"},
      {"z1 z2", 2, "unexpected 'z' at position 4"},
      {"z1 # z2", 2, "unexpected '#' at position 4"},
      {"norm2(z1)", 2, "unexpected '(' at position 6"},
      {"z1\x01", 1, "unexpected byte 0x01 at position 3"},
  };
  CHECK(sizeof cases / sizeof cases[0] >= 12);
  for (const Bad& c : cases) {
    Link link = parse_ok("z1", 1);
    const Status status = Link::parse(c.spec, c.r, &link);
    INFO("spec: '" << c.spec << "'  message: " << status.message());
    CHECK(status.code() == Code::parse_error);
    CHECK(std::string(status.field()) == "link");
    CHECK(std::string(status.message()).find(c.fragment) != std::string::npos);
    CHECK_FALSE(link.valid());
  }
}

TEST_CASE("spec length is limited to kMaxSpecLength characters") {
  Link link;
  const std::string longest = std::string(Link::kMaxSpecLength - 2, ' ') + "z1";
  CHECK(Link::parse(longest.c_str(), 1, &link).ok());
  const std::string too_long = longest + " ";
  const Status status = Link::parse(too_long.c_str(), 1, &link);
  CHECK(status.code() == Code::parse_error);
  CHECK(std::string(status.message()).find("256 characters, more than the 255") !=
        std::string::npos);
  CHECK_FALSE(link.valid());
}

TEST_CASE("evaluation stack depth is checked at parse time") {
  // k nested right operands "1+(1+(...(1+1)))" need k + 1 stack slots.
  auto nested = [](std::size_t pluses) {
    std::string s;
    for (std::size_t i = 1; i < pluses; ++i) s += "1+(";
    s += "1+1";
    s += std::string(pluses - 1, ')');
    return s;
  };
  CHECK(eval(nested(Link::kMaxStack - 1), {0.0}) == static_cast<double>(Link::kMaxStack));
  Link link;
  const Status status = Link::parse(nested(Link::kMaxStack).c_str(), 1, &link);
  CHECK(status.code() == Code::parse_error);
  CHECK(std::string(status.message()).find("more than 32 evaluation stack slots") !=
        std::string::npos);
}

TEST_CASE("parentheses nest at most 64 deep") {
  auto wrapped = [](std::size_t depth) {
    return std::string(depth, '(') + "z1" + std::string(depth, ')');
  };
  CHECK(eval(wrapped(64), {2.5}) == 2.5);
  CHECK(eval("he2(" + wrapped(63) + ")", {2.0}) == 3.0);
  Link link;
  const Status status = Link::parse(wrapped(65).c_str(), 1, &link);
  CHECK(status.code() == Code::parse_error);
  CHECK(std::string(status.message()).find("nested deeper than 64 at position 65") !=
        std::string::npos);
}

TEST_CASE("r must be in 1..kMaxR, reported as invalid_argument on field r") {
  Link link;
  Status status = Link::parse("z1", 0, &link);
  CHECK(status.code() == Code::invalid_argument);
  CHECK(std::string(status.field()) == "r");
  status = Link::parse("z1", Link::kMaxR + 1, &link);
  CHECK(status.code() == Code::invalid_argument);
  CHECK(std::string(status.field()) == "r");
  CHECK(std::string(status.message()).find("65") != std::string::npos);
  CHECK_FALSE(link.valid());

  std::vector<double> z(Link::kMaxR);
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = static_cast<double>(i + 1);
  CHECK(eval("z64 - z1", z) == 63.0);
  CHECK(Link::parse(nullptr, 1, &link).code() == Code::parse_error);
  CHECK(Link::parse("z1", 1, nullptr).code() == Code::invalid_argument);
}

TEST_CASE("a parsed link reports its spec and r") {
  const Link link = parse_ok("he2(z1) + 0.5*he2(z2)", 2);
  CHECK(std::string(link.spec()) == "he2(z1) + 0.5*he2(z2)");
  CHECK(link.r() == 2);
}

TEST_CASE("an empty link is invalid, has an empty spec and evaluates to NaN") {
  const Link link;
  const double z = 1.0;
  CHECK_FALSE(link.valid());
  CHECK(link.r() == 0);
  REQUIRE(link.spec() != nullptr);
  CHECK(std::string(link.spec()) == "");
  CHECK(std::isnan(link(&z)));
}

namespace {
double weighted_sum(const double* z, std::size_t r, void* user) {
  const double w = *static_cast<const double*>(user);
  double s = 0.0;
  for (std::size_t i = 0; i < r; ++i) s += w * z[i];
  return s;
}
}  // namespace

TEST_CASE("callable wraps a function pointer with its user data, r and name") {
  double weight = 2.0;
  const Link link = Link::callable(weighted_sum, &weight, 3, "weighted");
  REQUIRE(link.valid());
  CHECK(link.r() == 3);
  CHECK(std::string(link.spec()) == "weighted");
  const double z[3] = {1.0, 2.0, 4.0};
  CHECK(link(z) == 14.0);
  weight = -1.0;
  CHECK(link(z) == -7.0);

  CHECK(std::string(Link::callable(weighted_sum, &weight, 1).spec()) == "callable");
  CHECK(std::string(Link::callable(weighted_sum, &weight, 1, nullptr).spec()) == "callable");
  const std::string long_name(400, 'n');
  CHECK(std::strlen(Link::callable(weighted_sum, &weight, 1, long_name.c_str()).spec()) ==
        Link::kMaxSpecLength);
}

TEST_CASE("callable with r outside 1..kMaxR or a null function is empty") {
  double weight = 1.0;
  const double z = 1.0;
  const Link zero_r = Link::callable(weighted_sum, &weight, 0);
  CHECK_FALSE(zero_r.valid());
  CHECK(std::isnan(zero_r(&z)));
  CHECK_FALSE(Link::callable(weighted_sum, &weight, Link::kMaxR + 1).valid());
  CHECK(Link::callable(weighted_sum, &weight, Link::kMaxR).valid());
  CHECK_FALSE(Link::callable(nullptr, &weight, 1).valid());
}

TEST_CASE("callable_object calls a capturing lambda through a stored pointer") {
  double offset = 10.0;
  const auto f = [&offset](const double* z, std::size_t r) { return z[r - 1] + offset; };
  const Link link = Link::callable_object(f, 2, "last_plus_offset");
  REQUIRE(link.valid());
  CHECK(std::string(link.spec()) == "last_plus_offset");
  const double z[2] = {1.0, 5.0};
  CHECK(link(z) == 15.0);
  offset = 0.5;
  CHECK(link(z) == 5.5);
  CHECK_FALSE(Link::callable_object(f, 0).valid());
}

TEST_CASE("a Link is trivially copyable and a copy evaluates to identical bits") {
  static_assert(std::is_trivially_copyable<Link>::value, "Link must be trivially copyable");
  CHECK(std::is_trivially_copyable<Link>::value);
  const Link original = parse_ok("he4(z1)/sqrt(24) + he2(z2)/sqrt(2) - 0.1*sign(z1*z2)*norm2", 2);
  const Link copy = original;
  Link raw;
  std::memcpy(static_cast<void*>(&raw), &original, sizeof original);
  const double points[][2] = {{0.3, -1.7}, {2.2, 0.9}, {-0.01, 3.3}, {1e-8, -1e8}};
  for (const auto& z : points) {
    const double expected = original(z);
    CHECK(bits(copy(z)) == bits(expected));
    CHECK(bits(raw(z)) == bits(expected));
  }
  CHECK(std::string(copy.spec()) == original.spec());
}
