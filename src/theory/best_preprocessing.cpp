// The best preprocessing (docs/ALGORITHM.md section 9.3): the operator F(M) = E[G(y) M G(y)]
// whose norm gives alpha_opt, the fixed eigenbasis in which the per-direction formulas are
// exact, and the optimal transform T*.
#include <cmath>

#include "linalg.hpp"
#include "theory/spectral_state.hpp"

namespace mimkit {
namespace theory {

namespace {

// T*(y) = 1 - 1/max(E[s^2 | y], kOptimalFloor) >= -10: finite expectations, negligible mass.
constexpr double kOptimalFloor = 1.0 / 11.0;

}  // namespace

// F(M) = E[G(y) M G(y)] ~ sum_k D_k M D_k on symmetric r x r matrices (orthonormal basis E_ab,
// a <= b): its largest eigenvalue, and the leading eigenvector of its top eigen-matrix
// (docs/ALGORITHM.md section 9.3).
double f_operator(const YSplines& ys, std::size_t r, double* v_top) {
  constexpr std::size_t kS = R * (R + 1) / 2;
  std::size_t ia[kS], ib[kS], ns = 0;
  for (std::size_t a = 0; a < r; ++a) {
    for (std::size_t b = a; b < r; ++b) {
      ia[ns] = a;
      ib[ns] = b;
      ++ns;
    }
  }
  double F[kS * kS] = {};
  const double rt2 = std::sqrt(2.0);
  for (std::size_t k = 0; k < ys.n; ++k) {
    const double* G = ys.D + k * r * r;
    for (std::size_t u = 0; u < ns; ++u) {
      const std::size_t cu = ia[u], du = ib[u];
      for (std::size_t t = 0; t < ns; ++t) {
        const std::size_t a = ia[t], b = ib[t];
        // X = G E_u G with E_u = e_c e_d^T (c = d) or (e_c e_d^T + e_d e_c^T)/sqrt 2.
        double x_ab = G[a * r + cu] * G[du * r + b];
        if (cu != du) x_ab = (x_ab + G[a * r + du] * G[cu * r + b]) / rt2;
        F[t * ns + u] += a == b ? x_ab : rt2 * x_ab;
      }
    }
  }
  double w[kS], E[kS * kS], work[kS * kS];
  if (!linalg::eigh(F, ns, ns, w, E, ns, work) || !(w[0] > 0)) {
    for (std::size_t a = 0; a < r; ++a) v_top[a] = a == 0;
    return 0;
  }
  double Mtop[R * R];
  for (std::size_t t = 0; t < ns; ++t) {
    const double e = E[t * ns + 0];
    const std::size_t a = ia[t], b = ib[t];
    Mtop[a * r + b] = Mtop[b * r + a] = a == b ? e : e / rt2;
  }
  double mw[R], mv[R * R], mwork[R * R];
  linalg::eigh(Mtop, r, r, mw, mv, r, mwork);
  const std::size_t top = std::fabs(mw[0]) >= std::fabs(mw[r - 1]) ? 0 : r - 1;
  for (std::size_t a = 0; a < r; ++a) v_top[a] = mv[a * r + top];
  return w[0];
}

// E[(v . G(y) v)^2], from the projection.
double direction_energy(const YSplines& ys, std::size_t r, const double* v) {
  double sum = 0;
  for (std::size_t k = 0; k < ys.n; ++k) {
    const double g = quad_form(ys.D + k * r * r, v, r);
    sum += g * g;
  }
  return sum;
}

// E[z z^T | y] has one eigenbasis for all y: diagonalise a generic combination of the
// projections B_i = E[phi_i(y) (z z^T - I)], then check that every B_i is diagonal in it.
bool find_fixed_basis(const YSplines& ys, std::size_t r, double* V) {
  const std::size_t rr = r * r;
  double A[R * R] = {}, w[R], work[R * R];
  double bmax = 0;
  for (std::size_t i = 0; i < ys.n; ++i) {
    const double h = std::fmod(static_cast<double>(i) * 0.6180339887498949, 1.0) - 0.5;
    for (std::size_t e = 0; e < rr; ++e) {
      A[e] += h * ys.B[i * rr + e];
      bmax = std::fmax(bmax, std::fabs(ys.B[i * rr + e]));
    }
  }
  if (!(bmax > kMinEnergy)) {  // G = 0 (E[z z^T | y] = I): every basis is an eigenbasis
    for (std::size_t e = 0; e < rr; ++e) V[e] = e % (r + 1) == 0;
    return true;
  }
  if (!linalg::eigh(A, r, r, w, V, r, work)) return false;
  for (std::size_t i = 0; i < ys.n; ++i) {
    for (std::size_t k = 0; k < r; ++k) {
      for (std::size_t l = 0; l < k; ++l) {
        double off = 0;
        for (std::size_t a = 0; a < r; ++a) {
          for (std::size_t b = 0; b < r; ++b)
            off += V[a * r + k] * ys.B[i * rr + a * r + b] * V[b * r + l];
        }
        if (std::fabs(off) > 1e-9 * (bmax + 1e-300)) return false;
      }
    }
  }
  return true;
}

// T*(y) = 1 - 1/E[(v . z)^2 | y] from the spline projection, floored.
double optimal_T(const YSplines& ys, const double* v, double y) {
  const double s2 = 1.0 + ysplines_quad(ys, y, v);
  return 1.0 - 1.0 / (s2 > kOptimalFloor ? s2 : kOptimalFloor);
}

}  // namespace theory
}  // namespace mimkit
