#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "linalg.hpp"
#include "mimkit/metrics.hpp"

using mimkit::SubspaceMetrics;

namespace {

// An orthonormal basis of R^d (rows) from a seed; rows 0..r-1 play U, the rest are orthogonal.
std::vector<double> basis(std::size_t d, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  std::vector<double> Q(d * d);
  for (double& q : Q) q = normal(gen);
  mimkit::linalg::orthonormalize_rows(Q.data(), d, d, d);
  return Q;
}

}  // namespace

TEST_CASE_TEMPLATE("alignment is 1 inside span U, 0 orthogonal to it, cos^2 t in between", T, float,
                   double) {
  const std::size_t d = 12, r = 2;
  const auto Q = basis(d, 1);
  std::vector<T> U(Q.begin(), Q.begin() + r * d), W(3 * d);
  const double tol = sizeof(T) == 4 ? 1e-6 : 1e-13;
  for (std::size_t j = 0; j < d; ++j) {
    W[j] = static_cast<T>(Q[j]);
    W[d + j] = static_cast<T>(Q[d + j] - 2 * Q[j]);
    W[2 * d + j] = static_cast<T>(0.5 * Q[d + j]);
  }
  CHECK(mimkit::alignment(W.data(), 3, d, d, U.data(), r) == doctest::Approx(1).epsilon(tol));
  for (std::size_t j = 0; j < 3 * d; ++j) W[j] = static_cast<T>(Q[(5 + j / d) * d + j % d]);
  CHECK(std::fabs(mimkit::alignment(W.data(), 3, d, d, U.data(), r)) <= tol);
  const double t = 0.7;
  for (std::size_t j = 0; j < d; ++j)
    W[j] = static_cast<T>(std::cos(t) * Q[j] + std::sin(t) * Q[4 * d + j]);
  CHECK(mimkit::alignment(W.data(), 1, d, d, U.data(), r) ==
        doctest::Approx(std::cos(t) * std::cos(t)).epsilon(10 * tol));
  std::vector<T> zero(d, T(0));
  CHECK(mimkit::alignment(zero.data(), 1, d, d, U.data(), r) == 0);
}

TEST_CASE("principal cosines are the cosines of known angles, sorted, with the distance") {
  const std::size_t d = 10, r = 3;
  const auto Q = basis(d, 2);
  const double angles[] = {0.3, 1.2, 0.0};
  std::vector<double> V(r * d);
  for (std::size_t k = 0; k < r; ++k) {
    for (std::size_t j = 0; j < d; ++j) {
      V[k * d + j] = std::cos(angles[k]) * Q[k * d + j] + std::sin(angles[k]) * Q[(r + k) * d + j];
    }
  }
  const SubspaceMetrics m = mimkit::compare_subspaces(Q.data(), V.data(), r, d);
  CHECK(m.cosines[0] == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(m.cosines[1] == doctest::Approx(std::cos(0.3)).epsilon(1e-12));
  CHECK(m.cosines[2] == doctest::Approx(std::cos(1.2)).epsilon(1e-12));
  CHECK(m.min_cosine == m.cosines[2]);
  CHECK(m.subspace_distance == doctest::Approx(std::sin(1.2)).epsilon(1e-12));
  for (std::size_t k = 0; k < r; ++k) {
    CHECK(m.per_direction[k] == doctest::Approx(std::cos(angles[k])).epsilon(1e-12));
  }
}

TEST_CASE("the same subspace gives cosines 1 whatever its basis; an orthogonal one gives 0") {
  const std::size_t d = 9, r = 2;
  const auto Q = basis(d, 3);
  std::vector<double> rotated(r * d), orthogonal(r * d);
  for (std::size_t j = 0; j < d; ++j) {
    rotated[j] = 0.6 * Q[j] + 0.8 * Q[d + j];
    rotated[d + j] = -0.8 * Q[j] + 0.6 * Q[d + j];
    orthogonal[j] = Q[4 * d + j];
    orthogonal[d + j] = Q[7 * d + j];
  }
  const SubspaceMetrics same = mimkit::compare_subspaces(Q.data(), rotated.data(), r, d);
  CHECK(same.min_cosine == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(same.subspace_distance < 1e-6);
  const SubspaceMetrics none = mimkit::compare_subspaces(Q.data(), orthogonal.data(), r, d);
  CHECK(none.cosines[0] < 1e-12);
  CHECK(none.subspace_distance == doctest::Approx(1.0));
}

TEST_CASE_TEMPLATE("weight metrics: W inside span U recovers it; a rank-1 W is a collapse", T,
                   float, double) {
  const std::size_t d = 30, r = 3, m = 10;
  const auto Q = basis(d, 4);
  std::vector<T> U(r * d);
  for (std::size_t i = 0; i < r * d; ++i) U[i] = static_cast<T>(Q[i]);
  std::mt19937 gen(9);
  std::normal_distribution<double> normal;
  std::vector<T> W(m * d);
  for (std::size_t i = 0; i < m; ++i) {
    const double c[] = {normal(gen), normal(gen), normal(gen)};
    for (std::size_t j = 0; j < d; ++j) {
      W[i * d + j] = static_cast<T>(c[0] * Q[j] + c[1] * Q[d + j] + c[2] * Q[2 * d + j]);
    }
  }
  const std::size_t need = mimkit::metrics_workspace(m, d, r);
  std::vector<double> work(need + 64, -12345.0);  // a guard region past the workspace
  SubspaceMetrics sm;
  REQUIRE(mimkit::weight_metrics(W.data(), m, d, d, U.data(), r, work.data(), &sm).ok());
  const double tol = sizeof(T) == 4 ? 1e-4 : 1e-10;
  CHECK(sm.min_cosine == doctest::Approx(1.0).epsilon(tol));
  for (std::size_t i = need; i < work.size(); ++i) REQUIRE(work[i] == -12345.0);

  // Every row a multiple of u1: the top direction is found, the others are missing.
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < d; ++j) W[i * d + j] = static_cast<T>((1.0 + i) * Q[j]);
  }
  REQUIRE(mimkit::weight_metrics(W.data(), m, d, d, U.data(), r, work.data(), &sm).ok());
  CHECK(sm.cosines[0] == doctest::Approx(1.0).epsilon(tol));
  CHECK(sm.min_cosine < 1e-3);
  CHECK(sm.per_direction[0] == doctest::Approx(1.0).epsilon(tol));

  W[5] = static_cast<T>(NAN);
  CHECK(mimkit::weight_metrics(W.data(), m, d, d, U.data(), r, work.data(), &sm).code() ==
        mimkit::Code::numerical_error);
}
