#include "linalg.hpp"

#include <cmath>

namespace mimkit {
namespace linalg {

bool eigh(const double* A, std::size_t n, std::size_t lda, double* w, double* V, std::size_t ldv,
          double* work) {
  // work holds a symmetric copy that the rotations drive to diagonal form.
  double* B = work;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const double v = i >= j ? A[i * lda + j] : A[j * lda + i];
      if (!std::isfinite(v)) return false;
      B[i * n + j] = v;
      V[i * ldv + j] = i == j ? 1.0 : 0.0;
    }
  }
  bool converged = n <= 1;
  for (int sweep = 0; sweep < 64 && !converged; ++sweep) {
    double off = 0, total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        const double v = B[i * n + j] * B[i * n + j];
        total += v;
        if (i != j) off += v;
      }
    }
    if (off <= 1e-30 * total || off == 0) {
      converged = true;
      break;
    }
    for (std::size_t p = 0; p + 1 < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = B[p * n + q];
        if (apq == 0) continue;
        const double app = B[p * n + p], aqq = B[q * n + q];
        // The rotation that zeroes B[p][q] (Golub & Van Loan, Algorithm 8.4.1).
        const double tau = (aqq - app) / (2 * apq);
        const double t = (tau >= 0 ? 1.0 : -1.0) / (std::fabs(tau) + std::sqrt(1 + tau * tau));
        const double c = 1 / std::sqrt(1 + t * t), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {
          const double bkp = B[k * n + p], bkq = B[k * n + q];
          B[k * n + p] = c * bkp - s * bkq;
          B[k * n + q] = s * bkp + c * bkq;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double bpk = B[p * n + k], bqk = B[q * n + k];
          B[p * n + k] = c * bpk - s * bqk;
          B[q * n + k] = s * bpk + c * bqk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double vkp = V[k * ldv + p], vkq = V[k * ldv + q];
          V[k * ldv + p] = c * vkp - s * vkq;
          V[k * ldv + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) w[i] = B[i * n + i];
  // Selection sort by descending eigenvalue; ties keep their order (stable, deterministic).
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t best = i;
    for (std::size_t j = i + 1; j < n; ++j) {
      if (w[j] > w[best]) best = j;
    }
    if (best == i) continue;
    const double tw = w[i];
    w[i] = w[best];
    w[best] = tw;
    for (std::size_t k = 0; k < n; ++k) {
      const double tv = V[k * ldv + i];
      V[k * ldv + i] = V[k * ldv + best];
      V[k * ldv + best] = tv;
    }
  }
  return converged;
}

bool cholesky(double* A, std::size_t n, std::size_t lda) {
  for (std::size_t j = 0; j < n; ++j) {
    double d = A[j * lda + j];
    for (std::size_t k = 0; k < j; ++k) d -= A[j * lda + k] * A[j * lda + k];
    if (!(d > 0)) return false;
    const double l = std::sqrt(d);
    A[j * lda + j] = l;
    for (std::size_t i = j + 1; i < n; ++i) {
      double v = A[i * lda + j];
      for (std::size_t k = 0; k < j; ++k) v -= A[i * lda + k] * A[j * lda + k];
      A[i * lda + j] = v / l;
    }
    for (std::size_t k = j + 1; k < n; ++k) A[j * lda + k] = 0;
  }
  return true;
}

void cholesky_solve(const double* L, std::size_t n, std::size_t lda, double* b) {
  for (std::size_t i = 0; i < n; ++i) {
    double v = b[i];
    for (std::size_t k = 0; k < i; ++k) v -= L[i * lda + k] * b[k];
    b[i] = v / L[i * lda + i];
  }
  for (std::size_t i = n; i-- > 0;) {
    double v = b[i];
    for (std::size_t k = i + 1; k < n; ++k) v -= L[k * lda + i] * b[k];
    b[i] = v / L[i * lda + i];
  }
}

namespace {

// Gram-Schmidt over k vectors of length n; vector q's element i is Q[q * qs + i * es].
std::size_t orthonormalize(double* Q, std::size_t k, std::size_t n, std::size_t qs,
                           std::size_t es) {
  std::size_t nonzero = 0;
  for (std::size_t q = 0; q < k; ++q) {
    double original = 0;
    for (std::size_t i = 0; i < n; ++i) original += Q[q * qs + i * es] * Q[q * qs + i * es];
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t p = 0; p < q; ++p) {
        double dot = 0;
        for (std::size_t i = 0; i < n; ++i) dot += Q[q * qs + i * es] * Q[p * qs + i * es];
        for (std::size_t i = 0; i < n; ++i) Q[q * qs + i * es] -= dot * Q[p * qs + i * es];
      }
    }
    double norm2 = 0;
    for (std::size_t i = 0; i < n; ++i) norm2 += Q[q * qs + i * es] * Q[q * qs + i * es];
    if (!(norm2 > 1e-24 * original) || !(norm2 > 0)) {
      for (std::size_t i = 0; i < n; ++i) Q[q * qs + i * es] = 0;
      continue;
    }
    const double inv = 1 / std::sqrt(norm2);
    for (std::size_t i = 0; i < n; ++i) Q[q * qs + i * es] *= inv;
    ++nonzero;
  }
  return nonzero;
}

}  // namespace

std::size_t orthonormalize_columns(double* Q, std::size_t n, std::size_t k, std::size_t ldq) {
  return orthonormalize(Q, k, n, 1, ldq);
}

std::size_t orthonormalize_rows(double* Q, std::size_t k, std::size_t n, std::size_t ldq) {
  return orthonormalize(Q, k, n, ldq, 1);
}

}  // namespace linalg
}  // namespace mimkit
