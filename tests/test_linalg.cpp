#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "linalg.hpp"

namespace linalg = mimkit::linalg;

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

// A random orthogonal n x n matrix as a product of max(n, 3) Householder reflectors
// I - 2 v v^T / (v^T v), built here without linalg so the eigen tests do not depend on the
// orthonormalisation under test. Orthogonal to a few n eps. As many reflectors as dimensions make
// Q dense: with only a few, Q would be the identity plus a low-rank term and A = Q diag Q^T
// nearly diagonal, which an eigensolver finds far easier than a general matrix.
std::vector<double> random_orthogonal(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  std::vector<double> Q(n * n, 0.0), v(n), next(n * n);
  for (std::size_t i = 0; i < n; ++i) Q[i * n + i] = 1;
  for (std::size_t reflector = 0; reflector < (n > 3 ? n : 3); ++reflector) {
    double vv = 0;
    for (double& x : v) {
      x = normal(gen);
      vv += x * x;
    }
    // next = (I - 2 v v^T / vv) Q.
    for (std::size_t j = 0; j < n; ++j) {
      double vq = 0;
      for (std::size_t i = 0; i < n; ++i) vq += v[i] * Q[i * n + j];
      for (std::size_t i = 0; i < n; ++i) next[i * n + j] = Q[i * n + j] - 2 * v[i] * vq / vv;
    }
    Q.swap(next);
  }
  return Q;
}

// A = Q diag(lambda) Q^T: symmetric with eigenvalues lambda and eigenvector k = column k of Q.
std::vector<double> with_spectrum(const std::vector<double>& Q, const std::vector<double>& lambda) {
  const std::size_t n = lambda.size();
  std::vector<double> A(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double a = 0;
      for (std::size_t k = 0; k < n; ++k) a += Q[i * n + k] * lambda[k] * Q[j * n + k];
      A[i * n + j] = a;
    }
  }
  // Exactly symmetric (the two sums above round differently).
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < i; ++j) A[j * n + i] = A[i * n + j];
  }
  return A;
}

double max_abs(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m = std::fmax(m, std::fabs(v));
  return m;
}

// ||A V - V diag(w)||_max and ||V^T V - I||_max.
void residuals(const std::vector<double>& A, const std::vector<double>& w,
               const std::vector<double>& V, std::size_t n, double* eig_res, double* orth_res) {
  *eig_res = 0;
  *orth_res = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < n; ++k) {
      double av = 0, vv = 0;
      for (std::size_t j = 0; j < n; ++j) {
        av += A[i * n + j] * V[j * n + k];
        vv += V[j * n + i] * V[j * n + k];
      }
      *eig_res = std::fmax(*eig_res, std::fabs(av - w[k] * V[i * n + k]));
      *orth_res = std::fmax(*orth_res, std::fabs(vv - (i == k ? 1.0 : 0.0)));
    }
  }
}

}  // namespace

TEST_CASE("eigh of a diagonal matrix returns its entries, sorted descending, and unit vectors") {
  // n = 5 takes the Jacobi path, n = 23 the tridiagonal QL path; on a diagonal matrix both do no
  // rotation at all, so the results are exact.
  for (std::size_t n : {std::size_t{5}, std::size_t{23}}) {
    CAPTURE(n);
    std::vector<double> A(n * n, 0.0), w(n), V(n * n), work(n * n);
    // Distinct values in a scrambled order: diag[i] = (7 i mod n) - n / 2.
    for (std::size_t i = 0; i < n; ++i) {
      A[i * n + i] = static_cast<double>((7 * i) % n) - static_cast<double>(n / 2);
    }
    REQUIRE(linalg::eigh(A.data(), n, n, w.data(), V.data(), n, work.data()));
    for (std::size_t k = 0; k < n; ++k) {
      CHECK(w[k] == static_cast<double>(n - 1 - k) - static_cast<double>(n / 2));
      // The eigenvector of w[k] is the coordinate vector of the row holding that value.
      for (std::size_t i = 0; i < n; ++i) {
        CHECK(std::fabs(V[i * n + k]) == (A[i * n + i] == w[k] ? 1.0 : 0.0));
      }
    }
  }
}

TEST_CASE("eigh of Q diag(lambda) Q^T recovers lambda and the columns of Q up to sign") {
  for (std::size_t n :
       {std::size_t{2}, std::size_t{7}, std::size_t{16}, std::size_t{17}, std::size_t{30}}) {
    CAPTURE(n);
    const auto Q = random_orthogonal(n, static_cast<unsigned>(100 + n));
    // Descending, mixed signs, gaps of at least 0.75.
    std::vector<double> lambda(n);
    for (std::size_t k = 0; k < n; ++k) lambda[k] = 4.0 - 0.75 * static_cast<double>(k);
    const auto A = with_spectrum(Q, lambda);
    std::vector<double> w(n), V(n * n), work(n * n);
    REQUIRE(linalg::eigh(A.data(), n, n, w.data(), V.data(), n, work.data()));
    // Backward stable: eigenvalue errors of a few n eps ||A||, plus the same again from rounding
    // in forming A. Eigenvectors move by that over the gap (0.75).
    const double norm = max_abs(lambda);
    const double tol_w = 10 * n * kEps * norm;
    const double tol_v = 10 * n * kEps * norm / 0.75;
    for (std::size_t k = 0; k < n; ++k) {
      CAPTURE(k);
      CHECK(std::fabs(w[k] - lambda[k]) <= tol_w);
      double dot = 0;
      for (std::size_t i = 0; i < n; ++i) dot += V[i * n + k] * Q[i * n + k];
      const double sign = dot < 0 ? -1.0 : 1.0;
      double err = 0;
      for (std::size_t i = 0; i < n; ++i) {
        err = std::fmax(err, std::fabs(V[i * n + k] - sign * Q[i * n + k]));
      }
      CHECK(err <= tol_v);
    }
  }
}

TEST_CASE("eigh: A V = V diag(w), V^T V = I and w = the known spectrum for n = 1..40") {
  for (std::size_t n = 1; n <= 40; ++n) {
    for (int repeated = 0; repeated < 2; ++repeated) {
      CAPTURE(n);
      CAPTURE(repeated);
      std::mt19937 gen(static_cast<unsigned>(7 * n + repeated));
      std::normal_distribution<double> normal;
      // Either Gaussian eigenvalues or clusters of three equal ones (-4, -4, -4, -3, ...).
      std::vector<double> lambda(n);
      for (std::size_t k = 0; k < n; ++k) {
        lambda[k] = repeated ? static_cast<double>(k / 3) - 4.0 : 3 * normal(gen);
      }
      const auto Q = random_orthogonal(n, static_cast<unsigned>(1000 + 2 * n + repeated));
      const auto A = with_spectrum(Q, lambda);
      std::vector<double> w(n), V(n * n), work(n * n);
      REQUIRE(linalg::eigh(A.data(), n, n, w.data(), V.data(), n, work.data()));

      // Backward stability: residuals of a few n eps ||A||; orthogonality of a few n eps.
      const double norm = max_abs(lambda) + 1;
      double eig_res = 0, orth_res = 0;
      residuals(A, w, V, n, &eig_res, &orth_res);
      CHECK(eig_res <= 10 * n * kEps * norm);
      CHECK(orth_res <= 10 * n * kEps);

      // Sorted descending exactly (sort_descending compares the computed values themselves), and
      // trace(A) = sum(w) as similarity keeps the trace: a sum of n values each off by
      // ~n eps ||A||.
      double trace = 0, sum_w = 0;
      for (std::size_t k = 0; k < n; ++k) {
        if (k > 0) CHECK(w[k - 1] >= w[k]);
        trace += A[k * n + k];
        sum_w += w[k];
      }
      CHECK(std::fabs(trace - sum_w) <= 10 * n * n * kEps * norm);

      // The eigenvalues are the known spectrum, in descending order.
      std::vector<double> sorted(lambda);
      for (std::size_t i = 1; i < n; ++i) {
        for (std::size_t j = i; j > 0 && sorted[j - 1] < sorted[j]; --j) {
          std::swap(sorted[j - 1], sorted[j]);
        }
      }
      for (std::size_t k = 0; k < n; ++k)
        CHECK(std::fabs(w[k] - sorted[k]) <= 10 * n * kEps * norm);

      // Within a repeated eigenvalue only the eigenspace is defined: its projector
      // sum v v^T must equal the known one sum q q^T (clusters are 1 apart).
      if (repeated) {
        for (std::size_t c = 0; c < n; c += 3) {
          const double value = lambda[c];
          double err = 0;
          for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
              double p = 0, q = 0;
              for (std::size_t k = 0; k < n; ++k) {
                if (std::fabs(w[k] - value) < 0.5) p += V[i * n + k] * V[j * n + k];
                if (lambda[k] == value) q += Q[i * n + k] * Q[j * n + k];
              }
              err = std::fmax(err, std::fabs(p - q));
            }
          }
          CHECK(err <= 10 * n * kEps * norm);
        }
      }

      // The QL path (n > 16) and the Jacobi reference agree on the eigenvalues.
      std::vector<double> wj(n), Vj(n * n);
      REQUIRE(linalg::eigh_jacobi(A.data(), n, n, wj.data(), Vj.data(), n, work.data()));
      for (std::size_t k = 0; k < n; ++k) CHECK(std::fabs(wj[k] - w[k]) <= 10 * n * kEps * norm);
    }
  }
}

TEST_CASE("eigh of [[2, 1], [1, 2]] is 3, 1 with eigenvectors (1, 1) / sqrt 2, (1, -1) / sqrt 2") {
  // A 45-degree rotation diagonalises it: one Jacobi rotation with tau = 0, t = 1, c = s =
  // 1/sqrt 2.
  const double A[] = {2, 1, 1, 2};
  double w[2], V[4], work[4];
  REQUIRE(linalg::eigh(A, 2, 2, w, V, 2, work));
  CHECK(std::fabs(w[0] - 3) <= 4 * kEps);
  CHECK(std::fabs(w[1] - 1) <= 4 * kEps);
  const double h = std::sqrt(0.5);
  // Signs are arbitrary: compare |v_i| and the relative sign within each column.
  for (int i = 0; i < 2; ++i) {
    CHECK(std::fabs(std::fabs(V[i * 2 + 0]) - h) <= 4 * kEps);
    CHECK(std::fabs(std::fabs(V[i * 2 + 1]) - h) <= 4 * kEps);
  }
  CHECK(V[0] * V[2] > 0);  // column 0 along (1, 1)
  CHECK(V[1] * V[3] < 0);  // column 1 along (1, -1)
}

TEST_CASE(
    "eigh of random symmetric matrices (iid entries, n = 1..40, padded): AV = Vw, V^T V = I") {
  // Unlike the tests above the spectrum is not known, so the checks are the invariants every
  // correct decomposition satisfies: the residual, orthogonality, descending order, and the two
  // similarity invariants trace(A) = sum w and ||A||_F^2 = sum w^2. Leading dimensions are padded
  // with sentinels that both paths must leave alone (A) and not write (V).
  for (std::size_t n = 1; n <= 40; ++n) {
    CAPTURE(n);
    const std::size_t lda = n + 3, ldv = n + 2;
    std::mt19937 gen(static_cast<unsigned>(500 + n));
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    std::vector<double> A(n * n), Ap(n * lda, 7.0), w(n), Vp(n * ldv, 9.0), V(n * n), work(n * n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j <= i; ++j) {
        A[i * n + j] = A[j * n + i] = uniform(gen);
      }
    }
    // Sizes divisible by 6 get repeated eigenvalues: A = [[B, 0], [0, B]] with B its top-left
    // block has every eigenvalue of B twice, and any basis of each 2-D eigenspace is correct.
    if (n % 3 == 0 && n % 2 == 0) {
      const std::size_t h = n / 2;
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
          const bool same_block = (i < h) == (j < h);
          A[i * n + j] = same_block ? A[(i % h) * n + (j % h)] : 0.0;
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) Ap[i * lda + j] = A[i * n + j];
    }
    const std::vector<double> Ap_before(Ap);
    REQUIRE(linalg::eigh(Ap.data(), n, lda, w.data(), Vp.data(), ldv, work.data()));
    CHECK(Ap == Ap_before);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) V[i * n + j] = Vp[i * ldv + j];
      for (std::size_t j = n; j < ldv; ++j) CHECK(Vp[i * ldv + j] == 9.0);
    }
    // ||A||_2 <= ||A||_F <= n for entries in [-1, 1].
    double frob2 = 0, trace = 0, sum_w = 0, sum_w2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      trace += A[i * n + i];
      sum_w += w[i];
      sum_w2 += w[i] * w[i];
      for (std::size_t j = 0; j < n; ++j) frob2 += A[i * n + j] * A[i * n + j];
      if (i > 0) CHECK(w[i - 1] >= w[i]);
    }
    const double norm = std::sqrt(frob2);
    double eig_res = 0, orth_res = 0;
    residuals(A, w, V, n, &eig_res, &orth_res);
    CHECK(eig_res <= 10 * n * kEps * norm);
    CHECK(orth_res <= 10 * n * kEps);
    CHECK(std::fabs(trace - sum_w) <= 10 * n * n * kEps * norm);
    CHECK(std::fabs(frob2 - sum_w2) <= 10 * n * n * kEps * frob2);
    if (n % 3 == 0 && n % 2 == 0) {
      // The block-doubled matrix: eigenvalues come in equal pairs (w[0] = w[1], w[2] = w[3], ...).
      for (std::size_t k = 0; k + 1 < n; k += 2) {
        CHECK(std::fabs(w[k] - w[k + 1]) <= 10 * n * kEps * norm);
      }
    }
  }
}

TEST_CASE("eigh of the zero matrix gives zero eigenvalues and an orthonormal V on both paths") {
  // The QL path's Householder step has a scale == 0 branch and the Jacobi path an off == 0 exit:
  // neither may divide by zero.
  for (std::size_t n : {std::size_t{4}, std::size_t{20}}) {
    CAPTURE(n);
    std::vector<double> A(n * n, 0.0), w(n, 5.0), V(n * n), work(n * n);
    REQUIRE(linalg::eigh(A.data(), n, n, w.data(), V.data(), n, work.data()));
    double eig_res = 0, orth_res = 0;
    residuals(A, w, V, n, &eig_res, &orth_res);
    for (double x : w) CHECK(x == 0);
    CHECK(eig_res == 0);
    CHECK(orth_res <= 10 * n * kEps);
  }
}

TEST_CASE("eigh on n = 200 with a wide spectrum and padded leading dimensions") {
  const std::size_t n = 200, lda = 203, ldv = 201;
  const auto Q = random_orthogonal(n, 77);
  std::vector<double> lambda(n);
  // Eigenvalues 1e3 down to about 1e-3, with both signs.
  for (std::size_t k = 0; k < n; ++k) {
    lambda[k] = (k % 2 ? -1.0 : 1.0) * 1e3 / (1.0 + 5.0 * static_cast<double>(k * k));
  }
  const auto A = with_spectrum(Q, lambda);
  std::vector<double> Ap(n * lda, 7.0), w(n), Vp(n * ldv, 9.0), V(n * n), work(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) Ap[i * lda + j] = A[i * n + j];
  }
  REQUIRE(linalg::eigh(Ap.data(), n, lda, w.data(), Vp.data(), ldv, work.data()));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) V[i * n + j] = Vp[i * ldv + j];
    for (std::size_t j = n; j < ldv; ++j) REQUIRE(Vp[i * ldv + j] == 9.0);  // padding untouched
  }
  double eig_res = 0, orth_res = 0;
  residuals(A, w, V, n, &eig_res, &orth_res);
  CHECK(eig_res <= 10 * n * kEps * 1e3);
  CHECK(orth_res <= 10 * n * kEps);
  for (std::size_t k = 1; k < n; ++k) CHECK(w[k - 1] >= w[k]);
  CHECK(std::fabs(w[0] - 1e3) <= 10 * n * kEps * 1e3);
  CHECK(std::fabs(w[n - 1] - lambda[1]) <= 10 * n * kEps * 1e3);
}

TEST_CASE("eigh rejects NaN and Inf on both paths") {
  for (std::size_t n : {std::size_t{3}, std::size_t{20}}) {
    for (double bad : {std::nan(""), HUGE_VAL}) {
      CAPTURE(n);
      CAPTURE(bad);
      std::vector<double> A(n * n, 0.0), w(n), V(n * n), work(n * n);
      for (std::size_t i = 0; i < n; ++i) A[i * n + i] = 1;
      A[(n - 1) * n + 1] = bad;  // lower triangle: the part eigh reads
      CHECK_FALSE(linalg::eigh(A.data(), n, n, w.data(), V.data(), n, work.data()));
    }
  }
}

TEST_CASE("cholesky factors a hand-computed 3 x 3 and solves it exactly") {
  // A = L L^T with L = [[2,0,0],[1,3,0],[-1,2,1]]; x = (1, -2, 3) gives b = A x = (-6, -3, 6).
  std::vector<double> A = {4, 2, -2, 2, 10, 5, -2, 5, 6};
  std::vector<double> b = {-6, -3, 6};
  REQUIRE(linalg::cholesky(A.data(), 3, 3));
  // Every intermediate is a small integer, so the factor and the solution are exact.
  const double L[] = {2, 0, 0, 1, 3, 0, -1, 2, 1};
  for (int i = 0; i < 9; ++i) CHECK(A[i] == L[i]);
  linalg::cholesky_solve(A.data(), 3, 3, b.data());
  CHECK(b[0] == 1);
  CHECK(b[1] == -2);
  CHECK(b[2] == 3);
}

TEST_CASE("cholesky: L L^T = A and a small residual on random SPD n = 50 (padded)") {
  const std::size_t n = 50, lda = 53;
  std::mt19937 gen(5);
  std::normal_distribution<double> normal;
  std::vector<double> B(n * n), S(n * n, 0.0), rhs(n), x(n);
  for (double& v : B) v = normal(gen);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t k = 0; k < n; ++k) S[i * n + j] += B[i * n + k] * B[j * n + k];
    }
    S[i * n + i] += 1;  // SPD, condition number in the thousands
    rhs[i] = normal(gen);
  }
  std::vector<double> L(n * lda, -1.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) L[i * lda + j] = S[i * n + j];
  }
  REQUIRE(linalg::cholesky(L.data(), n, lda));
  double normS = 0, normx = 0;
  for (double v : S) normS = std::fmax(normS, std::fabs(v));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (j > i) CHECK(L[i * lda + j] == 0);  // strict upper triangle zeroed
      double llt = 0;
      for (std::size_t k = 0; k < n; ++k) llt += L[i * lda + k] * L[j * lda + k];
      // Cholesky is backward stable: L L^T = A + E with |E| <~ n eps |L| |L^T| <= n eps n ||A||.
      CHECK(std::fabs(llt - S[i * n + j]) <= 4 * n * kEps * normS);
    }
  }
  x = rhs;
  linalg::cholesky_solve(L.data(), n, lda, x.data());
  for (double v : x) normx = std::fmax(normx, std::fabs(v));
  for (std::size_t i = 0; i < n; ++i) {
    double r = 0;
    for (std::size_t j = 0; j < n; ++j) r += S[i * n + j] * x[j];
    // Backward stable solve: ||A x - b|| <~ c n eps ||A|| ||x|| (row sums bound by n ||A||_max).
    CHECK(std::fabs(r - rhs[i]) <= 4 * n * n * kEps * normS * normx);
  }
}

TEST_CASE("cholesky rejects indefinite, singular and NaN matrices") {
  std::vector<double> indefinite = {1, 2, 2, 1};
  CHECK_FALSE(linalg::cholesky(indefinite.data(), 2, 2));
  std::vector<double> singular = {1, 1, 1, 1};
  CHECK_FALSE(linalg::cholesky(singular.data(), 2, 2));
  std::vector<double> nan = {1, 0, std::nan(""), 1};
  CHECK_FALSE(linalg::cholesky(nan.data(), 2, 2));
}

TEST_CASE("orthonormalize_columns: Q^T Q = I, the span is kept, dependent columns become zero") {
  const std::size_t n = 20, k = 7, ldq = 9;
  std::mt19937 gen(11);
  std::normal_distribution<double> normal;
  std::vector<double> Q(n * ldq, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t c = 0; c < k; ++c) Q[i * ldq + c] = normal(gen);
    Q[i * ldq + 3] = 2 * Q[i * ldq + 0] - Q[i * ldq + 2];  // column 3 depends on 0 and 2
    Q[i * ldq + 5] = 0;                                    // column 5 is zero
    Q[i * ldq + k] = 42;                                   // padding: must stay
    Q[i * ldq + k + 1] = 43;
  }
  const std::vector<double> original(Q);
  CHECK(linalg::orthonormalize_columns(Q.data(), n, k, ldq) == 5);
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(Q[i * ldq + k] == 42);
    CHECK(Q[i * ldq + k + 1] == 43);
    CHECK(Q[i * ldq + 3] == 0);
    CHECK(Q[i * ldq + 5] == 0);
  }
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = 0; b < k; ++b) {
      double dot = 0;
      for (std::size_t i = 0; i < n; ++i) dot += Q[i * ldq + a] * Q[i * ldq + b];
      const double want = (a == b && a != 3 && a != 5) ? 1.0 : 0.0;
      // Gram-Schmidt applied twice is orthogonal to a few n eps whatever the conditioning.
      CHECK(std::fabs(dot - want) <= 10 * n * kEps);
    }
  }
  // Every original column lies in the span of the result: projecting it changes nothing.
  for (std::size_t a = 0; a < k; ++a) {
    double norm = 0;
    for (std::size_t i = 0; i < n; ++i) norm += original[i * ldq + a] * original[i * ldq + a];
    for (std::size_t i = 0; i < n; ++i) {
      double proj = 0;
      for (std::size_t b = 0; b < k; ++b) {
        double c = 0;
        for (std::size_t j = 0; j < n; ++j) c += original[j * ldq + a] * Q[j * ldq + b];
        proj += c * Q[i * ldq + b];
      }
      CHECK(std::fabs(proj - original[i * ldq + a]) <= 10 * n * kEps * (std::sqrt(norm) + 1));
    }
  }
  // The first column is only normalised (Gram-Schmidt keeps the leading direction).
  double norm0 = 0;
  for (std::size_t i = 0; i < n; ++i) norm0 += original[i * ldq] * original[i * ldq];
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(std::fabs(Q[i * ldq] - original[i * ldq] / std::sqrt(norm0)) <= 4 * kEps);
  }
}

TEST_CASE("orthonormalize_rows: orthonormal rows spanning the input; the 1e-12 cut-off") {
  // Rows: a, b, a + 2b (dependent), c.
  std::vector<double> Q = {1, 2, 0, 1, 0, 1, 1, 0, 1, 4, 2, 1, 3, 0, 0, 1};
  const std::vector<double> original(Q);
  CHECK(linalg::orthonormalize_rows(Q.data(), 4, 4, 4) == 3);
  for (int k = 0; k < 4; ++k) {
    for (int l = 0; l < 4; ++l) {
      double dot = 0;
      for (int j = 0; j < 4; ++j) dot += Q[k * 4 + j] * Q[l * 4 + j];
      const double want = (k == l && k != 2) ? 1.0 : 0.0;
      CHECK(std::fabs(dot - want) <= 1e-14);
    }
  }
  for (int k = 0; k < 4; ++k) {
    for (int j = 0; j < 4; ++j) {
      double proj = 0;
      for (int l = 0; l < 4; ++l) {
        double c = 0;
        for (int q = 0; q < 4; ++q) c += original[k * 4 + q] * Q[l * 4 + q];
        proj += c * Q[l * 4 + j];
      }
      CHECK(std::fabs(proj - original[k * 4 + j]) <= 1e-13);
    }
  }
  // Row 1 = row 0 + delta e (random a and e in R^8, e orthogonal to a, |a| = |e| = 1): its
  // residual has relative norm ~delta. Kept above the 1e-12 cut-off, zeroed below (rounding in
  // removing row 0 is ~1e-16, far from both).
  std::mt19937 gen(21);
  std::normal_distribution<double> normal;
  const std::size_t d = 8;
  std::vector<double> a(d), e(d);
  double aa = 0, ae = 0, ee = 0;
  for (std::size_t j = 0; j < d; ++j) {
    a[j] = normal(gen);
    e[j] = normal(gen);
    aa += a[j] * a[j];
  }
  for (std::size_t j = 0; j < d; ++j) a[j] /= std::sqrt(aa);
  for (std::size_t j = 0; j < d; ++j) ae += a[j] * e[j];
  for (std::size_t j = 0; j < d; ++j) e[j] -= ae * a[j];
  for (std::size_t j = 0; j < d; ++j) ee += e[j] * e[j];
  for (std::size_t j = 0; j < d; ++j) e[j] /= std::sqrt(ee);
  for (double delta : {1e-10, 1e-15}) {
    CAPTURE(delta);
    std::vector<double> R(2 * d);
    for (std::size_t j = 0; j < d; ++j) {
      R[j] = a[j];
      R[d + j] = a[j] + delta * e[j];
    }
    const std::size_t kept = linalg::orthonormalize_rows(R.data(), 2, d, d);
    CHECK(kept == (delta > 1e-12 ? 2u : 1u));
    double dot = 0, norm = 0;
    for (std::size_t j = 0; j < d; ++j) {
      dot += R[j] * R[d + j];
      norm += R[d + j] * R[d + j];
    }
    if (kept == 2) {
      // One Gram-Schmidt pass leaves row 1 with rounding of ~1e-16 / delta = 1e-6 along row 0;
      // the second pass brings that down to rounding.
      CHECK(std::fabs(dot) <= 1e-14);
      CHECK(std::fabs(norm - 1) <= 1e-14);
    } else {
      CHECK(norm == 0);
    }
  }
}
