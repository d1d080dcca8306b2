#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "mimkit/metrics.hpp"

using mimkit::SubspaceMetrics;

namespace {

// W = sum_p scale[p] L_p (x) Q_dir[p] (m x d), from rows of an m- and a d-dimensional basis: a
// matrix with known singular values scale and right singular vectors Q_dir[p].
std::vector<double> from_singular(const std::vector<double>& L, std::size_t m,
                                  const std::vector<double>& Q, std::size_t d, const double* scale,
                                  const std::size_t* dir, std::size_t count) {
  std::vector<double> W(m * d, 0.0);
  for (std::size_t p = 0; p < count; ++p) {
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < d; ++j)
        W[i * d + j] += scale[p] * L[p * m + i] * Q[dir[p] * d + j];
    }
  }
  return W;
}

// An orthonormal basis of R^d (rows) by classical Gram-Schmidt run twice, written here so the
// metric tests do not depend on linalg. Rows 0..r-1 play U, the others are orthogonal to it.
std::vector<double> basis(std::size_t d, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  std::vector<double> Q(d * d);
  for (double& q : Q) q = normal(gen);
  for (std::size_t k = 0; k < d; ++k) {
    double* qk = &Q[k * d];
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t l = 0; l < k; ++l) {
        double dot = 0;
        for (std::size_t j = 0; j < d; ++j) dot += qk[j] * Q[l * d + j];
        for (std::size_t j = 0; j < d; ++j) qk[j] -= dot * Q[l * d + j];
      }
    }
    double norm = 0;
    for (std::size_t j = 0; j < d; ++j) norm += qk[j] * qk[j];
    for (std::size_t j = 0; j < d; ++j) qk[j] /= std::sqrt(norm);
  }
  return Q;
}

template <class T>
std::vector<T> cast(const double* x, std::size_t count) {
  std::vector<T> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<T>(x[i]);
  return out;
}

// W = sum_k s[k] a_k v_k^T (m x d), a_k = row k of an orthonormal basis of R^m: a matrix whose
// singular values are s and whose right singular vectors are the v_k (rows of Vt).
std::vector<double> with_svd(std::size_t m, std::size_t d, const std::vector<double>& s,
                             const std::vector<double>& Vt, unsigned seed) {
  const auto A = basis(m, seed);
  std::vector<double> W(m * d, 0.0);
  for (std::size_t k = 0; k < s.size(); ++k) {
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < d; ++j) W[i * d + j] += s[k] * A[k * m + i] * Vt[k * d + j];
    }
  }
  return W;
}

template <class T>
SubspaceMetrics run_weight_metrics(const std::vector<T>& W, std::size_t m, std::size_t d,
                                   const std::vector<T>& U, std::size_t r) {
  const std::size_t need = mimkit::metrics_workspace(m, d, r);
  std::vector<double> work(need + 64, -12345.0);  // a guard region past the workspace
  SubspaceMetrics sm;
  const mimkit::Status status =
      mimkit::weight_metrics(W.data(), m, d, d, U.data(), r, work.data(), &sm);
  REQUIRE(status.ok());
  for (std::size_t i = need; i < work.size(); ++i) REQUIRE(work[i] == -12345.0);
  return sm;
}

}  // namespace

TEST_CASE_TEMPLATE("alignment is 1 inside span U, 0 orthogonal to it, cos^2 t in between", T, float,
                   double) {
  const std::size_t d = 12, r = 2, ldw = 15;
  const auto Q = basis(d, 1);
  const auto U = cast<T>(Q.data(), r * d);
  // Inputs rounded to float carry ~6e-8 relative error: alignment is a ratio of sums of squares
  // of such values, so it is off by ~1e-7 in float; in double the error is ~1e-15.
  const double tol = sizeof(T) == 4 ? 1e-6 : 1e-13;
  // Padding columns hold garbage that alignment must not read.
  std::vector<T> W(3 * ldw, T(1000));
  for (std::size_t j = 0; j < d; ++j) {
    W[j] = static_cast<T>(Q[j]);
    W[ldw + j] = static_cast<T>(Q[d + j] - 2 * Q[j]);
    W[2 * ldw + j] = static_cast<T>(0.5 * Q[d + j]);
  }
  CHECK(mimkit::alignment(W.data(), 3, d, ldw, U.data(), r) == doctest::Approx(1).epsilon(tol));

  // Rows along basis vectors 5, 6, 7: W U^T = 0 up to the rounding of the float inputs, whose
  // square is below 1e-12.
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < d; ++j) W[i * ldw + j] = static_cast<T>(Q[(5 + i) * d + j]);
  }
  CHECK(mimkit::alignment(W.data(), 3, d, ldw, U.data(), r) <= tol * tol);

  // Row i = c_i (cos t_i u_1 + sin t_i e_i), e_i orthogonal to U: the share of mass inside U is
  // sum c_i^2 cos^2 t_i / sum c_i^2.
  const double t[] = {0.7, 0.2, 1.4}, c[] = {1.0, 3.0, 0.5};
  double inside = 0, total = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      W[i * ldw + j] = static_cast<T>(
          c[i] * (std::cos(t[i]) * Q[(i == 1 ? d : 0) + j] + std::sin(t[i]) * Q[(4 + i) * d + j]));
    }
    inside += c[i] * c[i] * std::cos(t[i]) * std::cos(t[i]);
    total += c[i] * c[i];
  }
  CHECK(mimkit::alignment(W.data(), 1, d, ldw, U.data(), r) ==
        doctest::Approx(std::cos(t[0]) * std::cos(t[0])).epsilon(tol));
  CHECK(mimkit::alignment(W.data(), 3, d, ldw, U.data(), r) ==
        doctest::Approx(inside / total).epsilon(tol));

  std::vector<T> zero(d, T(0));
  CHECK(mimkit::alignment(zero.data(), 1, d, d, U.data(), r) == 0);
}

TEST_CASE("principal cosines of known angles: sorted cosines, distance sin t_max, per direction") {
  const std::size_t d = 10, r = 3;
  const auto Q = basis(d, 2);
  // v_k = cos t_k u_k + sin t_k e_k with u_k, e_k orthonormal: the principal angles are exactly
  // the t_k and P_V u_k = cos t_k v_k. Errors are a few eps (cosines of M M^T's eigenvalues).
  const double angles[] = {0.3, 1.2, 0.0};
  std::vector<double> V(r * d);
  for (std::size_t k = 0; k < r; ++k) {
    for (std::size_t j = 0; j < d; ++j) {
      V[k * d + j] = std::cos(angles[k]) * Q[k * d + j] + std::sin(angles[k]) * Q[(r + k) * d + j];
    }
  }
  const SubspaceMetrics m = mimkit::compare_subspaces(Q.data(), V.data(), r, d);
  CHECK(m.r == r);
  CHECK(std::fabs(m.cosines[0] - 1.0) <= 1e-14);
  CHECK(std::fabs(m.cosines[1] - std::cos(0.3)) <= 1e-14);
  CHECK(std::fabs(m.cosines[2] - std::cos(1.2)) <= 1e-14);
  CHECK(m.min_cosine == m.cosines[2]);
  CHECK(std::fabs(m.subspace_distance - std::sin(1.2)) <= 1e-14);
  for (std::size_t k = 0; k < r; ++k) {
    CHECK(std::fabs(m.per_direction[k] - std::cos(angles[k])) <= 1e-14);
  }
  // Entries past r are left at their defaults.
  CHECK(m.cosines[r] == 0);
  CHECK(m.per_direction[r] == 0);
}

TEST_CASE("the same subspace in any basis gives cosines 1; an orthogonal one gives 0") {
  const std::size_t d = 9, r = 2;
  const auto Q = basis(d, 3);
  std::vector<double> rotated(r * d), orthogonal(r * d);
  for (std::size_t j = 0; j < d; ++j) {
    rotated[j] = 0.6 * Q[j] + 0.8 * Q[d + j];
    rotated[d + j] = -0.8 * Q[j] + 0.6 * Q[d + j];
    orthogonal[j] = Q[4 * d + j];
    orthogonal[d + j] = Q[7 * d + j];
  }
  const std::vector<double>* same_span[] = {&Q, &rotated};
  for (const std::vector<double>* V : same_span) {
    const SubspaceMetrics same = mimkit::compare_subspaces(Q.data(), V->data(), r, d);
    for (std::size_t k = 0; k < r; ++k) {
      CHECK(std::fabs(same.cosines[k] - 1) <= 1e-14);
      CHECK(std::fabs(same.per_direction[k] - 1) <= 1e-14);
    }
    // sqrt(1 - c^2) turns a 1e-15 error of c into ~5e-8.
    CHECK(same.subspace_distance <= 1e-7);
  }
  const SubspaceMetrics none = mimkit::compare_subspaces(Q.data(), orthogonal.data(), r, d);
  CHECK(none.cosines[0] <= 1e-7);  // sqrt of an eigenvalue that is 0 up to 1e-16
  CHECK(none.min_cosine <= 1e-7);
  CHECK(none.per_direction[0] <= 1e-14);
  CHECK(none.per_direction[1] <= 1e-14);
  CHECK(none.subspace_distance == doctest::Approx(1.0).epsilon(1e-14));
}

TEST_CASE("compare_subspaces: a zero row of V is a missing direction; r = kMaxR; bad input") {
  const std::size_t d = 70, r = mimkit::Link::kMaxR;
  const auto Q = basis(d, 6);
  // V = U with rows 0 and 1 rotated by 45 degrees inside span U, then row 1 zeroed: the plane
  // of u_0, u_1 keeps one direction, (u_0 + u_1) / sqrt 2.
  std::vector<double> V(Q.begin(), Q.begin() + r * d);
  for (std::size_t j = 0; j < d; ++j) {
    V[j] = (Q[j] + Q[d + j]) / std::sqrt(2.0);
    V[d + j] = 0;
  }
  const SubspaceMetrics m = mimkit::compare_subspaces(Q.data(), V.data(), r, d);
  CHECK(m.r == r);
  for (std::size_t k = 0; k + 1 < r; ++k) CHECK(std::fabs(m.cosines[k] - 1) <= 1e-12);
  CHECK(m.min_cosine <= 1e-7);
  CHECK(std::fabs(m.subspace_distance - 1) <= 1e-12);
  CHECK(std::fabs(m.per_direction[0] - std::sqrt(0.5)) <= 1e-14);
  CHECK(std::fabs(m.per_direction[1] - std::sqrt(0.5)) <= 1e-14);
  for (std::size_t k = 2; k < r; ++k) CHECK(std::fabs(m.per_direction[k] - 1) <= 1e-14);

  // r outside 1..kMaxR: the empty result.
  CHECK(mimkit::compare_subspaces(Q.data(), V.data(), 0, d).r == 0);
  CHECK(mimkit::compare_subspaces(Q.data(), V.data(), r + 1, 1).r == 0);

  // NaN input must not read as recovery.
  V[5] = std::nan("");
  const SubspaceMetrics bad = mimkit::compare_subspaces(Q.data(), V.data(), 2, d);
  CHECK(std::isnan(bad.min_cosine));
  CHECK(std::isnan(bad.subspace_distance));
  CHECK(std::isnan(bad.per_direction[0]));
}

TEST_CASE_TEMPLATE("weight_metrics: rows of W in span U recover it, for m < d and m > d", T, float,
                   double) {
  // In float, W and U are rounded (6e-8 relative), so span V and span U differ by ~1e-7 rad:
  // cosines ~1 - 1e-14, but U's rounded rows have norms 1 +- 1e-7, so M M^T's eigenvalues, and
  // the cosines, may sit 1e-7 below 1, which sqrt(1 - c^2) turns into a distance of ~5e-4.
  const double tol = sizeof(T) == 4 ? 1e-6 : 1e-12;
  const double dist_tol = sizeof(T) == 4 ? 2e-3 : 2e-6;
  for (std::size_t m : {std::size_t{10}, std::size_t{50}}) {
    CAPTURE(m);
    const std::size_t d = 30, r = 3;
    const auto Q = basis(d, 4);
    const auto U = cast<T>(Q.data(), r * d);
    std::mt19937 gen(9);
    std::normal_distribution<double> normal;
    std::vector<double> Wd(m * d);
    for (std::size_t i = 0; i < m; ++i) {
      const double c[] = {normal(gen), normal(gen), normal(gen)};
      for (std::size_t j = 0; j < d; ++j) {
        Wd[i * d + j] = c[0] * Q[j] + c[1] * Q[d + j] + c[2] * Q[2 * d + j];
      }
    }
    const SubspaceMetrics sm = run_weight_metrics(cast<T>(Wd.data(), m * d), m, d, U, r);
    for (std::size_t k = 0; k < r; ++k) {
      CHECK(std::fabs(sm.cosines[k] - 1) <= tol);
      CHECK(std::fabs(sm.per_direction[k] - 1) <= tol);
    }
    CHECK(sm.subspace_distance <= dist_tol);
  }
}

TEST_CASE_TEMPLATE("weight_metrics finds the top-r right singular subspace: known angles", T, float,
                   double) {
  // W = sum_k s_k a_k v_k^T with v_k = cos t_k u_k + sin t_k e_k (k < r) and a weaker fourth
  // component along a direction f orthogonal to everything: the top-r right singular subspace is
  // span{v_k}, whose principal cosines with U are the cos t_k. Perturbation theory: rounding W
  // to float (~1e-7 ||W||) moves that subspace by ~1e-7 ||W|| / gap (gap = 1.5 - 0.5), so float
  // cosines are good to ~1e-6; in double to ~1e-14.
  const double tol = sizeof(T) == 4 ? 1e-5 : 1e-12;
  const double angles[] = {0.4, 1.1, 0.05};
  const std::vector<double> s = {3.0, 2.0, 1.5, 0.5};
  for (std::size_t m : {std::size_t{8}, std::size_t{40}}) {
    CAPTURE(m);
    const std::size_t d = 16, r = 3;
    const auto Q = basis(d, 12);
    std::vector<double> Vt(4 * d);
    for (std::size_t k = 0; k < r; ++k) {
      for (std::size_t j = 0; j < d; ++j) {
        Vt[k * d + j] =
            std::cos(angles[k]) * Q[k * d + j] + std::sin(angles[k]) * Q[(3 + k) * d + j];
      }
    }
    for (std::size_t j = 0; j < d; ++j) Vt[3 * d + j] = Q[10 * d + j];
    const auto W = cast<T>(with_svd(m, d, s, Vt, static_cast<unsigned>(m)).data(), m * d);
    const SubspaceMetrics sm = run_weight_metrics(W, m, d, cast<T>(Q.data(), r * d), r);
    CHECK(std::fabs(sm.cosines[0] - std::cos(0.05)) <= tol);
    CHECK(std::fabs(sm.cosines[1] - std::cos(0.4)) <= tol);
    CHECK(std::fabs(sm.cosines[2] - std::cos(1.1)) <= tol);
    CHECK(std::fabs(sm.subspace_distance - std::sin(1.1)) <= tol);
    for (std::size_t k = 0; k < r; ++k) {
      CHECK(std::fabs(sm.per_direction[k] - std::cos(angles[k])) <= tol);
    }
  }
}

TEST_CASE_TEMPLATE("weight_metrics: a rank-1 W inside span U is a collapse", T, float, double) {
  // Every row a multiple of w = cos a u_1 + sin a u_2: V has one direction, w, which lies in span
  // U (largest cosine 1) and the second is missing (smallest cosine 0, distance 1); u_1 and u_2
  // project onto it with lengths |cos a| and |sin a|.
  const double tol = sizeof(T) == 4 ? 1e-6 : 1e-13;
  const double a = 0.5;
  for (std::size_t m : {std::size_t{6}, std::size_t{30}}) {
    CAPTURE(m);
    const std::size_t d = 20, r = 2;
    const auto Q = basis(d, 5);
    std::vector<T> W(m * d);
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < d; ++j) {
        W[i * d + j] = static_cast<T>((1.0 + static_cast<double>(i)) *
                                      (std::cos(a) * Q[j] + std::sin(a) * Q[d + j]));
      }
    }
    const SubspaceMetrics sm = run_weight_metrics(W, m, d, cast<T>(Q.data(), r * d), r);
    CHECK(std::fabs(sm.cosines[0] - 1) <= tol);
    CHECK(sm.min_cosine <= 1e-7);  // exactly 0 up to sqrt of an eigenvalue's rounding
    CHECK(std::fabs(sm.subspace_distance - 1) <= tol);
    CHECK(std::fabs(sm.per_direction[0] - std::cos(a)) <= tol);
    CHECK(std::fabs(sm.per_direction[1] - std::sin(a)) <= tol);
  }
}

TEST_CASE_TEMPLATE("weight_metrics: singular values below 1e-6 of the largest count as missing", T,
                   float, double) {
  // W = u_1^T in row 0 and eps u_2^T in row 1: sigma_2 / sigma_1 = eps. Above the 1e-6 cut-off
  // u_2 is found (cosines 1, 1); below it, it is missing (1, 0). Also r > m: a third direction
  // cannot exist in two rows, so it is missing whatever eps is.
  const std::size_t d = 8, m = 2;
  const auto Q = basis(d, 8);
  for (double eps : {1e-4, 1e-8}) {
    CAPTURE(eps);
    std::vector<T> W(m * d);
    for (std::size_t j = 0; j < d; ++j) {
      W[j] = static_cast<T>(Q[j]);
      W[d + j] = static_cast<T>(eps * Q[d + j]);
    }
    const SubspaceMetrics two = run_weight_metrics(W, m, d, cast<T>(Q.data(), 2 * d), 2);
    CHECK(two.cosines[0] == doctest::Approx(1.0).epsilon(1e-6));
    if (eps > 1e-6) {
      CHECK(two.min_cosine == doctest::Approx(1.0).epsilon(1e-6));
    } else {
      CHECK(two.min_cosine <= 1e-7);
      // u_2 is orthogonal to the one direction found; had the noise direction of the Gram
      // matrix been kept it would lie in span{u_1, u_2} and give u_2 a large projection.
      CHECK(two.per_direction[1] <= 1e-6);
    }
    const SubspaceMetrics three = run_weight_metrics(W, m, d, cast<T>(Q.data(), 3 * d), 3);
    CHECK(three.min_cosine <= 1e-7);
    CHECK(three.per_direction[2] <= 1e-6);
  }
  // W = 0: every direction is missing, and nothing divides by zero.
  std::vector<T> zero(m * d, T(0));
  const SubspaceMetrics none = run_weight_metrics(zero, m, d, cast<T>(Q.data(), 2 * d), 2);
  CHECK(none.cosines[0] == 0);
  CHECK(none.per_direction[0] == 0);
  CHECK(none.subspace_distance == 1);
}

TEST_CASE_TEMPLATE("weight_metrics ignores row padding, and rejects NaN, Inf and a bad r", T, float,
                   double) {
  const std::size_t d = 11, m = 5, r = 2, ldw = 13;
  const auto Q = basis(d, 10);
  const auto U = cast<T>(Q.data(), r * d);
  std::mt19937 gen(3);
  std::normal_distribution<double> normal;
  std::vector<T> W(m * d), Wp(m * ldw, static_cast<T>(std::nan("")));
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < d; ++j) {
      W[i * d + j] = static_cast<T>(normal(gen));
      Wp[i * ldw + j] = W[i * d + j];
    }
  }
  std::vector<double> work(mimkit::metrics_workspace(m, d, r));
  SubspaceMetrics dense, padded;
  REQUIRE(mimkit::weight_metrics(W.data(), m, d, d, U.data(), r, work.data(), &dense).ok());
  REQUIRE(mimkit::weight_metrics(Wp.data(), m, d, ldw, U.data(), r, work.data(), &padded).ok());
  for (std::size_t k = 0; k < r; ++k) {
    CHECK(dense.cosines[k] == padded.cosines[k]);  // bit for bit: the same sums in the same order
    CHECK(dense.per_direction[k] == padded.per_direction[k]);
  }
  // A random W is neither inside nor orthogonal to U.
  CHECK(dense.cosines[0] > 0.01);
  CHECK(dense.cosines[0] < 0.999);

  SubspaceMetrics sm;
  W[7] = static_cast<T>(std::nan(""));
  CHECK(mimkit::weight_metrics(W.data(), m, d, d, U.data(), r, work.data(), &sm).code() ==
        mimkit::Code::numerical_error);
  W[7] = static_cast<T>(HUGE_VAL);
  CHECK(mimkit::weight_metrics(W.data(), m, d, d, U.data(), r, work.data(), &sm).code() ==
        mimkit::Code::numerical_error);
  W[7] = T(1);
  CHECK(mimkit::weight_metrics(W.data(), m, d, d, U.data(), 0, work.data(), &sm).code() ==
        mimkit::Code::invalid_argument);
  CHECK(mimkit::weight_metrics(W.data(), m, d, d, U.data(), d + 1, work.data(), &sm).code() ==
        mimkit::Code::invalid_argument);
}

TEST_CASE("metrics_workspace grows with min(m, d)^2, not m^2") {
  // m = 65536 hidden units in d = 64 must not ask for an m x m Gram matrix (34 GB).
  const std::size_t big = mimkit::metrics_workspace(65536, 64, 2);
  CHECK(big == mimkit::metrics_workspace(64, 64, 2));
  CHECK(big < 20000);
  CHECK(mimkit::metrics_workspace(10, 30, 3) >= 3 * 10 * 10 + 2 * 3 * 30);
}

TEST_CASE_TEMPLATE(
    "the mechanism of W: mass on each u_k, singular values, and the rank at which "
    "u_k appears (a hand-computed case, in a rotated basis)",
    T, float, double) {
  // W = 3 q0 (x) e0 + 2 q1 (x) e2 + 1 q2 (x) e1 with orthonormal q_i (rows of a random
  // basis in R^5), in the rotated frame Q: U = rows e0, e1 of Q. So sigma = 3, 2, 1; u1 is
  // W's first right singular vector and u2 its third: in W, but outranked by a direction
  // outside span U. mass(u1) = 9 / 14, mass(u2) = 1 / 14, and the top-2 subspace misses u2.
  const std::size_t d = 6, m = 5, r = 2;
  const std::vector<double> Q = basis(d, 11), L = basis(m, 12);
  const double scale[3] = {3, 2, 1};
  const std::size_t dir[3] = {0, 2, 1};  // right singular vector p is row dir[p] of Q
  const std::vector<double> W = from_singular(L, m, Q, d, scale, dir, 3);
  const std::vector<T> Wt = cast<T>(W.data(), W.size());
  const std::vector<T> U = cast<T>(Q.data(), r * d);
  std::vector<double> work(mimkit::metrics_workspace(m, d, r));
  SubspaceMetrics sm;
  mimkit::WeightMechanism mech;
  REQUIRE(mimkit::weight_metrics<T>(Wt.data(), m, d, d, U.data(), r, work.data(), &sm, &mech).ok());
  // float inputs carry relative rounding of about 6e-8 per entry; 1e-5 covers it.
  const double tol = sizeof(T) == 4 ? 1e-5 : 1e-11;
  CHECK(mech.r == r);
  REQUIRE(mech.singular_count == 5);  // r + 4 = 6, but W has only min(m, d) = 5
  CHECK(mech.singular_values[0] == doctest::Approx(3).epsilon(tol));
  CHECK(mech.singular_values[1] == doctest::Approx(2).epsilon(tol));
  CHECK(mech.singular_values[2] == doctest::Approx(1).epsilon(tol));
  CHECK(std::fabs(mech.singular_values[3]) < 1e-3);
  CHECK(mech.mass[0] == doctest::Approx(9.0 / 14).epsilon(tol));
  CHECK(mech.mass[1] == doctest::Approx(1.0 / 14).epsilon(tol));
  CHECK(mech.rank[0] == 1);
  CHECK(mech.rank[1] == 3);
  CHECK(mech.overlap[0] == doctest::Approx(1).epsilon(tol));
  CHECK(mech.overlap[1] == doctest::Approx(1).epsilon(tol));
  // The subspace metric alone reads this as a collapse of u2.
  CHECK(sm.min_cosine < 1e-3);
  // Without the mechanism, the subspace metrics are the same bits.
  SubspaceMetrics plain;
  REQUIRE(mimkit::weight_metrics<T>(Wt.data(), m, d, d, U.data(), r, work.data(), &plain).ok());
  CHECK(plain.min_cosine == sm.min_cosine);
  CHECK(plain.cosines[0] == sm.cosines[0]);
}

TEST_CASE("the mechanism of W = 0 is empty: no mass, rank 0") {
  const std::size_t d = 4, m = 2, r = 1;
  const std::vector<double> W(m * d, 0.0), U = {1, 0, 0, 0};
  std::vector<double> work(mimkit::metrics_workspace(m, d, r));
  SubspaceMetrics sm;
  mimkit::WeightMechanism mech;
  REQUIRE(
      mimkit::weight_metrics<double>(W.data(), m, d, d, U.data(), r, work.data(), &sm, &mech).ok());
  CHECK(mech.mass[0] == 0);
  CHECK(mech.rank[0] == 0);
  CHECK(mech.singular_values[0] == 0);
}

TEST_CASE("the rank of u_k is searched among all singular vectors: u2 as W's 8th direction") {
  // sigma = 8, 7, ..., 1 on rows 0, 2, 3, ..., 8, 1 of a rotated basis: u1 = Q0 first, u2 = Q1
  // last of eight (beyond the r + 4 singular values the report lists).
  const std::size_t d = 12, m = 10, r = 2;
  const std::vector<double> Q = basis(d, 21), L = basis(m, 22);
  const std::size_t dir[8] = {0, 2, 3, 4, 5, 6, 7, 1};
  const double scale[8] = {8, 7, 6, 5, 4, 3, 2, 1};
  const std::vector<double> W = from_singular(L, m, Q, d, scale, dir, 8);
  std::vector<double> work(mimkit::metrics_workspace(m, d, r));
  SubspaceMetrics sm;
  mimkit::WeightMechanism mech;
  REQUIRE(
      mimkit::weight_metrics<double>(W.data(), m, d, d, Q.data(), r, work.data(), &sm, &mech).ok());
  CHECK(mech.rank[0] == 1);
  CHECK(mech.rank[1] == 8);
  CHECK(mech.overlap[1] == doctest::Approx(1).epsilon(1e-9));
  CHECK(mech.singular_count == r + mimkit::WeightMechanism::kExtraSingular);
  CHECK(mech.mass[1] == doctest::Approx(1.0 / 204).epsilon(1e-9));  // 1 / (64 + 49 + ... + 1)
}

TEST_CASE_TEMPLATE(
    "the mechanism and the subspace of a W with many more rows than columns "
    "(m = 40 > 4 d)",
    T, float, double) {
  // sigma = 5, 3, 2 on rows 0, 1, 2 of a rotated basis of R^6; u1 = Q0, u2 = Q2. With m > d the
  // Gram matrix is W^T W; the mass must not need m-sized scratch (m > 4 d overflowed it once,
  // corrupting U and reporting cosines of 0).
  const std::size_t d = 6, m = 40, r = 2;
  const std::vector<double> Q = basis(d, 31), L = basis(m, 32);
  const double scale[3] = {5, 3, 2};
  const std::size_t dir[3] = {0, 1, 2};
  const std::vector<double> W = from_singular(L, m, Q, d, scale, dir, 3);
  std::vector<double> U(r * d);
  for (std::size_t j = 0; j < d; ++j) {
    U[j] = Q[j];
    U[d + j] = Q[2 * d + j];
  }
  const std::vector<T> Wt = cast<T>(W.data(), W.size()), Ut = cast<T>(U.data(), U.size());
  std::vector<double> work(mimkit::metrics_workspace(m, d, r));
  SubspaceMetrics sm;
  mimkit::WeightMechanism mech;
  REQUIRE(
      mimkit::weight_metrics<T>(Wt.data(), m, d, d, Ut.data(), r, work.data(), &sm, &mech).ok());
  const double tol = sizeof(T) == 4 ? 1e-5 : 1e-11;
  CHECK(sm.cosines[0] == doctest::Approx(1).epsilon(tol));  // u1 is in span(v1, v2)
  CHECK(sm.min_cosine < 1e-3);                              // u2 = v3 is not
  CHECK(mech.mass[0] == doctest::Approx(25.0 / 38).epsilon(tol));
  CHECK(mech.mass[1] == doctest::Approx(4.0 / 38).epsilon(tol));
  CHECK(mech.rank[0] == 1);
  CHECK(mech.rank[1] == 3);
  CHECK(mech.singular_values[1] == doctest::Approx(3).epsilon(tol));
}
