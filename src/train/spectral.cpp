// The spectral estimator: the r eigenvectors of largest |eigenvalue| of
// S_T = (1/n) sum T(y_i)(x_i x_i^T - I) on fit1, by subspace iteration whose product S_T V
// streams the samples (the d x d matrix is never formed), then Rayleigh-Ritz.
#include <cmath>

#include "linalg.hpp"
#include "mimkit/rng.hpp"
#include "train/passes.hpp"
#include "train/phases.hpp"

namespace mimkit {
namespace train {

namespace {

// Y_k = sum_i T(y_i) x_i (x_i . V) over shard k, and the sum of T(y).
template <class T>
void spectral_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  const Dims& n = s.dims;
  const std::size_t kp = n.k_pad;
  T* Y = s.shards.spectral + shard * n.d * kp;
  T* P = worker_tile(s.scratch.projected, n, w, kp);
  double tsum = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool first) {
    const std::size_t cnt = tl.rows;
    s.kernels->gemm_nn(cnt, kp, n.d, tl.X, tl.ldx, s.spectral.V, kp, P, kp, false);
    for (std::size_t i = 0; i < cnt; ++i) {
      const double t =
          spectral_transform(s.config.spectral_T, s.loss, static_cast<double>(tl.y[i]));
      tsum += t;
      const T tt = static_cast<T>(t);
      for (std::size_t q = 0; q < kp; ++q) P[i * kp + q] = tt * P[i * kp + q];
    }
    s.kernels->gemm_tn(n.d, kp, cnt, tl.X, tl.ldx, P, kp, Y, kp, !first);
  });
  if (tiles < 0) return;
  if (tiles == 0) {
    for (std::size_t i = 0; i < n.d * kp; ++i) Y[i] = T(0);
  }
  s.shards.scalars[shard * kShardScalars] = tsum;
}

// The r Ritz pairs of largest |value| (ties keep eigh's order): their indices into order[].
void select_largest(const double* values, std::size_t k, std::size_t r, std::size_t* order) {
  bool used[Link::kMaxR + kOversample] = {};
  for (std::size_t q = 0; q < r; ++q) {
    std::size_t best = k;
    for (std::size_t p = 0; p < k; ++p) {
      if (used[p]) continue;
      if (best == k || std::fabs(values[p]) > std::fabs(values[best])) best = p;
    }
    used[best] = true;
    order[q] = best;
  }
}

}  // namespace

template <class T>
Status spectral(State<T>& s, Report* rep, Clock& clock) {
  const RunConfig& c = s.config;
  const Dims& n = s.dims;
  SpectralBuffers<T>& sp = s.spectral;
  const std::size_t d = n.d, k = n.k_dim, kp = n.k_pad;
  // Shard 0's block of the spectral shards holds S_T V once a pass is summed.
  T* Y = s.shards.spectral;
  clock.phase_start = platform::now_seconds();
  for (std::size_t q = 0; q < k; ++q) {
    s.kernels64->normals(sp.basis + q * d, 0, d, c.seed, 1000000 + q,
                         stream_id(kSourceInit, StreamPurpose::inputs));
  }
  linalg::orthonormalize_rows(sp.basis, k, d, d);
  const double n1 = static_cast<double>(c.n1);
  for (std::size_t it = 0; it <= c.spectral_iters; ++it) {
    for (std::size_t j = 0; j < d; ++j) {
      for (std::size_t q = 0; q < kp; ++q) {
        sp.V[j * kp + q] = q < k ? static_cast<T>(sp.basis[q * d + j]) : T(0);
      }
    }
    Pass<T> pass{&s, &s.fit1, 0, c.n1, false};
    MIMKIT_TRY(run_shards(s, &spectral_task<T>, &pass));
    const double tmean = shard_scalar(s, 0) / n1;
    // S_T V = (1/n) sum_k Y_k - mean(T) V. Entry (j, q) of shard 0 is overwritten only after
    // every shard's (j, q) has been read.
    for (std::size_t q = 0; q < k; ++q) {
      for (std::size_t j = 0; j < d; ++j) {
        const double sum = sum_shards<double>(Y, n.shards, d * kp, j * kp + q);
        Y[j * kp + q] = static_cast<T>(sum / n1 - tmean * static_cast<double>(sp.V[j * kp + q]));
      }
    }
    if (it == c.spectral_iters) break;
    for (std::size_t q = 0; q < k; ++q) {
      for (std::size_t j = 0; j < d; ++j) sp.basis[q * d + j] = static_cast<double>(Y[j * kp + q]);
    }
    linalg::orthonormalize_rows(sp.basis, k, d, d);
    if (!report_progress(s, "spectral", it + 1, c.spectral_iters, NAN, clock)) {
      return Status::error(Code::cancelled, "spectral", "cancelled at iteration %zu", it + 1);
    }
  }
  // Rayleigh-Ritz: H = V^T S V with V the current orthonormal basis, symmetrised.
  for (std::size_t p = 0; p < k; ++p) {
    for (std::size_t q = 0; q < k; ++q) {
      double h = 0;
      for (std::size_t j = 0; j < d; ++j)
        h += sp.basis[p * d + j] * static_cast<double>(Y[j * kp + q]);
      sp.H[p * k + q] = h;
    }
  }
  for (std::size_t p = 0; p < k; ++p) {
    for (std::size_t q = 0; q < p; ++q) {
      const double h = 0.5 * (sp.H[p * k + q] + sp.H[q * k + p]);
      sp.H[p * k + q] = h;
      sp.H[q * k + p] = h;
    }
  }
  if (!linalg::eigh(sp.H, k, k, sp.ritz_values, sp.ritz_vectors, k, sp.eigen_work)) {
    return Status::error(Code::numerical_error, "spectral",
                         "the Rayleigh quotient has non-finite entries (labels overflow?)");
  }
  std::size_t order[Link::kMaxR + kOversample];
  select_largest(sp.ritz_values, k, n.r, order);
  double* estimate = s.metrics.estimate;
  for (std::size_t q = 0; q < n.r; ++q) {
    rep->spectral.eigenvalues[q] = sp.ritz_values[order[q]];
    for (std::size_t j = 0; j < d; ++j) {
      double v = 0;
      for (std::size_t p = 0; p < k; ++p)
        v += sp.ritz_vectors[p * k + order[q]] * sp.basis[p * d + j];
      estimate[q * d + j] = v;
    }
  }
  linalg::orthonormalize_rows(estimate, n.r, d, d);
  // The metrics workspace is free here and holds compare_workspace(r) doubles.
  rep->spectral.subspace = compare_subspaces(s.metrics.U, estimate, n.r, d, s.metrics.work);
  rep->spectral.ran = true;
  rep->timings.spectral_s = clock.since_phase();
  return Status();
}

template Status spectral<float>(State<float>&, Report*, Clock&);
template Status spectral<double>(State<double>&, Report*, Clock&);

}  // namespace train
}  // namespace mimkit
