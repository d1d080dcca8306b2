#include "mimkit/metrics.hpp"

#include <cmath>

#include "linalg.hpp"

namespace mimkit {

std::size_t metrics_workspace(std::size_t m, std::size_t d, std::size_t r) noexcept {
  // Gram (m^2), eigenvectors (m^2), eigen work (m^2), eigenvalues (m), V and U in double
  // (2 r d), and the r x r comparison (4 r^2 + r).
  return 3 * m * m + m + 2 * r * d + 4 * r * r + r;
}

template <class T>
double alignment(const T* W, std::size_t m, std::size_t d, std::size_t ldw, const T* U,
                 std::size_t r) noexcept {
  double inside = 0, total = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const T* w = W + i * ldw;
    for (std::size_t j = 0; j < d; ++j) total += static_cast<double>(w[j]) * w[j];
    for (std::size_t k = 0; k < r; ++k) {
      double dot = 0;
      for (std::size_t j = 0; j < d; ++j) dot += static_cast<double>(w[j]) * U[k * d + j];
      inside += dot * dot;
    }
  }
  return total > 0 ? inside / total : 0.0;
}

namespace {

SubspaceMetrics compare_with_work(const double* U, const double* V, std::size_t r, std::size_t d,
                                  double* work) {
  SubspaceMetrics out;
  out.r = r;
  double* M = work;         // r x r: M[k][l] = u_k . v_l
  double* MMt = M + r * r;  // r x r
  double* E = MMt + r * r;  // r x r eigenvectors
  double* ev = E + r * r;   // r eigenvalues
  double* ework = ev + r;   // r x r
  for (std::size_t k = 0; k < r; ++k) {
    for (std::size_t l = 0; l < r; ++l) {
      double dot = 0;
      for (std::size_t j = 0; j < d; ++j) dot += U[k * d + j] * V[l * d + j];
      M[k * r + l] = dot;
    }
  }
  for (std::size_t k = 0; k < r; ++k) {
    double proj = 0;
    for (std::size_t l = 0; l < r; ++l) proj += M[k * r + l] * M[k * r + l];
    out.per_direction[k] = std::fmin(1.0, std::sqrt(proj));
    for (std::size_t l = 0; l < r; ++l) {
      double v = 0;
      for (std::size_t q = 0; q < r; ++q) v += M[k * r + q] * M[l * r + q];
      MMt[k * r + l] = v;
    }
  }
  linalg::eigh(MMt, r, r, ev, E, r, ework);
  for (std::size_t k = 0; k < r; ++k) {
    const double c = ev[k] > 0 ? std::sqrt(ev[k]) : 0.0;
    out.cosines[k] = c > 1 ? 1.0 : c;
  }
  out.min_cosine = out.cosines[r - 1];
  out.subspace_distance = std::sqrt(std::fmax(0.0, 1 - out.min_cosine * out.min_cosine));
  return out;
}

}  // namespace

SubspaceMetrics compare_subspaces(const double* U, const double* V, std::size_t r,
                                  std::size_t d) noexcept {
  double work[4 * Link::kMaxR * Link::kMaxR + Link::kMaxR];
  if (r == 0 || r > Link::kMaxR) return SubspaceMetrics();
  return compare_with_work(U, V, r, d, work);
}

template <class T>
Status weight_metrics(const T* W, std::size_t m, std::size_t d, std::size_t ldw, const T* U,
                      std::size_t r, double* work, SubspaceMetrics* out) noexcept {
  double* G = work;            // m x m Gram W W^T
  double* E = G + m * m;       // eigenvectors
  double* ework = E + m * m;   // eigen work
  double* ev = ework + m * m;  // eigenvalues
  double* V = ev + m;          // r x d
  double* Ud = V + r * d;      // r x d
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double dot = 0;
      for (std::size_t q = 0; q < d; ++q)
        dot += static_cast<double>(W[i * ldw + q]) * W[j * ldw + q];
      G[i * m + j] = dot;
      G[j * m + i] = dot;
    }
  }
  if (!linalg::eigh(G, m, m, ev, E, m, ework)) {
    return Status::error(Code::numerical_error, "W", "W has NaN or Inf entries");
  }
  const double top = ev[0];
  for (std::size_t k = 0; k < r; ++k) {
    // sigma_k / sigma_1 below 1e-6 is rounding noise of the Gram matrix (~m eps relative in
    // sigma^2), not a direction of W: it counts as missing.
    const bool present = k < m && ev[k] > 1e-12 * top && ev[k] > 1e-300;
    const double inv = present ? 1 / std::sqrt(ev[k]) : 0.0;
    for (std::size_t q = 0; q < d; ++q) {
      double v = 0;
      if (present) {
        for (std::size_t i = 0; i < m; ++i) v += E[i * m + k] * static_cast<double>(W[i * ldw + q]);
      }
      V[k * d + q] = v * inv;
    }
  }
  linalg::orthonormalize_rows(V, r, d, d);
  for (std::size_t i = 0; i < r * d; ++i) Ud[i] = static_cast<double>(U[i]);
  *out = compare_with_work(Ud, V, r, d, Ud + r * d);
  return Status();
}

template double alignment<float>(const float*, std::size_t, std::size_t, std::size_t, const float*,
                                 std::size_t) noexcept;
template double alignment<double>(const double*, std::size_t, std::size_t, std::size_t,
                                  const double*, std::size_t) noexcept;
template Status weight_metrics<float>(const float*, std::size_t, std::size_t, std::size_t,
                                      const float*, std::size_t, double*,
                                      SubspaceMetrics*) noexcept;
template Status weight_metrics<double>(const double*, std::size_t, std::size_t, std::size_t,
                                       const double*, std::size_t, double*,
                                       SubspaceMetrics*) noexcept;

}  // namespace mimkit
