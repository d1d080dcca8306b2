#include "train/state.hpp"

#include "mimkit/metrics.hpp"

namespace mimkit {
namespace train {

template <class T>
DataSet<T>& State<T>::data(Dataset dataset) noexcept {
  switch (dataset) {
    case Dataset::fit1:
      return fit1;
    case Dataset::fit2:
      return fit2;
    case Dataset::test:
      return test;
    case Dataset::online:
      return online;
    case Dataset::validation:
      return validation;
  }
  return fit1;
}

std::size_t datasets_used(const RunConfig& c, const VariantPlan& variant,
                          DatasetUse* out) noexcept {
  std::size_t count = 0;
  out[count++] = DatasetUse{Dataset::fit1, c.n1, c.mode};
  out[count++] = DatasetUse{Dataset::fit2, c.n2, c.mode};
  // The test and validation sets are read once: regenerating costs no more than storing.
  out[count++] = DatasetUse{Dataset::test, c.ntest, DataMode::stream};
  out[count++] = DatasetUse{Dataset::validation, c.nval, DataMode::stream};
  if (variant.rows == Phase1Rows::online) {
    out[count++] =
        DatasetUse{Dataset::online, static_cast<std::uint64_t>(c.T1) * c.batch, DataMode::stream};
  }
  return count;
}

std::size_t trace_schedule(const RunConfig& c, std::size_t* out) noexcept {
  const std::size_t T1 = c.T1;
  std::size_t count = 0;
  auto put = [&](std::size_t step) {
    if (out != nullptr) out[count] = step;
    ++count;
  };
  if (c.trace_every > 0) {
    for (std::size_t step = 0; step < T1; step += c.trace_every) put(step);
    put(T1);
    return count;
  }
  if (c.trace == 0) return 0;
  // 0, then 1-1.5-2-3-5-7 per decade (integers only, so the schedule is the same everywhere),
  // then T1: at most 1 + 6 x 7 + 1 steps for T1 <= 10^6.
  static const std::size_t kMantissas[] = {10, 15, 20, 30, 50, 70};
  std::size_t all[64];
  std::size_t n = 0;
  all[n++] = 0;
  for (std::size_t decade = 1; decade <= T1; decade *= 10) {
    for (std::size_t mant : kMantissas) {
      const std::size_t step = mant * decade / 10;
      if (step >= 1 && step < T1 && step > all[n - 1]) all[n++] = step;
    }
  }
  if (T1 > all[n - 1]) all[n++] = T1;
  const std::size_t points = c.trace;
  if (n <= points) {
    for (std::size_t i = 0; i < n; ++i) put(all[i]);
    return count;
  }
  std::size_t last = 0;
  for (std::size_t i = 0; i < points; ++i) {
    const std::size_t idx = points == 1 ? n - 1 : i * (n - 1) / (points - 1);
    if (count == 0 || all[idx] != last) {
      last = all[idx];
      put(last);
    }
  }
  return count;
}

template <class T>
void set_sizes(State<T>& s, const RunConfig& c, std::size_t threads) {
  s.config = c;
  s.variant = plan_variant(c);
  Dims& n = s.dims;
  n.m = c.m;
  n.m_pad = round_up(c.m, kPad);
  n.d = c.d;
  n.ldx = padded_stride<T>(c.d);
  n.r = c.r;
  n.shards = c.shards;
  n.workers = threads;
  n.tile = c.tile_rows;
  n.k_dim = c.r + kOversample < c.d ? c.r + kOversample : c.d;
  n.k_pad = round_up(n.k_dim, kPad);
  s.loss = make_loss(c, nullptr);
}

namespace {

// a b (c), saturating at the largest size_t: a saturated count makes the arena report a buffer
// past the address space instead of carving a wrapped-around size.
std::size_t prod(std::uint64_t a, std::uint64_t b, std::uint64_t c = 1) {
  const std::uint64_t max = static_cast<std::uint64_t>(~std::size_t(0));
  if (a != 0 && b > max / a) return ~std::size_t(0);
  const std::uint64_t ab = a * b;
  if (ab != 0 && c > max / ab) return ~std::size_t(0);
  return static_cast<std::size_t>(ab * c);
}

}  // namespace

template <class T>
Status carve(State<T>& s, Arena& arena) {
  const RunConfig& c = s.config;
  const Dims& n = s.dims;
  const std::size_t m = n.m, mp = n.m_pad, d = n.d, ldx = n.ldx, S = n.shards;
  const std::size_t tiles = prod(n.workers, n.tile);

  NetworkBuffers<T>& net = s.net;
  MIMKIT_TRY(arena.allocate(prod(m, ldx), &net.W, "W"));
  MIMKIT_TRY(arena.allocate(prod(d, mp), &net.W_packed, "packed W^T"));
  MIMKIT_TRY(arena.allocate(mp, &net.a, "a"));
  MIMKIT_TRY(arena.allocate(mp, &net.b, "b"));
  MIMKIT_TRY(arena.allocate(prod(mp, kPad), &net.a_panel, "a panel"));

  ShardBuffers<T>& sh = s.shards;
  MIMKIT_TRY(arena.allocate(prod(S, m, ldx), &sh.grad, "gradient shards"));
  MIMKIT_TRY(arena.allocate(prod(S, kShardScalars), &sh.scalars, "shard sums"));
  MIMKIT_TRY(arena.allocate(S, &sh.status, "shard status"));
  MIMKIT_TRY(arena.allocate(m, &net.bad_rows, "row flags"));

  TileScratch<T>& ts = s.scratch;
  MIMKIT_TRY(arena.allocate(prod(tiles, mp), &ts.Z, "Z tiles"));
  MIMKIT_TRY(arena.allocate(prod(tiles, mp), &ts.act, "activation tiles"));
  MIMKIT_TRY(arena.allocate(prod(tiles, mp), &ts.deriv, "derivative tiles"));
  MIMKIT_TRY(arena.allocate(prod(tiles, kPad), &ts.pred, "prediction tiles"));
  MIMKIT_TRY(arena.allocate(prod(tiles, kPad), &ts.labels, "label tiles"));

  if (s.variant.preprocess_labels) {
    MIMKIT_TRY(arena.allocate(ldx, &s.prep.beta, "beta"));
    MIMKIT_TRY(arena.allocate(prod(d, kPad), &s.prep.beta_panel, "beta panel"));
    MIMKIT_TRY(arena.allocate(prod(S, ldx), &sh.beta, "beta shards"));
  }
  if (c.spectral) {
    SpectralBuffers<T>& sp = s.spectral;
    const std::size_t k = n.k_dim, kp = n.k_pad;
    MIMKIT_TRY(arena.allocate(prod(tiles, kp), &ts.projected, "spectral tiles"));
    MIMKIT_TRY(arena.allocate(prod(d, kp), &sp.V, "spectral V"));
    MIMKIT_TRY(arena.allocate(prod(S, d, kp), &sh.spectral, "spectral shards"));
    MIMKIT_TRY(arena.allocate(prod(k, d), &sp.basis, "spectral basis"));
    MIMKIT_TRY(arena.allocate(prod(k, k), &sp.H, "Rayleigh quotient"));
    MIMKIT_TRY(arena.allocate(k, &sp.ritz_values, "Ritz values"));
    MIMKIT_TRY(arena.allocate(prod(k, k), &sp.ritz_vectors, "Ritz vectors"));
    MIMKIT_TRY(arena.allocate(prod(k, k), &sp.eigen_work, "eigen work"));
  }
  MIMKIT_TRY(arena.allocate(prod(S, m, mp), &sh.gram, "Gram shards"));
  MIMKIT_TRY(arena.allocate(prod(S, m, kPad), &sh.rhs, "right-hand-side shards"));
  MIMKIT_TRY(arena.allocate(prod(m, m), &s.phase2.system, "phase-2 system"));
  MIMKIT_TRY(arena.allocate(m, &s.phase2.solution, "phase-2 solution"));
  if (c.phase2 == Phase2Solver::gd) {
    MIMKIT_TRY(arena.allocate(prod(c.n2, mp), &s.phase2.features, "phase-2 features"));
    MIMKIT_TRY(arena.allocate(prod(c.n2, 1), &s.phase2.labels, "phase-2 labels"));
  }
  // The metrics workspace doubles as d- and m-sized scratch at init and in phase 2.
  MIMKIT_TRY(arena.allocate(metrics_workspace(m, d, n.r) + d + m, &s.metrics.work, "metrics work"));
  MIMKIT_TRY(arena.allocate(prod(n.r, d), &s.metrics.U, "U (double)"));
  MIMKIT_TRY(arena.allocate(prod(n.r, d), &s.metrics.estimate, "spectral estimate"));
  s.trace.capacity = trace_schedule(c, nullptr);
  MIMKIT_TRY(arena.allocate(s.trace.capacity, &s.trace.steps, "trace schedule"));
  MIMKIT_TRY(arena.allocate(s.trace.capacity, &s.trace.points, "trace"));
  return Status();
}

template struct State<float>;
template struct State<double>;
template void set_sizes<float>(State<float>&, const RunConfig&, std::size_t);
template void set_sizes<double>(State<double>&, const RunConfig&, std::size_t);
template Status carve<float>(State<float>&, Arena&);
template Status carve<double>(State<double>&, Arena&);

}  // namespace train
}  // namespace mimkit
