#include "linalg.hpp"

#include <cmath>

namespace mimkit {
namespace linalg {

namespace {

// sqrt(a^2 + b^2) without overflow or underflow. std::hypot is a libm function whose last bit may
// differ between C libraries and architectures; this uses only fabs, division and sqrt, which IEEE
// 754 rounds exactly, so every platform gets the same bits.
double pythag(double a, double b) {
  a = std::fabs(a);
  b = std::fabs(b);
  if (a < b) {
    const double t = a;
    a = b;
    b = t;
  }
  if (a == 0) return 0;
  const double ratio = b / a;
  return a * std::sqrt(1 + ratio * ratio);
}

// Eigenvalues by descending value, eigenvector columns permuted with them. Selection sort with
// swaps: not stable, but a pure function of its input, which is all determinism needs. O(n^2).
void sort_descending(double* w, double* V, std::size_t n, std::size_t ldv) {
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
}

// Householder reduction to tridiagonal form, then the implicit QL algorithm: the symmetric
// eigensolver of EISPACK (tred2/tql2) in the form of the public-domain JAMA library, with hypot
// replaced by pythag() and an iteration cap. O(n^3) with a small constant, used for larger n where
// Jacobi's sweeps cost too much. V (n x n, ldv) holds
// A on entry and the eigenvectors (columns) on exit; d gets the eigenvalues (ascending), e is n
// doubles of scratch.
bool tridiagonal_ql(double* V, std::size_t ldv, std::size_t n, double* d, double* e) {
  auto v = [&](std::size_t i, std::size_t j) -> double& { return V[i * ldv + j]; };
  for (std::size_t j = 0; j < n; ++j) d[j] = v(n - 1, j);
  for (std::size_t i = n - 1; i > 0; --i) {
    double scale = 0, h = 0;
    for (std::size_t k = 0; k < i; ++k) scale += std::fabs(d[k]);
    if (scale == 0) {
      e[i] = d[i - 1];
      for (std::size_t j = 0; j < i; ++j) {
        d[j] = v(i - 1, j);
        v(i, j) = 0;
        v(j, i) = 0;
      }
    } else {
      for (std::size_t k = 0; k < i; ++k) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      double f = d[i - 1];
      double g = std::sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (std::size_t j = 0; j < i; ++j) e[j] = 0;
      for (std::size_t j = 0; j < i; ++j) {
        f = d[j];
        v(j, i) = f;
        g = e[j] + v(j, j) * f;
        for (std::size_t k = j + 1; k <= i - 1; ++k) {
          g += v(k, j) * d[k];
          e[k] += v(k, j) * f;
        }
        e[j] = g;
      }
      f = 0;
      for (std::size_t j = 0; j < i; ++j) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const double hh = f / (h + h);
      for (std::size_t j = 0; j < i; ++j) e[j] -= hh * d[j];
      for (std::size_t j = 0; j < i; ++j) {
        f = d[j];
        g = e[j];
        for (std::size_t k = j; k <= i - 1; ++k) v(k, j) -= (f * e[k] + g * d[k]);
        d[j] = v(i - 1, j);
        v(i, j) = 0;
      }
    }
    d[i] = h;
  }
  for (std::size_t i = 0; i + 1 < n; ++i) {
    v(n - 1, i) = v(i, i);
    v(i, i) = 1;
    const double h = d[i + 1];
    if (h != 0) {
      for (std::size_t k = 0; k <= i; ++k) d[k] = v(k, i + 1) / h;
      for (std::size_t j = 0; j <= i; ++j) {
        double g = 0;
        for (std::size_t k = 0; k <= i; ++k) g += v(k, i + 1) * v(k, j);
        for (std::size_t k = 0; k <= i; ++k) v(k, j) -= g * d[k];
      }
    }
    for (std::size_t k = 0; k <= i; ++k) v(k, i + 1) = 0;
  }
  for (std::size_t j = 0; j < n; ++j) {
    d[j] = v(n - 1, j);
    v(n - 1, j) = 0;
  }
  v(n - 1, n - 1) = 1;
  e[0] = 0;

  // Implicit QL on the tridiagonal (d, e).
  for (std::size_t i = 1; i < n; ++i) e[i - 1] = e[i];
  e[n - 1] = 0;
  double f = 0, tst1 = 0;
  const double eps = 2.220446049250313e-16;
  for (std::size_t l = 0; l < n; ++l) {
    const double size = std::fabs(d[l]) + std::fabs(e[l]);
    if (size > tst1) tst1 = size;
    std::size_t m = l;
    while (m < n) {
      if (std::fabs(e[m]) <= eps * tst1) break;
      ++m;
    }
    if (m > l) {
      int iter = 0;
      do {
        // QL converges cubically, in 1-3 iterations per eigenvalue; the cap only turns a
        // pathological (or NaN-poisoned) input into a false return instead of a hang.
        if (++iter > 60) return false;
        double g = d[l];
        double p = (d[l + 1] - g) / (2 * e[l]);
        double r = pythag(p, 1.0);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const double dl1 = d[l + 1];
        double h = g - d[l];
        for (std::size_t i = l + 2; i < n; ++i) d[i] -= h;
        f += h;
        p = d[m];
        double c = 1, c2 = c, c3 = c, el1 = e[l + 1], s = 0, s2 = 0;
        for (std::size_t i = m; i-- > l;) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = pythag(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (std::size_t k = 0; k < n; ++k) {
            h = v(k, i + 1);
            v(k, i + 1) = s * v(k, i) + c * h;
            v(k, i) = c * v(k, i) - s * h;
          }
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (std::fabs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  return true;
}

}  // namespace

bool eigh(const double* A, std::size_t n, std::size_t lda, double* w, double* V, std::size_t ldv,
          double* work) {
  if (n > 16) {
    // Large: tridiagonalise + QL (O(4/3 n^3)); the first n doubles of work are scratch.
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        const double x = i >= j ? A[i * lda + j] : A[j * lda + i];
        if (!std::isfinite(x)) return false;
        V[i * ldv + j] = x;
      }
    }
    double* e = work;
    if (!tridiagonal_ql(V, ldv, n, w, e)) return false;
    sort_descending(w, V, n, ldv);
    return true;
  }
  return eigh_jacobi(A, n, lda, w, V, ldv, work);
}

bool eigh_jacobi(const double* A, std::size_t n, std::size_t lda, double* w, double* V,
                 std::size_t ldv, double* work) {
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
  sort_descending(w, V, n, ldv);
  return converged;
}

bool cholesky(double* A, std::size_t n, std::size_t lda) {
  return cholesky(A, n, lda, Ticker()) == Factorization::ok;
}

Factorization cholesky(double* A, std::size_t n, std::size_t lda, const Ticker& ticker) {
  for (std::size_t j = 0; j < n; ++j) {
    // Column k costs about k (n - k) multiply-adds: columns 0..j-1 are j^2 (3n - 2j) / n^3
    // of the whole.
    if (ticker.tick != nullptr) {
      const double f = static_cast<double>(j) / static_cast<double>(n);
      if (!ticker.tick(ticker.user, f * f * (3 - 2 * f))) return Factorization::stopped;
    }
    double d = A[j * lda + j];
    for (std::size_t k = 0; k < j; ++k) d -= A[j * lda + k] * A[j * lda + k];
    if (!(d > 0)) return Factorization::not_positive_definite;
    const double l = std::sqrt(d);
    A[j * lda + j] = l;
    for (std::size_t i = j + 1; i < n; ++i) {
      double v = A[i * lda + j];
      for (std::size_t k = 0; k < j; ++k) v -= A[i * lda + k] * A[j * lda + k];
      A[i * lda + j] = v / l;
    }
    for (std::size_t k = j + 1; k < n; ++k) A[j * lda + k] = 0;
  }
  return Factorization::ok;
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
