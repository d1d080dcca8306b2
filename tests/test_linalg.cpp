#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "linalg.hpp"

namespace linalg = mimkit::linalg;

namespace {

std::vector<double> random_symmetric(std::size_t n, unsigned seed, bool repeated) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  // Q diag(lambda) Q^T with Q from Gram-Schmidt of a Gaussian matrix: known eigenvalues.
  std::vector<double> Q(n * n);
  for (double& q : Q) q = normal(gen);
  linalg::orthonormalize_columns(Q.data(), n, n, n);
  std::vector<double> A(n * n, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    const double lambda = repeated ? static_cast<double>(k / 3) : normal(gen) * 3;
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) A[i * n + j] += lambda * Q[i * n + k] * Q[j * n + k];
    }
  }
  return A;
}

double trace(const std::vector<double>& A, std::size_t n) {
  double t = 0;
  for (std::size_t i = 0; i < n; ++i) t += A[i * n + i];
  return t;
}

}  // namespace

TEST_CASE("eigh of a diagonal matrix returns its entries, sorted, with unit vectors") {
  const double diag[] = {0.5, -2.0, 3.0, 1.0};
  std::vector<double> A(16, 0.0), w(4), V(16), work(16);
  for (int i = 0; i < 4; ++i) A[i * 4 + i] = diag[i];
  REQUIRE(linalg::eigh(A.data(), 4, 4, w.data(), V.data(), 4, work.data()));
  CHECK(w[0] == 3.0);
  CHECK(w[1] == 1.0);
  CHECK(w[2] == 0.5);
  CHECK(w[3] == -2.0);
  CHECK(std::fabs(V[2 * 4 + 0]) == doctest::Approx(1.0));
}

TEST_CASE("eigh satisfies A V = V diag(w), V^T V = I, trace = sum(w) for n = 1..40 (both paths)") {
  for (std::size_t n = 1; n <= 40; n += 3) {
    for (int repeated = 0; repeated < 2; ++repeated) {
      CAPTURE(n);
      CAPTURE(repeated);
      const auto A = random_symmetric(n, static_cast<unsigned>(n * 7 + repeated), repeated != 0);
      std::vector<double> w(n), V(n * n), work(n * n);
      REQUIRE(linalg::eigh(A.data(), n, n, w.data(), V.data(), n, work.data()));
      double scale = 0, sum = 0;
      for (std::size_t k = 0; k < n; ++k) {
        scale = std::fmax(scale, std::fabs(w[k]));
        sum += w[k];
        if (k > 0) CHECK(w[k - 1] >= w[k]);
      }
      // Backward-stable solvers: residuals of a few n eps ||A||.
      const double tol = 1e-13 * n * (scale + 1);
      CHECK(std::fabs(sum - trace(A, n)) <= tol);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < n; ++k) {
          double av = 0, vv = 0;
          for (std::size_t j = 0; j < n; ++j) {
            av += A[i * n + j] * V[j * n + k];
            vv += V[j * n + i] * V[j * n + k];
          }
          REQUIRE(std::fabs(av - w[k] * V[i * n + k]) <= tol);
          REQUIRE(std::fabs(vv - (i == k ? 1.0 : 0.0)) <= 1e-12 * n);
        }
      }
      // The QL path (n > 16) and the Jacobi reference agree on the eigenvalues.
      std::vector<double> wj(n), Vj(n * n);
      REQUIRE(linalg::eigh_jacobi(A.data(), n, n, wj.data(), Vj.data(), n, work.data()));
      for (std::size_t k = 0; k < n; ++k) CHECK(std::fabs(wj[k] - w[k]) <= tol);
    }
  }
}

TEST_CASE("eigh rejects NaN input") {
  std::vector<double> A = {1, NAN, NAN, 1}, w(2), V(4), work(4);
  CHECK_FALSE(linalg::eigh(A.data(), 2, 2, w.data(), V.data(), 2, work.data()));
}

TEST_CASE("cholesky solves a hand-computed system and random SPD systems; rejects indefinite") {
  // A = L L^T with L = [[2,0,0],[1,3,0],[-1,2,1]]; x = (1, -2, 3) gives b = A x.
  std::vector<double> A = {4, 2, -2, 2, 10, 5, -2, 5, 6};
  std::vector<double> b = {4 * 1 + 2 * -2 + -2 * 3, 2 * 1 + 10 * -2 + 5 * 3,
                           -2 * 1 + 5 * -2 + 6 * 3};
  REQUIRE(linalg::cholesky(A.data(), 3, 3));
  CHECK(A[0] == doctest::Approx(2));
  CHECK(A[3] == doctest::Approx(1));
  CHECK(A[4] == doctest::Approx(3));
  CHECK(A[6] == doctest::Approx(-1));
  CHECK(A[7] == doctest::Approx(2));
  CHECK(A[8] == doctest::Approx(1));
  linalg::cholesky_solve(A.data(), 3, 3, b.data());
  CHECK(b[0] == doctest::Approx(1));
  CHECK(b[1] == doctest::Approx(-2));
  CHECK(b[2] == doctest::Approx(3));

  const std::size_t n = 50;
  std::mt19937 gen(5);
  std::normal_distribution<double> normal;
  std::vector<double> B(n * n), S(n * n, 0.0), rhs(n), x(n);
  for (double& v : B) v = normal(gen);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t k = 0; k < n; ++k) S[i * n + j] += B[i * n + k] * B[j * n + k];
    }
    S[i * n + i] += n;
    rhs[i] = normal(gen);
  }
  std::vector<double> L(S);
  x = rhs;
  REQUIRE(linalg::cholesky(L.data(), n, n));
  linalg::cholesky_solve(L.data(), n, n, x.data());
  for (std::size_t i = 0; i < n; ++i) {
    double r = 0;
    for (std::size_t j = 0; j < n; ++j) r += S[i * n + j] * x[j];
    CHECK(std::fabs(r - rhs[i]) <= 1e-10 * n);
  }
  std::vector<double> indefinite = {1, 2, 2, 1};
  CHECK_FALSE(linalg::cholesky(indefinite.data(), 2, 2));
}

TEST_CASE("orthonormalisation keeps the span and zeroes dependent vectors") {
  // Rows: a, b, a + 2b (dependent), c.
  std::vector<double> Q = {1, 2, 0, 1, 0, 1, 1, 0, 1, 4, 2, 1, 3, 0, 0, 1};
  const std::vector<double> original(Q);
  const std::size_t kept = linalg::orthonormalize_rows(Q.data(), 4, 4, 4);
  CHECK(kept == 3);
  for (int k = 0; k < 4; ++k) {
    for (int l = 0; l < 4; ++l) {
      double dot = 0;
      for (int j = 0; j < 4; ++j) dot += Q[k * 4 + j] * Q[l * 4 + j];
      const double want = (k == l && k != 2) ? 1.0 : 0.0;
      CHECK(std::fabs(dot - want) <= 1e-14);
    }
  }
  // Every original row lies in the span of the result: its projection is itself.
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
}
