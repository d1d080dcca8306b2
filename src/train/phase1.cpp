// Phase 1: full-batch (or online) gradient descent with weight decay on the inner layer W.
// One fused pass per step: for each tile, Z = X W^T, sigma and sigma', f = sigma(Z) a, the
// residual weights D, and G += D^T X while the tile is in cache.
#include <cmath>

#include "train/divergence.hpp"
#include "train/network.hpp"
#include "train/passes.hpp"
#include "train/phases.hpp"

namespace mimkit {
namespace train {

namespace {

// Labels of a tile after the optional DLS22 preprocessing: tl.y itself, or column 0 of the
// worker's label tile.
template <class T>
void tile_labels(State<T>& s, const Tile<T>& tl, std::size_t w, const T** y, std::size_t* stride) {
  if (!s.variant.preprocess_labels) {
    *y = tl.y;
    *stride = 1;
    return;
  }
  T* yw = worker_tile(s.scratch.labels, s.dims, w, kPad);
  s.kernels->gemm_nn(tl.rows, kPad, s.dims.d, tl.X, tl.ldx, s.prep.beta_panel, kPad, yw, kPad,
                     false);
  for (std::size_t i = 0; i < tl.rows; ++i) yw[i * kPad] = (tl.y[i] - s.prep.ybar) - yw[i * kPad];
  *y = yw;
  *stride = kPad;
}

// Loss (and, for gradient passes, G_k = D^T X / n) over one shard.
template <class T>
void phase1_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  const Dims& n = s.dims;
  T* G = s.shards.grad + shard * n.m * n.ldx;
  T* Z = worker_tile(s.scratch.Z, n, w, n.m_pad);
  T* act = worker_tile(s.scratch.act, n, w, n.m_pad);
  T* D = worker_tile(s.scratch.deriv, n, w, n.m_pad);
  T* F = worker_tile(s.scratch.pred, n, w, kPad);
  const T inv_n = T(1) / static_cast<T>(p.n);
  double loss = 0, zero_loss = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool first) {
    const std::size_t cnt = tl.rows;
    s.kernels->gemm_nn_packed(cnt, n.m_pad, n.d, tl.X, tl.ldx, s.net.W_packed, Z, n.m_pad, false);
    activate(s, false, cnt, Z, act, D);
    s.kernels->gemm_nn_packed(cnt, kPad, n.m_pad, act, n.m_pad, s.net.a_panel, F, kPad, false);
    const T* y = nullptr;
    std::size_t y_stride = 1;
    tile_labels(s, tl, w, &y, &y_stride);
    for (std::size_t i = 0; i < cnt; ++i) {
      const double f = static_cast<double>(F[i * kPad]);
      const double yi = static_cast<double>(y[i * y_stride]);
      loss += s.loss.value(f, yi);
      zero_loss += s.loss.value(0.0, yi);
      if (!p.gradient) continue;
      const T c = static_cast<T>(s.loss.slope(f, yi)) * inv_n;
      T* row = D + i * n.m_pad;
      for (std::size_t j = 0; j < n.m_pad; ++j) row[j] = (c * s.net.a[j]) * row[j];
    }
    if (p.gradient) {
      s.kernels->gemm_tn(n.m, n.ldx, cnt, D, n.m_pad, tl.X, tl.ldx, G, n.ldx, !first);
    }
  });
  if (tiles < 0) return;
  if (p.gradient && tiles == 0) {
    for (std::size_t i = 0; i < n.m * n.ldx; ++i) G[i] = T(0);
  }
  s.shards.scalars[shard * kShardScalars] = loss;
  s.shards.scalars[shard * kShardScalars + 1] = zero_loss;
}

template <class T>
struct Update {
  State<T>* s;
  T eta, beta;
};

// W <- W - eta (sum_k G_k + beta W), rows [8 item, 8 item + 8).
template <class T>
void update_task(void* ctx, std::size_t item, std::size_t) {
  Update<T>& u = *static_cast<Update<T>*>(ctx);
  State<T>& s = *u.s;
  const Dims& n = s.dims;
  const std::size_t i_end = (item + 1) * 8 < n.m ? (item + 1) * 8 : n.m;
  for (std::size_t i = item * 8; i < i_end; ++i) {
    bool finite = true;
    T* w = s.net.W + i * n.ldx;
    for (std::size_t j = 0; j < n.d; ++j) {
      const T g = sum_shards<T>(s.shards.grad, n.shards, n.m * n.ldx, i * n.ldx + j);
      w[j] = w[j] - u.eta * (g + u.beta * w[j]);
      finite = finite && std::isfinite(w[j]);
    }
    s.net.bad_rows[i] = finite ? 0 : 1;
  }
}

// Pre-pass of DLS22 preprocessing: per shard, the sum of y and of y x.
template <class T>
void preprocess_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  const std::size_t ldx = s.dims.ldx;
  T* B = s.shards.beta + shard * ldx;
  double ysum = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool first) {
    for (std::size_t i = 0; i < tl.rows; ++i) ysum += static_cast<double>(tl.y[i]);
    s.kernels->gemm_tn(1, ldx, tl.rows, tl.y, 1, tl.X, tl.ldx, B, ldx, !first);
  });
  if (tiles < 0) return;
  if (tiles == 0) {
    for (std::size_t j = 0; j < ldx; ++j) B[j] = T(0);
  }
  s.shards.scalars[shard * kShardScalars] = ysum;
}

// ybar = mean(y) and beta = mean(y x) on fit1, and beta's kernel panel.
template <class T>
Status fit_preprocessing(State<T>& s) {
  const Dims& n = s.dims;
  const std::uint64_t n1 = s.config.n1;
  Pass<T> pass{&s, &s.fit1, 0, n1, false};
  MIMKIT_TRY(run_shards(s, &preprocess_task<T>, &pass));
  s.prep.ybar = static_cast<T>(shard_scalar(s, 0) / static_cast<double>(n1));
  for (std::size_t j = 0; j < n.ldx; ++j) {
    s.prep.beta[j] = sum_shards<T>(s.shards.beta, n.shards, n.ldx, j) / static_cast<T>(n1);
  }
  for (std::size_t j = 0; j < n.d; ++j) {
    for (std::size_t q = 0; q < kPad; ++q) {
      s.prep.beta_panel[j * kPad + q] = q == 0 ? s.prep.beta[j] : T(0);
    }
  }
  return Status();
}

}  // namespace

template <class T>
Status phase1_objective(State<T>& s, bool gradient, double* loss) {
  pack_w(s);
  Pass<T> pass{&s, &s.fit1, 0, s.config.n1, gradient};
  MIMKIT_TRY(run_shards(s, &phase1_task<T>, &pass));
  *loss = shard_scalar(s, 0) / static_cast<double>(s.config.n1);
  return Status();
}

// Fills the trace point of the current W from its metrics.
template <class T>
void fill_trace_point(TracePoint* tp, std::size_t step, double loss, double align,
                      const SubspaceMetrics& sm, const WeightMechanism& mech) {
  *tp = TracePoint();
  tp->step = step;
  tp->train_loss = loss;
  tp->alignment = align;
  tp->min_cosine = sm.min_cosine;
  for (std::size_t k = 0; k < mech.r && k < TracePoint::kDirections; ++k) {
    tp->mass[k] = mech.mass[k];
    tp->rank[k] = mech.rank[k];
    tp->overlap[k] = mech.overlap[k];
  }
  for (std::size_t p = 0; p < mech.singular_count && p < TracePoint::kDirections + 2; ++p) {
    tp->singular_values[p] = mech.singular_values[p];
  }
}

template <class T>
Status phase1(State<T>& s, Report* rep, Clock& clock) {
  const RunConfig& c = s.config;
  const Dims& n = s.dims;
  rep->trace_count = 0;
  rep->trace = s.trace.points;
  if (!s.variant.trains_phase1) {
    rep->phase1.train_loss = NAN;
    return measure_weights(s, &rep->phase1.alignment, &rep->phase1.subspace,
                           &rep->phase1.mechanism);
  }
  if (s.variant.preprocess_labels) MIMKIT_TRY(fit_preprocessing(s));
  const std::size_t points = trace_schedule(c, s.trace.steps);
  std::size_t next_trace = 0;
  double metrics_s = 0;
  double last_loss = 0;
  clock.phase_start = platform::now_seconds();
  Update<T> update{&s, static_cast<T>(c.eta1), static_cast<T>(c.beta1)};
  for (std::size_t step = 0; step < c.T1; ++step) {
    pack_w(s);
    Pass<T> pass{&s, &s.fit1, 0, c.n1, true};
    if (s.variant.rows == Phase1Rows::online) {
      pass = Pass<T>{&s, &s.online, static_cast<std::uint64_t>(step) * c.batch, c.batch, true};
    }
    MIMKIT_TRY(run_shards(s, &phase1_task<T>, &pass));
    const double loss = shard_scalar(s, 0) / static_cast<double>(pass.n);
    const double zero_loss = shard_scalar(s, 1) / static_cast<double>(pass.n);
    MIMKIT_TRY(check_phase1_loss(s, step, loss, zero_loss, last_loss));
    if (next_trace < points && s.trace.steps[next_trace] == step) {
      const double tm = platform::now_seconds();
      double align = 0;
      SubspaceMetrics sm;
      WeightMechanism mech;
      MIMKIT_TRY(measure_weights(s, &align, &sm, &mech));
      fill_trace_point<T>(&s.trace.points[rep->trace_count++], step, loss, align, sm, mech);
      ++next_trace;
      metrics_s += platform::now_seconds() - tm;
    }
    s.pool.run((n.m + 7) / 8, &update_task<T>, &update);
    MIMKIT_TRY(check_phase1_weights(s, step + 1, loss));
    last_loss = loss;
    if (!report_progress(s, "phase1", step + 1, c.T1, loss, clock)) {
      return Status::error(Code::cancelled, "phase1", "cancelled at step %zu", step + 1);
    }
  }
  const double phase1_s = clock.since_phase() - metrics_s;
  rep->timings.phase1_s = phase1_s;
  rep->timings.phase1_step_s = c.T1 > 0 ? phase1_s / static_cast<double>(c.T1) : 0;
  // Final loss on fit1 and the metrics of the final W.
  MIMKIT_TRY(phase1_objective(s, false, &rep->phase1.train_loss));
  MIMKIT_TRY(check_phase1_loss(s, c.T1, rep->phase1.train_loss,
                               shard_scalar(s, 1) / static_cast<double>(c.n1), last_loss));
  MIMKIT_TRY(
      measure_weights(s, &rep->phase1.alignment, &rep->phase1.subspace, &rep->phase1.mechanism));
  if (next_trace < points && s.trace.steps[next_trace] == c.T1) {
    fill_trace_point<T>(&s.trace.points[rep->trace_count++], c.T1, rep->phase1.train_loss,
                        rep->phase1.alignment, rep->phase1.subspace, rep->phase1.mechanism);
  }
  return Status();
}

#define MIMKIT_INSTANTIATE(T)                                    \
  template Status phase1_objective<T>(State<T>&, bool, double*); \
  template Status phase1<T>(State<T>&, Report*, Clock&);
MIMKIT_INSTANTIATE(float)
MIMKIT_INSTANTIATE(double)
#undef MIMKIT_INSTANTIATE

}  // namespace train
}  // namespace mimkit
