// Phase 2: the outer layer a on fit2 with the phase-1 features sigma2(W x + b): the exact
// ridge solution from the streamed m x m Gram matrix (footprint independent of n2), or T2 steps
// of gradient descent on the configured loss over stored features.
#include <cmath>

#include "linalg.hpp"
#include "train/network.hpp"
#include "train/passes.hpp"
#include "train/phases.hpp"

namespace mimkit {
namespace train {

namespace {

// Gram_k += Phi^T Phi and rhs_k += Phi^T y over shard k; the sums of y^2 and ||phi||^2. With
// gradient descent the features and labels are also stored.
template <class T>
void gram_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  const Dims& n = s.dims;
  T* gram = s.shards.gram + shard * n.m * n.m_pad;
  T* rhs = s.shards.rhs + shard * n.m * kPad;
  T* act = worker_tile(s.scratch.act, n, w, n.m_pad);
  T* Y = worker_tile(s.scratch.labels, n, w, kPad);
  T* stored = s.phase2.features;
  double y2 = 0, phi2 = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool first) {
    const std::size_t cnt = tl.rows;
    T* phi = stored != nullptr ? stored + tl.row0 * n.m_pad : act;
    phase2_features(s, tl, w, phi);
    for (std::size_t i = 0; i < cnt; ++i) {
      for (std::size_t q = 0; q < kPad; ++q) Y[i * kPad + q] = T(0);
      Y[i * kPad] = tl.y[i];
      y2 += static_cast<double>(tl.y[i]) * static_cast<double>(tl.y[i]);
      for (std::size_t j = 0; j < n.m; ++j) {
        phi2 +=
            static_cast<double>(phi[i * n.m_pad + j]) * static_cast<double>(phi[i * n.m_pad + j]);
      }
      if (s.phase2.labels != nullptr) s.phase2.labels[tl.row0 + i] = tl.y[i];
    }
    s.kernels->gemm_tn(n.m, n.m_pad, cnt, phi, n.m_pad, phi, n.m_pad, gram, n.m_pad, !first);
    s.kernels->gemm_tn(n.m, kPad, cnt, phi, n.m_pad, Y, kPad, rhs, kPad, !first);
  });
  if (tiles < 0) return;
  if (tiles == 0) {
    for (std::size_t i = 0; i < n.m * n.m_pad; ++i) gram[i] = T(0);
    for (std::size_t i = 0; i < n.m * kPad; ++i) rhs[i] = T(0);
  }
  s.shards.scalars[shard * kShardScalars] = y2;
  s.shards.scalars[shard * kShardScalars + 1] = phi2;
}

// Over the stored features of shard k: grad_k (column 0 of rhs) += Phi^T loss'(Phi a, y) and
// the loss.
template <class T>
void gd_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  const Dims& n = s.dims;
  std::uint64_t begin = 0, end = 0;
  shard_range(0, p.n, shard, n.shards, &begin, &end);
  T* grad = s.shards.rhs + shard * n.m * kPad;
  T* F = worker_tile(s.scratch.pred, n, w, kPad);
  T* Y = worker_tile(s.scratch.labels, n, w, kPad);
  double loss = 0;
  bool first = true;
  for (std::uint64_t r0 = begin; r0 < end; r0 += n.tile) {
    const std::size_t cnt = static_cast<std::size_t>(end - r0 < n.tile ? end - r0 : n.tile);
    const T* phi = s.phase2.features + r0 * n.m_pad;
    s.kernels->gemm_nn_packed(cnt, kPad, n.m_pad, phi, n.m_pad, s.net.a_panel, F, kPad, false);
    for (std::size_t i = 0; i < cnt; ++i) {
      const double f = static_cast<double>(F[i * kPad]);
      const double yi = static_cast<double>(s.phase2.labels[r0 + i]);
      loss += s.loss.value(f, yi);
      for (std::size_t q = 0; q < kPad; ++q) Y[i * kPad + q] = T(0);
      Y[i * kPad] = static_cast<T>(s.loss.slope(f, yi));
    }
    if (p.gradient) s.kernels->gemm_tn(n.m, kPad, cnt, phi, n.m_pad, Y, kPad, grad, kPad, !first);
    first = false;
  }
  if (p.gradient && first) {
    for (std::size_t i = 0; i < n.m * kPad; ++i) grad[i] = T(0);
  }
  s.shards.scalars[shard * kShardScalars] = loss;
}

// Entry (i, j) of the Gram matrix sum_k Gram_k.
template <class T>
T gram_entry(const State<T>& s, std::size_t i, std::size_t j) {
  const Dims& n = s.dims;
  return sum_shards<T>(s.shards.gram, n.shards, n.m * n.m_pad, i * n.m_pad + j);
}

// Entry i of sum_k rhs_k (column 0).
template <class T>
T rhs_entry(const State<T>& s, std::size_t i) {
  const Dims& n = s.dims;
  return sum_shards<T>(s.shards.rhs, n.shards, n.m * kPad, i * kPad);
}

// Ridge regression (the squared loss, whatever the phase-1 loss); its data loss from the
// normal equations' pieces: (1/2)(E y^2 - 2 a.rhs + a^T Gram a).
// The factorisation's progress, in thousandths, as phase-2 progress.
template <class T>
struct SolveProgress {
  State<T>* s;
  const Clock* clock;
  static bool tick(void* user, double done) {
    SolveProgress& p = *static_cast<SolveProgress*>(user);
    return report_progress(*p.s, "phase2", static_cast<std::size_t>(done * 1000), 1000, NAN,
                           *p.clock);
  }
};

template <class T>
Status solve_ridge(State<T>& s, double mean_y2, Report* rep, const Clock& clock) {
  const RunConfig& c = s.config;
  const std::size_t m = s.dims.m;
  const double n2 = static_cast<double>(c.n2);
  double* A = s.phase2.system;
  double* x = s.phase2.solution;
  SolveProgress<T> progress{&s, &clock};
  linalg::Ticker ticker;
  ticker.tick = &SolveProgress<T>::tick;
  ticker.user = &progress;
  switch (linalg::cholesky(A, m, m, ticker)) {
    case linalg::Factorization::ok:
      break;
    case linalg::Factorization::stopped:
      return Status::error(Code::cancelled, "phase2", "cancelled while solving the ridge system");
    case linalg::Factorization::not_positive_definite:
      return Status::error(Code::numerical_error, "lambda2",
                           "the phase-2 system Gram/n + lambda2 I is not positive definite "
                           "(lambda2 = %g; increase it)",
                           c.lambda2);
  }
  double* rhs = s.metrics.work;
  for (std::size_t i = 0; i < m; ++i) rhs[i] = x[i];
  linalg::cholesky_solve(A, m, m, x);
  for (std::size_t j = 0; j < m; ++j) s.net.a[j] = static_cast<T>(x[j]);
  double quad = 0, lin = 0;
  for (std::size_t i = 0; i < m; ++i) {
    double gi = 0;
    for (std::size_t j = 0; j < m; ++j) {
      gi += static_cast<double>(gram_entry(s, i, j)) / n2 * static_cast<double>(s.net.a[j]);
    }
    quad += static_cast<double>(s.net.a[i]) * gi;
    lin += static_cast<double>(s.net.a[i]) * rhs[i];
  }
  pack_a(s);
  rep->phase2.train_loss = 0.5 * (mean_y2 - 2 * lin + quad);
  return Status();
}

// T2 steps of gradient descent on a from a = 0, with step eta2 (0: 1 / (E||phi||^2 + lambda2)).
template <class T>
Status descend(State<T>& s, double mean_phi2, Report* rep, Clock& clock) {
  const RunConfig& c = s.config;
  const std::size_t m = s.dims.m;
  const double n2 = static_cast<double>(c.n2);
  const double eta2 = c.eta2 > 0 ? c.eta2 : 1.0 / (mean_phi2 + c.lambda2);
  for (std::size_t j = 0; j < s.dims.m_pad; ++j) s.net.a[j] = T(0);
  pack_a(s);
  double loss = 0;
  for (std::size_t step = 0; step < c.T2; ++step) {
    Pass<T> pass{&s, &s.fit2, 0, c.n2, true};
    MIMKIT_TRY(run_shards(s, &gd_task<T>, &pass));
    loss = shard_scalar(s, 0) / n2;
    for (std::size_t j = 0; j < m; ++j) {
      const T grad =
          rhs_entry(s, j) / static_cast<T>(c.n2) + static_cast<T>(c.lambda2) * s.net.a[j];
      s.net.a[j] = s.net.a[j] - static_cast<T>(eta2) * grad;
      if (!std::isfinite(s.net.a[j])) {
        return Status::error(Code::numerical_error, "phase2",
                             "a is not finite after step %zu (last finite loss %g); lower eta2",
                             step + 1, loss);
      }
    }
    pack_a(s);
    if (!report_progress(s, "phase2", step + 1, c.T2, loss, clock)) {
      return Status::error(Code::cancelled, "phase2", "cancelled at step %zu", step + 1);
    }
  }
  Pass<T> pass{&s, &s.fit2, 0, c.n2, false};
  MIMKIT_TRY(run_shards(s, &gd_task<T>, &pass));
  rep->phase2.train_loss = shard_scalar(s, 0) / n2;
  return Status();
}

}  // namespace

template <class T>
Status phase2(State<T>& s, Report* rep, Clock& clock) {
  const RunConfig& c = s.config;
  const std::size_t m = s.dims.m;
  clock.phase_start = platform::now_seconds();
  prepare_phase2_features(s);
  Pass<T> pass{&s, &s.fit2, 0, c.n2, false};
  MIMKIT_TRY(run_shards(s, &gram_task<T>, &pass));
  const double n2 = static_cast<double>(c.n2);
  const double mean_y2 = shard_scalar(s, 0) / n2;
  const double mean_phi2 = shard_scalar(s, 1) / n2;
  // A = Gram / n + lambda I and rhs / n, in double.
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      s.phase2.system[i * m + j] =
          static_cast<double>(gram_entry(s, i, j)) / n2 + (i == j ? c.lambda2 : 0.0);
    }
    s.phase2.solution[i] = static_cast<double>(rhs_entry(s, i)) / n2;
  }
  if (c.phase2 == Phase2Solver::exact) return solve_ridge(s, mean_y2, rep, clock);
  return descend(s, mean_phi2, rep, clock);
}

template Status phase2<float>(State<float>&, Report*, Clock&);
template Status phase2<double>(State<double>&, Report*, Clock&);

}  // namespace train
}  // namespace mimkit
