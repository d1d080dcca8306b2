#include "theory/quadrature.hpp"

#include <cmath>

namespace mimkit {
namespace theory {

namespace {

// Discretisation of the half-line measure for the Stieltjes procedure: 20-point Gauss-Legendre
// on panels of width 1/4 up to L = 2 sqrt(2 n) + 10, where the orthonormal polynomials of
// degree <= 2n have decayed below 1e-20 of their peak. A panel spans less than one period of
// p_n^2, so each panel's rule is exact far beyond double precision.
constexpr std::size_t kPanelPoints = 20;
constexpr double kPanelWidth = 0.25;

std::size_t panels(std::size_t n) {
  const double L = 2.0 * std::sqrt(2.0 * static_cast<double>(n)) + 10.0;
  return static_cast<std::size_t>(std::ceil(L / kPanelWidth));
}

// Eigenvalues of the Jacobi matrix below x (Sturm sequence of its LDL^T factorisation).
std::size_t count_below(const double* a, const double* b2, std::size_t n, double x, double pivmin) {
  std::size_t count = 0;
  double d = a[0] - x;
  if (std::fabs(d) < pivmin) d = -pivmin;
  if (d < 0) ++count;
  for (std::size_t i = 1; i < n; ++i) {
    d = (a[i] - x) - b2[i] / d;
    if (std::fabs(d) < pivmin) d = -pivmin;
    if (d < 0) ++count;
  }
  return count;
}

}  // namespace

double exp_nonpositive(double x) noexcept {
  if (x != x) return x;
  if (x < -745.2) return 0.0;
  // x = n ln2 + f, |f| <= ln2/2; ln2_hi has 32 significant bits, so n * ln2_hi is exact.
  const double ln2_hi = 6.93147180369123816490e-01;
  const double ln2_lo = 1.90821492927058770002e-10;
  const double n = std::floor(x * 1.44269504088896338700 + 0.5);
  const double f = (x - n * ln2_hi) - n * ln2_lo;
  // Taylor polynomial of degree 14: the remainder is below 1e-19 for |f| <= 0.347.
  double p = 1.0 / 87178291200.0;  // 1/14!
  const double inv_fact[] = {1.0 / 6227020800.0,
                             1.0 / 479001600.0,
                             1.0 / 39916800.0,
                             1.0 / 3628800.0,
                             1.0 / 362880.0,
                             1.0 / 40320.0,
                             1.0 / 5040.0,
                             1.0 / 720.0,
                             1.0 / 120.0,
                             1.0 / 24.0,
                             1.0 / 6.0,
                             0.5,
                             1.0,
                             1.0};
  for (double c : inv_fact) p = p * f + c;
  return std::ldexp(p, static_cast<int>(n));
}

void gauss_from_recurrence(const double* a, const double* b, std::size_t n, double mu0, double* x,
                           double* w, double* work) noexcept {
  double* b2 = work;
  double lo = a[0], hi = a[0], bmax = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double left = i > 0 ? std::fabs(b[i]) : 0.0;
    const double right = i + 1 < n ? std::fabs(b[i + 1]) : 0.0;
    lo = std::fmin(lo, a[i] - left - right);
    hi = std::fmax(hi, a[i] + left + right);
    b2[i] = i > 0 ? b[i] * b[i] : 0.0;
    bmax = std::fmax(bmax, b2[i]);
  }
  const double pivmin = 1e-300 * std::fmax(1.0, bmax);
  double floor_k = lo;  // eigenvalue k lies above eigenvalue k - 1
  for (std::size_t k = 0; k < n; ++k) {
    double l = floor_k, h = hi;
    for (int it = 0; it < 200 && h - l > 2e-16 * std::fmax(std::fabs(l), std::fabs(h)); ++it) {
      const double mid = 0.5 * (l + h);
      if (mid <= l || mid >= h) break;
      if (count_below(a, b2, n, mid, pivmin) > k) {
        h = mid;
      } else {
        l = mid;
      }
    }
    x[k] = 0.5 * (l + h);
    floor_k = l;
  }
  // Christoffel numbers: w_i = 1 / sum_k P_k(x_i)^2 with the orthonormal P_k.
  for (std::size_t i = 0; i < n; ++i) {
    double prev = 0, cur = 1.0 / std::sqrt(mu0);
    double sum = cur * cur;
    for (std::size_t k = 0; k + 1 < n && std::isfinite(sum) && sum < 1e300; ++k) {
      const double next = ((x[i] - a[k]) * cur - (k > 0 ? b[k] * prev : 0.0)) / b[k + 1];
      prev = cur;
      cur = next;
      sum += cur * cur;
    }
    w[i] = std::isfinite(sum) && sum < 1e300 ? 1.0 / sum : 0.0;
  }
}

std::size_t rule_scratch(std::size_t q) noexcept {
  const std::size_t n = q / 2;
  const std::size_t m = panels(n) * kPanelPoints;
  return 5 * kPanelPoints + 1 + 4 * m + 5 * n + 1;
}

void mirrored_rule(std::size_t q, double* x, double* w, double* scratch) noexcept {
  const std::size_t n = q / 2, P = kPanelPoints;
  const std::size_t m = panels(n) * P;
  double* gl_a = scratch;
  double* gl_b = gl_a + P;  // P + 1 entries
  double* gl_x = gl_b + P + 1;
  double* gl_w = gl_x + P;
  double* gl_work = gl_w + P;
  double* xs = gl_work + P;
  double* ws = xs + m;
  double* v_prev = ws + m;
  double* v_cur = v_prev + m;
  double* a = v_cur + m;
  double* b = a + n;  // n + 1 entries
  double* work = b + n + 1;
  double* hx = work + n;
  double* hw = hx + n;

  // Gauss-Legendre on [-1, 1]: orthonormal recurrence b_k = k / sqrt(4 k^2 - 1), mass 2.
  for (std::size_t k = 0; k < P; ++k) {
    gl_a[k] = 0;
    const double kk = static_cast<double>(k);
    gl_b[k] = k > 0 ? kk / std::sqrt(4 * kk * kk - 1) : 0.0;
  }
  gl_b[P] = 0;
  gauss_from_recurrence(gl_a, gl_b, P, 2.0, gl_x, gl_w, gl_work);
  const double inv_sqrt_2pi = 0.39894228040143267794;
  for (std::size_t p = 0; p < m / P; ++p) {
    const double left = static_cast<double>(p) * kPanelWidth;
    for (std::size_t i = 0; i < P; ++i) {
      const double t = left + 0.5 * kPanelWidth * (gl_x[i] + 1.0);
      xs[p * P + i] = t;
      ws[p * P + i] = 0.5 * kPanelWidth * gl_w[i] * inv_sqrt_2pi * exp_nonpositive(-0.5 * t * t);
    }
  }
  // Stieltjes procedure on the discrete measure, with normalised polynomial values.
  double mass = 0;
  for (std::size_t i = 0; i < m; ++i) mass += ws[i];
  for (std::size_t i = 0; i < m; ++i) {
    v_prev[i] = 0;
    v_cur[i] = 1.0 / std::sqrt(mass);
  }
  b[0] = 0;
  for (std::size_t k = 0; k < n; ++k) {
    double ak = 0;
    for (std::size_t i = 0; i < m; ++i) ak += ws[i] * xs[i] * v_cur[i] * v_cur[i];
    a[k] = ak;
    double norm2 = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const double u = (xs[i] - ak) * v_cur[i] - b[k] * v_prev[i];
      v_prev[i] = u;  // holds u until it is normalised below
      norm2 += ws[i] * u * u;
    }
    b[k + 1] = std::sqrt(norm2);
    for (std::size_t i = 0; i < m; ++i) {
      const double u = v_prev[i] / b[k + 1];
      v_prev[i] = v_cur[i];
      v_cur[i] = u;
    }
  }
  gauss_from_recurrence(a, b, n, 0.5, hx, hw, work);
  for (std::size_t i = 0; i < n; ++i) {
    x[n - 1 - i] = -hx[i];
    w[n - 1 - i] = hw[i];
    x[n + i] = hx[i];
    w[n + i] = hw[i];
  }
}

}  // namespace theory
}  // namespace mimkit
