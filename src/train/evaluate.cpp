// Measurements of the network: test error, recovery metrics of W, and the weights digest.
#include <cmath>

#include "mimkit/digest.hpp"
#include "train/network.hpp"
#include "train/passes.hpp"
#include "train/phases.hpp"

namespace mimkit {
namespace train {

namespace {

// Over shard k of the test set: sums of (f - y)^2, y, y^2 and the loss.
template <class T>
void test_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  const Dims& n = s.dims;
  T* act = worker_tile(s.scratch.act, n, w, n.m_pad);
  T* F = worker_tile(s.scratch.pred, n, w, kPad);
  double se = 0, ys = 0, yy = 0, loss = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool) {
    phase2_features(s, tl, w, act);
    s.kernels->gemm_nn_packed(tl.rows, kPad, n.m_pad, act, n.m_pad, s.net.a_panel, F, kPad, false);
    for (std::size_t i = 0; i < tl.rows; ++i) {
      const double f = static_cast<double>(F[i * kPad]);
      const double y = static_cast<double>(tl.y[i]);
      se += (f - y) * (f - y);
      ys += y;
      yy += y * y;
      loss += s.loss.value(f, y);
    }
  });
  if (tiles < 0) return;
  double* out = s.shards.scalars + shard * kShardScalars;
  out[0] = se;
  out[1] = ys;
  out[2] = yy;
  out[3] = loss;
}

}  // namespace

// mean (f - y)^2 / Var(y) of the network on `data` (n rows).
template <class T>
Status relative_error(State<T>& s, const DataSet<T>& data, std::uint64_t rows, const char* name,
                      double* out) {
  Pass<T> pass{&s, &data, 0, rows, false};
  MIMKIT_TRY(run_shards(s, &test_task<T>, &pass));
  const double n = static_cast<double>(rows);
  const double mse = shard_scalar(s, 0) / n;
  const double mean = shard_scalar(s, 1) / n;
  const double var = shard_scalar(s, 2) / n - mean * mean;
  *out = var > 0 ? mse / var : mse;
  if (!std::isfinite(*out)) {
    return Status::error(Code::numerical_error, "phase2", "the %s error is not finite", name);
  }
  return Status();
}

template <class T>
Status evaluate(State<T>& s, Report* rep) {
  MIMKIT_TRY(
      relative_error(s, s.validation, s.config.nval, "validation", &rep->phase2.validation_error));
  return relative_error(s, s.test, s.config.ntest, "test", &rep->phase2.test_error);
}

template <class T>
Status measure_weights(State<T>& s, double* alignment_out, SubspaceMetrics* subspace,
                       WeightMechanism* mechanism) {
  const Dims& n = s.dims;
  *alignment_out = alignment<T>(s.net.W, n.m, n.d, n.ldx, s.model.subspace(), n.r);
  return weight_metrics<T>(s.net.W, n.m, n.d, n.ldx, s.model.subspace(), n.r, s.metrics.work,
                           subspace, mechanism);
}

template <class T>
std::uint64_t weights_digest(const State<T>& s) {
  const Dims& n = s.dims;
  Digest digest;
  for (std::size_t i = 0; i < n.m; ++i) digest.update(s.net.W + i * n.ldx, n.d * sizeof(T));
  digest.update(s.net.b, n.m * sizeof(T));
  digest.update(s.net.a, n.m * sizeof(T));
  return digest.value();
}

#define MIMKIT_INSTANTIATE(T)                                                                 \
  template Status evaluate<T>(State<T>&, Report*);                                            \
  template Status measure_weights<T>(State<T>&, double*, SubspaceMetrics*, WeightMechanism*); \
  template std::uint64_t weights_digest<T>(const State<T>&);
MIMKIT_INSTANTIATE(float)
MIMKIT_INSTANTIATE(double)
#undef MIMKIT_INSTANTIATE

}  // namespace train
}  // namespace mimkit
