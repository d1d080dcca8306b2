#include "mimkit/metrics.hpp"

#include <algorithm>
#include <cmath>

#include "linalg.hpp"

namespace mimkit {

namespace {

// min(x, 1) that keeps NaN (std::fmin(NaN, 1) is 1, which would report a broken input as a
// perfect recovery).
double at_most_one(double x) {
  return x > 1 ? 1.0 : x;
}

// The body of compare_subspaces() on caller-provided workspace (compare_workspace(r) doubles).
// U and V are r x d with orthonormal (or zero) rows.
SubspaceMetrics compare_with_work(const double* U, const double* V, std::size_t r, std::size_t d,
                                  double* work) {
  SubspaceMetrics out;
  out.r = r;
  double* M = work;         // r x r: M[k][l] = u_k . v_l; then the eigenvectors of M M^T
  double* MMt = M + r * r;  // r x r
  double* ework = MMt + r * r;
  double* ev = ework + r * r;
  for (std::size_t k = 0; k < r; ++k) {
    for (std::size_t l = 0; l < r; ++l) {
      double dot = 0;
      for (std::size_t j = 0; j < d; ++j) dot += U[k * d + j] * V[l * d + j];
      M[k * r + l] = dot;
    }
  }
  // ||P_V u_k||^2 = sum_l (v_l . u_k)^2 as V's rows are orthonormal (zero rows add nothing).
  for (std::size_t k = 0; k < r; ++k) {
    double proj = 0;
    for (std::size_t l = 0; l < r; ++l) proj += M[k * r + l] * M[k * r + l];
    out.per_direction[k] = at_most_one(std::sqrt(proj));
    for (std::size_t l = 0; l < r; ++l) {
      double v = 0;
      for (std::size_t q = 0; q < r; ++q) v += M[k * r + q] * M[l * r + q];
      MMt[k * r + l] = v;
    }
  }
  // The principal cosines are the singular values of M, i.e. the square roots of the eigenvalues
  // of M M^T. Rounding can push an eigenvalue slightly below 0 or above 1; clamp to [0, 1].
  if (!linalg::eigh(MMt, r, r, ev, M, r, ework)) {
    for (std::size_t k = 0; k < r; ++k) out.cosines[k] = NAN;
    out.min_cosine = NAN;
    out.subspace_distance = NAN;
    return out;
  }
  for (std::size_t k = 0; k < r; ++k) {
    out.cosines[k] = at_most_one(ev[k] > 0 ? std::sqrt(ev[k]) : 0.0);
  }
  out.min_cosine = out.cosines[r - 1];
  const double sin2 = 1 - out.min_cosine * out.min_cosine;
  out.subspace_distance = std::sqrt(sin2 > 0 ? sin2 : 0.0);
  return out;
}

// The mechanism of W from its Gram matrix G, its eigenvalues ev (descending) and eigenvectors E
// (columns, n x n; W W^T when small_m, else W^T W); Ud is U (r x d) in double; scratch holds m
// doubles when small_m (m <= d). u_k's rank is searched among all n right singular vectors above
// the noise floor.
template <class T>
void describe_mechanism(const T* W, std::size_t m, std::size_t d, std::size_t ldw, const double* Ud,
                        std::size_t r, const double* G, const double* ev, const double* E,
                        std::size_t n, bool small_m, double* scratch, WeightMechanism* out) {
  *out = WeightMechanism();
  out->r = r;
  out->singular_count = std::min(n, r + WeightMechanism::kExtraSingular);
  double total = 0;  // ||W||_F^2 = the Gram matrix's trace
  for (std::size_t p = 0; p < n; ++p) total += ev[p] > 0 ? ev[p] : 0.0;
  for (std::size_t p = 0; p < out->singular_count; ++p) {
    out->singular_values[p] = ev[p] > 0 ? std::sqrt(ev[p]) : 0.0;
  }
  // The same noise floor as the subspace: sigma_p / sigma_1 < 1e-6 is not a direction of W.
  const double top = n > 0 ? ev[0] : 0.0;
  std::size_t present = 0;
  while (present < n && ev[present] > 1e-12 * top && ev[present] > 1e-300) ++present;
  for (std::size_t k = 0; k < r; ++k) {
    const double* u = Ud + k * d;
    double inside = 0;    // ||W u_k||^2
    double* z = scratch;  // W u_k (m <= d entries), small m only
    if (small_m) {
      for (std::size_t i = 0; i < m; ++i) {
        double dot = 0;
        for (std::size_t q = 0; q < d; ++q) dot += static_cast<double>(W[i * ldw + q]) * u[q];
        z[i] = dot;
        inside += dot * dot;
      }
    } else {
      // u_k^T (W^T W) u_k from the d x d Gram matrix: no m-sized scratch (m may be >> d).
      for (std::size_t p = 0; p < d; ++p) {
        double row = 0;
        for (std::size_t q = 0; q < d; ++q) row += G[p * n + q] * u[q];
        inside += u[p] * row;
      }
    }
    out->mass[k] = total > 0 ? at_most_one(inside / total) : 0.0;
    // u_k . v_p: v_p = W^T e_p / sigma_p (small m, so u_k . v_p = e_p . W u_k / sigma_p), or
    // v_p = e_p (W^T W's eigenvector).
    for (std::size_t p = 0; p < present; ++p) {
      double dot = 0;
      if (small_m) {
        for (std::size_t i = 0; i < m; ++i) dot += E[i * n + p] * z[i];
        dot /= std::sqrt(ev[p]);
      } else {
        for (std::size_t q = 0; q < d; ++q) dot += E[q * n + p] * u[q];
      }
      if (std::fabs(dot) > out->overlap[k]) {
        out->overlap[k] = at_most_one(std::fabs(dot));
        out->rank[k] = p + 1;
      }
    }
  }
}

}  // namespace

// M (r x r, later reused for the eigenvectors of M M^T), M M^T (r x r), the eigensolver's
// scratch (r x r) and the r eigenvalues.
std::size_t compare_workspace(std::size_t r) noexcept {
  return 3 * r * r + r;
}

SubspaceMetrics compare_subspaces(const double* U, const double* V, std::size_t r, std::size_t d,
                                  double* work) noexcept {
  if (r == 0 || r > Link::kMaxR || work == nullptr) return SubspaceMetrics();
  return compare_with_work(U, V, r, d, work);
}

std::size_t metrics_workspace(std::size_t m, std::size_t d, std::size_t r) noexcept {
  // The Gram matrix of W on its smaller side (n x n), its eigenvectors (n x n), the eigensolver's
  // scratch (n x n) and eigenvalues (n); V (r + kExtraSingular rows of d, for the mechanism)
  // and U in double (together >= d, a guarantee the trainer relies on); the r x r comparison.
  const std::size_t n = m < d ? m : d;
  return 3 * n * n + n + (2 * r + WeightMechanism::kExtraSingular) * d + compare_workspace(r);
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
      for (std::size_t j = 0; j < d; ++j) {
        dot += static_cast<double>(w[j]) * static_cast<double>(U[k * d + j]);
      }
      inside += dot * dot;
    }
  }
  return total > 0 ? inside / total : 0.0;
}

SubspaceMetrics compare_subspaces(const double* U, const double* V, std::size_t r,
                                  std::size_t d) noexcept {
  // This signature has no workspace argument, so the r x r scratch lives on the stack: 98 KiB at
  // r = kMaxR, well within a default thread stack (512 KiB on macOS, 8 MiB on Linux).
  double work[3 * Link::kMaxR * Link::kMaxR + Link::kMaxR];
  if (r == 0 || r > Link::kMaxR) return SubspaceMetrics();
  return compare_with_work(U, V, r, d, work);
}

template <class T>
Status weight_metrics(const T* W, std::size_t m, std::size_t d, std::size_t ldw, const T* U,
                      std::size_t r, double* work, SubspaceMetrics* out,
                      WeightMechanism* mechanism) noexcept {
  if (r == 0 || r > Link::kMaxR || r > d) {
    return Status::error(Code::invalid_argument, "r", "r = %zu is out of range (allowed: 1..%zu)",
                         r, d < Link::kMaxR ? d : Link::kMaxR);
  }
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t q = 0; q < d; ++q) {
      const double w = static_cast<double>(W[i * ldw + q]);
      if (!std::isfinite(w)) {
        return Status::error(Code::numerical_error, "W", "W[%zu][%zu] = %g is not finite", i, q, w);
      }
    }
  }
  // The top-r right singular vectors of W are the top eigenvectors of W^T W (d x d), or W^T e_k /
  // sigma_k for the top eigenvectors e_k of W W^T (m x m): use the smaller of the two Gram
  // matrices (m hidden units may far exceed d, or the other way round).
  const bool small_m = m <= d;
  const std::size_t n = small_m ? m : d;
  double* G = work;            // n x n Gram matrix
  double* E = G + n * n;       // n x n eigenvectors (columns)
  double* ework = E + n * n;   // n x n eigensolver scratch
  double* ev = ework + n * n;  // n eigenvalues, descending
  double* V = ev + n;          // r x d estimated basis, then scratch
  double* Ud = V + (r + WeightMechanism::kExtraSingular) * d;  // r x d, U in double
  double* cwork = Ud + r * d;                                  // compare_workspace(r)
  if (small_m) {
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j <= i; ++j) {
        double dot = 0;
        for (std::size_t q = 0; q < d; ++q) {
          dot += static_cast<double>(W[i * ldw + q]) * static_cast<double>(W[j * ldw + q]);
        }
        G[i * n + j] = dot;
        G[j * n + i] = dot;
      }
    }
  } else {
    // Row by row of W for locality; each entry is still the sum over i = 0..m-1 in order.
    for (std::size_t p = 0; p < n * n; ++p) G[p] = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const T* w = W + i * ldw;
      for (std::size_t p = 0; p < d; ++p) {
        const double wp = static_cast<double>(w[p]);
        for (std::size_t q = 0; q <= p; ++q) G[p * n + q] += wp * static_cast<double>(w[q]);
      }
    }
    for (std::size_t p = 0; p < d; ++p) {
      for (std::size_t q = 0; q < p; ++q) G[q * n + p] = G[p * n + q];
    }
  }
  if (!linalg::eigh(G, n, n, ev, E, n, ework)) {
    return Status::error(Code::numerical_error, "W",
                         "the eigensolver failed on the %zu x %zu Gram matrix of W (entries too "
                         "large for double?)",
                         n, n);
  }
  // A Gram matrix carries rounding of about n eps of its largest eigenvalue, so an eigenvalue
  // below 1e-12 of the largest (sigma_k / sigma_1 < 1e-6) is noise, not a direction of W: that
  // row of V stays zero and the direction counts as missing. 1e-300 guards W = 0.
  const double top = n > 0 ? ev[0] : 0.0;
  for (std::size_t k = 0; k < r; ++k) {
    double* v = V + k * d;
    for (std::size_t q = 0; q < d; ++q) v[q] = 0;
    const bool present = k < n && ev[k] > 1e-12 * top && ev[k] > 1e-300;
    if (!present) continue;
    if (small_m) {
      // v_k = W^T e_k / sigma_k, accumulated row by row of W (sequential over i per entry).
      for (std::size_t i = 0; i < m; ++i) {
        const double c = E[i * n + k];
        const T* w = W + i * ldw;
        for (std::size_t q = 0; q < d; ++q) v[q] += c * static_cast<double>(w[q]);
      }
      const double inv = 1 / std::sqrt(ev[k]);
      for (std::size_t q = 0; q < d; ++q) v[q] *= inv;
    } else {
      for (std::size_t q = 0; q < d; ++q) v[q] = E[q * n + k];
    }
  }
  for (std::size_t i = 0; i < r * d; ++i) Ud[i] = static_cast<double>(U[i]);
  if (mechanism != nullptr) {
    // Scratch of m doubles after V's r rows, used only when m <= d (<= kExtraSingular d).
    describe_mechanism(W, m, d, ldw, Ud, r, G, ev, E, n, small_m, V + r * d, mechanism);
  }
  // Exact arithmetic gives orthonormal rows already; this removes the rounding (and keeps zero
  // rows zero) so compare_subspaces' precondition holds to the last bits.
  linalg::orthonormalize_rows(V, r, d, d);
  *out = compare_with_work(Ud, V, r, d, cwork);
  return Status();
}

template double alignment<float>(const float*, std::size_t, std::size_t, std::size_t, const float*,
                                 std::size_t) noexcept;
template double alignment<double>(const double*, std::size_t, std::size_t, std::size_t,
                                  const double*, std::size_t) noexcept;
template Status weight_metrics<float>(const float*, std::size_t, std::size_t, std::size_t,
                                      const float*, std::size_t, double*, SubspaceMetrics*,
                                      WeightMechanism*) noexcept;
template Status weight_metrics<double>(const double*, std::size_t, std::size_t, std::size_t,
                                       const double*, std::size_t, double*, SubspaceMetrics*,
                                       WeightMechanism*) noexcept;

}  // namespace mimkit
