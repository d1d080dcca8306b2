// Link functions g: R^r -> R of the multi-index model y = g(U x) + tau * xi.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/status.hpp"

namespace mimkit {

/// A link function of r variables z1..zr, evaluated in double precision.
///
/// Three sources:
///  - a text spec, parsed once by Link::parse (grammar below);
///  - a C++ callable, wrapped by Link::callable (the caller keeps it alive);
///  - the named links relu, abs, sign and norm2, which are part of the grammar.
///
/// Grammar (whitespace ignored, case-sensitive):
///   expr    := term (('+' | '-') term)*
///   term    := unary (('*' | '/') unary)*
///   unary   := ('+' | '-') unary | power
///   power   := primary ('^' integer)?          integer exponent 0..16
///   primary := number | 'z' k | 'norm2' | func '(' expr ')' | '(' expr ')'
///   func    := 'he' K (probabilists' Hermite He_K, K = 0..12) | 'relu' | 'abs' | 'sign' | 'sqrt'
///   number  := decimal or scientific literal, e.g. 0.5, 2, 1e-3
/// Variables are z1..zr (1-based). norm2 = (z1^2 + ... + zr^2) / r. sign(0) = 0. NaN passes
/// through every function, relu and sign included, so a bad link shows up as a NaN label.
/// x^n multiplies left to right, ((x*x)*x)*...*x, and x^0 = 1; so z1^3 and z1*z1*z1 give the same
/// bits. Parentheses nest at most 64 deep.
/// Examples: "he2(z1) + 0.5*he2(z2)", "z1*z2", "he4(z1)/sqrt(24) + he2(z2)/sqrt(2)", "relu(z1)",
/// "sign(z1*z2)", "norm2".
///
/// Evaluation uses only +, -, *, /, sqrt and comparisons (no libm transcendental functions),
/// so it gives the same bits on every platform. A Link is a small fixed-size value (no heap),
/// trivially copyable; evaluation is O(length of the spec) and thread-safe.
class Link {
 public:
  /// Signature of a callable link: z points to r values; `user` is passed through.
  using Fn = double (*)(const double* z, std::size_t r, void* user);

  static constexpr std::size_t kMaxSpecLength = 255;  ///< characters of a text spec
  static constexpr std::size_t kMaxOps = 256;         ///< compiled instructions
  static constexpr std::size_t kMaxStack = 32;        ///< evaluation stack depth
  static constexpr std::size_t kMaxR = 64;            ///< largest number of variables

  /// An empty link; valid() is false and evaluating it returns NaN.
  Link() noexcept;

  /// Parses `spec` for a model with `r` hidden directions (1 <= r <= kMaxR) into `*out`.
  /// Spec errors are Code::parse_error with field "link"; they name the 1-based character
  /// position and what was expected there, e.g. "unexpected ')' at position 8 in 'he2(z1))'",
  /// or "variable z3 at position 1 exceeds r = 2 (allowed: z1..z2)". An r out of range is
  /// Code::invalid_argument with field "r". On any error `*out` is left empty.
  static Status parse(const char* spec, std::size_t r, Link* out) noexcept;

  /// Wraps a function pointer. `name` (copied, truncated to kMaxSpecLength; null means
  /// "callable") is what spec() returns. `fn` must be safe to call concurrently if the Link is
  /// used from several threads. A null `fn` or an r outside 1..kMaxR gives an empty Link
  /// (valid() is false).
  static Link callable(Fn fn, void* user, std::size_t r, const char* name = "callable") noexcept;

  /// Wraps any callable object `f` with `double operator()(const double* z, std::size_t r) const`.
  /// Stores a pointer to `f`: the caller keeps `f` alive while the Link is used. The same r rule
  /// as callable() applies.
  template <class F>
  static Link callable_object(const F& f, std::size_t r, const char* name = "callable") noexcept {
    return callable([](const double* z, std::size_t rr,
                       void* user) -> double { return (*static_cast<const F*>(user))(z, rr); },
                    const_cast<void*>(static_cast<const void*>(&f)), r, name);
  }

  /// g(z) for z[0..r). NaN when the link is empty.
  double operator()(const double* z) const noexcept;

  bool valid() const noexcept { return kind_ != Kind::empty; }
  /// Number of variables the link was built for.
  std::size_t r() const noexcept { return r_; }
  /// The source text (or the callable's name). Never null.
  const char* spec() const noexcept { return spec_; }

 private:
  enum class Kind : std::uint8_t { empty, compiled, callable };
  // The recursive-descent parser; defined in link.cpp, nested so it can fill ops_ directly.
  class Compiler;
  struct Op {
    std::uint8_t code;  // opcode (see link.cpp)
    std::uint8_t arg;   // variable index, Hermite degree or power
    double value;       // constant operand
  };
  Kind kind_;
  std::size_t r_;
  std::size_t n_ops_;
  Fn fn_;
  void* user_;
  char spec_[kMaxSpecLength + 1];
  Op ops_[kMaxOps];
};

}  // namespace mimkit
