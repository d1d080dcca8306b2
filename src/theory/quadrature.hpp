// Quadrature for expectations over z ~ N(0, I_r) (internal to the theory module).
//
// The one-dimensional rule is the Gauss rule of the weight phi(x) = e^{-x^2/2}/sqrt(2 pi) on
// [0, infinity), mirrored onto (-infinity, 0]: q nodes (q even), q/2 on each half-line, weights
// summing to 1. Each half is a Gauss rule of its own, so the product rule over r dimensions is
// exact for every function that is a polynomial of degree < q in each variable on each orthant:
// Hermite links and the named links relu, abs, sign(z1*z2), norm2, and their sign, abs or identity
// transforms. A full-line Gauss-Hermite rule integrates |z| or sign(z) z^k only to O(q^-3/2).
//
// Everything is computed from +, -, *, /, sqrt and our own exp, so the rule has the same bits on
// every platform.
#pragma once

#include <cstddef>

namespace mimkit {
namespace theory {

/// e^x for x <= 0 (0 below -745), to about one ulp, from + - * / and exact scaling by 2^n.
double exp_nonpositive(double x) noexcept;

/// Largest number of nodes per dimension a rule may have (256 per half-line).
constexpr std::size_t kMaxRuleNodes = 512;

/// Doubles of scratch mirrored_rule() needs for q nodes.
std::size_t rule_scratch(std::size_t q) noexcept;

/// The mirrored half-range Gauss rule with q nodes (q even, 2 <= q <= kMaxRuleNodes): x
/// ascending, w > 0 (or 0 where e^{-x^2/2} underflows), sum w = 1. O(q^2 + q L), L ~ 20 sqrt(q).
void mirrored_rule(std::size_t q, double* x, double* w, double* scratch) noexcept;

/// The n-point Gauss rule of the measure (mass mu0) whose orthonormal polynomials satisfy
/// x P_k = b[k+1] P_{k+1} + a[k] P_k + b[k] P_{k-1} (b[0] unused, b[k] > 0): nodes ascending by
/// Sturm bisection on the Jacobi matrix, weights by the Christoffel function. `work` holds n
/// doubles. O(n^2) per 64 bisection steps.
void gauss_from_recurrence(const double* a, const double* b, std::size_t n, double mu0, double* x,
                           double* w, double* work) noexcept;

}  // namespace theory
}  // namespace mimkit
