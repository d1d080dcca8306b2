#include "mimkit/train.hpp"

#include <chrono>
#include <cmath>
#include <cstring>
#include <new>

#include "kernels/kernels.hpp"
#include "linalg.hpp"
#include "mimkit/data.hpp"
#include "mimkit/digest.hpp"
#include "mimkit/rng.hpp"
#include "threads.hpp"

namespace mimkit {

namespace {

constexpr std::size_t kPad = 16;  // every ISA's lane count divides it
// Spectral estimator: block size r + kOversample (more columns converge faster and more
// reliably than exactly r).
constexpr std::size_t kOversample = 8;

std::size_t round_up(std::size_t x, std::size_t m) {
  return (x + m - 1) / m * m;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Loss value and derivative in the prediction t, in double (IEEE, the same everywhere).
struct LossFn {
  Loss kind;
  double delta;
  void (*custom)(double t, double y, double* value, double* slope, void* user) = nullptr;
  void* user = nullptr;
  double value(double t, double y) const {
    if (custom != nullptr) {
      double v = 0, sl = 0;
      custom(t, y, &v, &sl, user);
      return v;
    }
    const double e = t - y;
    const double ae = std::fabs(e);
    switch (kind) {
      case Loss::squared:
        return 0.5 * e * e;
      case Loss::absolute:
        return ae;
      case Loss::huber:
        return ae <= delta ? 0.5 * e * e : delta * (ae - 0.5 * delta);
    }
    return 0;
  }
  double slope(double t, double y) const {
    if (custom != nullptr) {
      double v = 0, sl = 0;
      custom(t, y, &v, &sl, user);
      return sl;
    }
    const double e = t - y;
    switch (kind) {
      case Loss::squared:
        return e;
      case Loss::absolute:
        return e > 0 ? 1.0 : (e < 0 ? -1.0 : 0.0);
      case Loss::huber:
        return e > delta ? delta : (e < -delta ? -delta : e);
    }
    return 0;
  }
};

// The label transform T(y) of the spectral estimator.
double spectral_transform(SpectralTransform t, const LossFn& loss, double y) {
  switch (t) {
    case SpectralTransform::identity:
      return y;
    case SpectralTransform::sign:
      return y > 0 ? 1.0 : (y < 0 ? -1.0 : 0.0);
    case SpectralTransform::clip:
      return y > loss.delta ? loss.delta : (y < -loss.delta ? -loss.delta : y);
    case SpectralTransform::abs:
      return std::fabs(y);
    case SpectralTransform::loss:
      return -loss.slope(0.0, y);
  }
  return y;
}

// Log-spaced trace steps: 0, then 1-1.5-2-3-5-7 per decade (integers only, so the schedule
// is the same everywhere), then T1; thinned evenly to at most `points`.
std::size_t trace_schedule(std::size_t T1, std::size_t points, std::size_t* out) {
  if (points == 0) return 0;
  static const std::size_t kMantissas[] = {10, 15, 20, 30, 50, 70};
  std::size_t all[Report::kMaxTrace * 4];
  std::size_t count = 0;
  all[count++] = 0;
  for (std::size_t decade = 1; decade <= T1 && count < Report::kMaxTrace * 4 - 8; decade *= 10) {
    for (std::size_t mant : kMantissas) {
      const std::size_t step = mant * decade / 10;
      if (step >= 1 && step < T1 && step > all[count - 1]) all[count++] = step;
    }
  }
  if (T1 > all[count - 1]) all[count++] = T1;
  if (count <= points) {
    for (std::size_t i = 0; i < count; ++i) out[i] = all[i];
    return count;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < points; ++i) {
    const std::size_t idx = points == 1 ? count - 1 : i * (count - 1) / (points - 1);
    if (kept == 0 || all[idx] != out[kept - 1]) out[kept++] = all[idx];
  }
  return kept;
}

template <class T>
struct State {
  RunConfig cfg;
  Execution exec;
  const kernels::Table<T>* k = nullptr;
  const kernels::Table<double>* k64 = nullptr;
  LossFn loss{Loss::squared, 1.0};
  CustomFunctions custom;
  Link link;
  Model<T> model;
  DataSet<T> fit1, fit2, test, online;
  ThreadPool pool;

  std::size_t m = 0, mpad = 0, d = 0, ldx = 0, r = 0, S = 0, P = 0, tile = 0;
  std::size_t kdim = 0, kpad = 0;

  T* W = nullptr;                     // m x ldx
  T* Wt = nullptr;                    // W^T (d x mpad) in pack_b's panels
  T* a = nullptr;                     // mpad
  T* b = nullptr;                     // mpad
  T* apad = nullptr;                  // mpad x kPad, a in column 0, in pack_b's panels
  T* Gsh = nullptr;                   // S x m x ldx
  double* acc_sh = nullptr;           // S x 4 per-shard scalar sums
  Status* st_sh = nullptr;            // S
  unsigned char* bad_rows = nullptr;  // m: non-finite flags of the last update

  // Per worker.
  T* Z = nullptr;   // P x tile x mpad
  T* Sg = nullptr;  // P x tile x mpad
  T* Dp = nullptr;  // P x tile x mpad
  T* F = nullptr;   // P x tile x kPad
  T* Yw = nullptr;  // P x tile x kPad
  T* Pw = nullptr;  // P x tile x kpad (spectral)

  // DLS22 label preprocessing.
  T* beta = nullptr;      // ldx
  T* beta_pad = nullptr;  // d x kPad
  T* beta_sh = nullptr;   // S x ldx
  T ybar = 0;
  bool preprocess = false;

  // Spectral estimator.
  T* V = nullptr;        // d x kpad
  T* Ysh = nullptr;      // S x d x kpad
  double* Vd = nullptr;  // kdim x d
  double* H = nullptr;   // kdim x kdim, eigenvalues, eigenvectors, work
  double* Hw = nullptr;
  double* He = nullptr;
  double* Hwork = nullptr;

  // Phase 2.
  T* Gram_sh = nullptr;  // S x m x mpad
  T* rhs_sh = nullptr;   // S x m x kPad
  double* A2 = nullptr;  // m x m
  double* x2 = nullptr;  // m
  T* Phi = nullptr;      // n2 x mpad (gd only)
  T* y2 = nullptr;       // n2 (gd only)

  // Metrics.
  double* mwork = nullptr;
  double* Ud = nullptr;   // r x d
  double* Est = nullptr;  // r x d
};

// Carves every buffer of the state (or, with a measuring arena, only counts them).
template <class T>
Status carve(State<T>& s, Arena& arena) {
  const RunConfig& c = s.cfg;
  const std::size_t m = s.m, mpad = s.mpad, d = s.d, ldx = s.ldx, S = s.S, P = s.P;
  const std::size_t tile = s.tile;
  MIMKIT_TRY(arena.allocate(m * ldx, &s.W, "W"));
  MIMKIT_TRY(arena.allocate(d * mpad, &s.Wt, "packed W^T"));
  MIMKIT_TRY(arena.allocate(mpad, &s.a, "a"));
  MIMKIT_TRY(arena.allocate(mpad, &s.b, "b"));
  MIMKIT_TRY(arena.allocate(mpad * kPad, &s.apad, "a panel"));
  MIMKIT_TRY(arena.allocate(S * m * ldx, &s.Gsh, "gradient shards"));
  MIMKIT_TRY(arena.allocate(S * 4, &s.acc_sh, "shard sums"));
  MIMKIT_TRY(arena.allocate(S, &s.st_sh, "shard status"));
  MIMKIT_TRY(arena.allocate(m, &s.bad_rows, "row flags"));
  MIMKIT_TRY(arena.allocate(P * tile * mpad, &s.Z, "Z tiles"));
  MIMKIT_TRY(arena.allocate(P * tile * mpad, &s.Sg, "activation tiles"));
  MIMKIT_TRY(arena.allocate(P * tile * mpad, &s.Dp, "derivative tiles"));
  MIMKIT_TRY(arena.allocate(P * tile * kPad, &s.F, "prediction tiles"));
  MIMKIT_TRY(arena.allocate(P * tile * kPad, &s.Yw, "label tiles"));
  if (s.preprocess) {
    MIMKIT_TRY(arena.allocate(ldx, &s.beta, "beta"));
    MIMKIT_TRY(arena.allocate(d * kPad, &s.beta_pad, "beta panel"));
    MIMKIT_TRY(arena.allocate(S * ldx, &s.beta_sh, "beta shards"));
  }
  if (c.spectral) {
    MIMKIT_TRY(arena.allocate(P * tile * s.kpad, &s.Pw, "spectral tiles"));
    MIMKIT_TRY(arena.allocate(d * s.kpad, &s.V, "spectral V"));
    MIMKIT_TRY(arena.allocate(S * d * s.kpad, &s.Ysh, "spectral shards"));
    MIMKIT_TRY(arena.allocate(s.kdim * d, &s.Vd, "spectral basis"));
    MIMKIT_TRY(arena.allocate(s.kdim * s.kdim, &s.H, "Rayleigh quotient"));
    MIMKIT_TRY(arena.allocate(s.kdim, &s.Hw, "Ritz values"));
    MIMKIT_TRY(arena.allocate(s.kdim * s.kdim, &s.He, "Ritz vectors"));
    MIMKIT_TRY(arena.allocate(s.kdim * s.kdim, &s.Hwork, "eigen work"));
  }
  MIMKIT_TRY(arena.allocate(S * m * mpad, &s.Gram_sh, "Gram shards"));
  MIMKIT_TRY(arena.allocate(S * m * kPad, &s.rhs_sh, "right-hand-side shards"));
  MIMKIT_TRY(arena.allocate(m * m, &s.A2, "phase-2 system"));
  MIMKIT_TRY(arena.allocate(m, &s.x2, "phase-2 solution"));
  if (c.phase2 == Phase2Solver::gd) {
    MIMKIT_TRY(arena.allocate(static_cast<std::size_t>(c.n2) * mpad, &s.Phi, "phase-2 features"));
    MIMKIT_TRY(arena.allocate(static_cast<std::size_t>(c.n2), &s.y2, "phase-2 labels"));
  }
  // The metrics workspace doubles as d- and m-sized scratch at init and in phase 2.
  MIMKIT_TRY(arena.allocate(metrics_workspace(m, d, s.r) + d + m, &s.mwork, "metrics work"));
  MIMKIT_TRY(arena.allocate(s.r * d, &s.Ud, "U (double)"));
  MIMKIT_TRY(arena.allocate(s.r * d, &s.Est, "spectral estimate"));
  return Status();
}

template <class T>
void set_sizes(State<T>& s, const RunConfig& c, std::size_t threads) {
  s.cfg = c;
  s.m = c.m;
  s.mpad = round_up(c.m, kPad);
  s.d = c.d;
  s.ldx = padded_stride<T>(c.d);
  s.r = c.r;
  s.S = c.shards;
  s.P = threads;
  s.tile = c.tile_rows;
  s.kdim = c.r + kOversample < c.d ? c.r + kOversample : c.d;
  s.kpad = round_up(s.kdim, kPad);
  s.preprocess = c.variant == Variant::dls22 && c.preprocess;
  s.loss = LossFn{c.loss, c.huber_delta};
}

// Bytes of everything except the state's own buffers.
template <class T>
std::size_t data_bytes(const RunConfig& c, std::size_t threads) {
  const ModelConfig mc = model_config(c);
  std::size_t bytes = Model<T>::plan(mc);
  bytes += DataSet<T>::plan(mc, c.n1, c.mode, threads);
  bytes += DataSet<T>::plan(mc, c.n2, c.mode, threads);
  bytes += DataSet<T>::plan(mc, c.ntest, DataMode::stream, threads);
  if (c.variant == Variant::online) {
    bytes +=
        DataSet<T>::plan(mc, static_cast<std::uint64_t>(c.T1) * c.batch, DataMode::stream, threads);
  }
  return bytes;
}

// Shard k of n rows starting at row0.
void shard_range(std::uint64_t row0, std::uint64_t n, std::size_t k, std::size_t S,
                 std::uint64_t* begin, std::uint64_t* end) {
  *begin = row0 + n * k / S;
  *end = row0 + n * (k + 1) / S;
}

// ---------------------------------------------------------------------------------------------
// Tasks run on the pool. Each writes only its shard's outputs.
// ---------------------------------------------------------------------------------------------

template <class T>
struct Pass {
  State<T>* s;
  const DataSet<T>* data;
  std::uint64_t row0, n;
  bool gradient;  // phase 1: also accumulate G (otherwise only the loss)
};

// Runs body(tile, first) over the tiles of `shard` of the pass, in row order. Returns the
// number of tiles, or -1 after recording the failing Status of rows() in st_sh[shard].
template <class T, class Body>
long for_each_tile(const Pass<T>& p, std::size_t shard, std::size_t w, Body&& body) {
  State<T>& s = *p.s;
  std::uint64_t begin = 0, end = 0;
  shard_range(p.row0, p.n, shard, s.S, &begin, &end);
  long tiles = 0;
  for (std::uint64_t r0 = begin; r0 < end; r0 += s.tile) {
    const std::size_t cnt = static_cast<std::size_t>(end - r0 < s.tile ? end - r0 : s.tile);
    Tile<T> tl;
    const Status st = p.data->rows(r0, cnt, &tl, w);
    if (!st.ok()) {
      s.st_sh[shard] = st;
      return -1;
    }
    body(tl, tiles == 0);
    ++tiles;
  }
  return tiles;
}

// W^T into the kernels' panel layout, once per step: every tile's Z = X W^T reads it in place.
template <class T>
void pack_wt(State<T>& s) {
  s.k->pack_b(s.d, s.mpad, s.W, s.ldx, true, s.m, s.Wt);
}

// a as column 0 of an mpad x kPad B, in the kernels' panel layout: f = sigma(Z) a reads it in
// place in every tile. a[m..mpad) is zero.
template <class T>
void set_a_panel(State<T>& s) {
  s.k->pack_b(s.mpad, kPad, s.a, s.mpad, true, 1, s.apad);
}

// Labels of a tile, after the optional DLS22 preprocessing, into Yw column 0.
template <class T>
const T* tile_labels(State<T>& s, const Tile<T>& tl, std::size_t w) {
  if (!s.preprocess) return tl.y;
  T* yw = s.Yw + w * s.tile * kPad;
  s.k->gemm_nn(tl.rows, kPad, s.d, tl.X, tl.ldx, s.beta_pad, kPad, yw, kPad, false);
  for (std::size_t i = 0; i < tl.rows; ++i) yw[i * kPad] = (tl.y[i] - s.ybar) - yw[i * kPad];
  return nullptr;  // caller reads column 0 of Yw
}

// sigma and sigma' of Z + b for a tile: the kernel, or the user's function element by element.
template <class T>
void activate(const State<T>& s, bool phase2, std::size_t rows, const T* Z, T* S, T* Dp) {
  const bool custom = s.custom.activation != nullptr && (!phase2 || s.custom.activation_in_phase2);
  if (!custom) {
    const int kind = static_cast<int>(phase2 ? s.cfg.activation2 : s.cfg.activation);
    s.k->activation(kind, rows, s.mpad, Z, s.mpad, s.b, S, Dp, s.mpad);
    return;
  }
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < s.mpad; ++j) {
      double v = 0, sl = 0;
      s.custom.activation(static_cast<double>(Z[i * s.mpad + j] + s.b[j]), &v, &sl, s.custom.user);
      if (S != nullptr) S[i * s.mpad + j] = static_cast<T>(v);
      if (Dp != nullptr) Dp[i * s.mpad + j] = static_cast<T>(sl);
    }
  }
}

template <class T>
void phase1_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  T* G = s.Gsh + shard * s.m * s.ldx;
  T* Z = s.Z + w * s.tile * s.mpad;
  T* Sg = s.Sg + w * s.tile * s.mpad;
  T* Dp = s.Dp + w * s.tile * s.mpad;
  T* F = s.F + w * s.tile * kPad;
  const T inv_n = T(1) / static_cast<T>(p.n);
  double loss = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool first) {
    const std::size_t cnt = tl.rows;
    s.k->gemm_nn_packed(cnt, s.mpad, s.d, tl.X, tl.ldx, s.Wt, Z, s.mpad, false);
    activate(s, false, cnt, Z, Sg, Dp);
    s.k->gemm_nn_packed(cnt, kPad, s.mpad, Sg, s.mpad, s.apad, F, kPad, false);
    const T* y = tile_labels(s, tl, w);
    const T* yw = s.Yw + w * s.tile * kPad;
    for (std::size_t i = 0; i < cnt; ++i) {
      const double f = static_cast<double>(F[i * kPad]);
      const double yi = static_cast<double>(y != nullptr ? y[i] : yw[i * kPad]);
      loss += s.loss.value(f, yi);
      if (!p.gradient) continue;
      const T c = static_cast<T>(s.loss.slope(f, yi)) * inv_n;
      T* row = Dp + i * s.mpad;
      for (std::size_t j = 0; j < s.mpad; ++j) row[j] = (c * s.a[j]) * row[j];
    }
    if (p.gradient) {
      s.k->gemm_tn(s.m, s.ldx, cnt, Dp, s.mpad, tl.X, tl.ldx, G, s.ldx, !first);
    }
  });
  if (tiles < 0) return;
  if (p.gradient && tiles == 0) {
    for (std::size_t i = 0; i < s.m * s.ldx; ++i) G[i] = T(0);
  }
  s.acc_sh[shard * 4] = loss;
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
  const std::size_t i_end = (item + 1) * 8 < s.m ? (item + 1) * 8 : s.m;
  for (std::size_t i = item * 8; i < i_end; ++i) {
    bool finite = true;
    T* w = s.W + i * s.ldx;
    for (std::size_t j = 0; j < s.d; ++j) {
      T g = s.Gsh[i * s.ldx + j];
      for (std::size_t k = 1; k < s.S; ++k) g = g + s.Gsh[(k * s.m + i) * s.ldx + j];
      w[j] = w[j] - u.eta * (g + u.beta * w[j]);
      finite = finite && std::isfinite(w[j]);
    }
    s.bad_rows[i] = finite ? 0 : 1;
  }
}

// Pre-pass of DLS22 preprocessing: per shard sum of y and of y x.
template <class T>
void preprocess_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  T* B = s.beta_sh + shard * s.ldx;
  double ysum = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool first) {
    const std::size_t cnt = tl.rows;
    for (std::size_t i = 0; i < cnt; ++i) ysum += static_cast<double>(tl.y[i]);
    s.k->gemm_tn(1, s.ldx, cnt, tl.y, 1, tl.X, tl.ldx, B, s.ldx, !first);
  });
  if (tiles < 0) return;
  if (tiles == 0) {
    for (std::size_t j = 0; j < s.ldx; ++j) B[j] = T(0);
  }
  s.acc_sh[shard * 4] = ysum;
}

// Spectral estimator pass: Y_k = sum_i T(y_i) x_i (x_i . V) over shard k; sum of T(y).
template <class T>
void spectral_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  T* Y = s.Ysh + shard * s.d * s.kpad;
  T* Pw = s.Pw + w * s.tile * s.kpad;
  double tsum = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool first) {
    const std::size_t cnt = tl.rows;
    s.k->gemm_nn(cnt, s.kpad, s.d, tl.X, tl.ldx, s.V, s.kpad, Pw, s.kpad, false);
    for (std::size_t i = 0; i < cnt; ++i) {
      const double t = spectral_transform(s.cfg.spectral_T, s.loss, static_cast<double>(tl.y[i]));
      tsum += t;
      const T tt = static_cast<T>(t);
      for (std::size_t q = 0; q < s.kpad; ++q) Pw[i * s.kpad + q] = tt * Pw[i * s.kpad + q];
    }
    s.k->gemm_tn(s.d, s.kpad, cnt, tl.X, tl.ldx, Pw, s.kpad, Y, s.kpad, !first);
  });
  if (tiles < 0) return;
  if (tiles == 0) {
    for (std::size_t i = 0; i < s.d * s.kpad; ++i) Y[i] = T(0);
  }
  s.acc_sh[shard * 4] = tsum;
}

// Phase-2 features of a tile: Phi = sigma2(X W^T + b) into Sg.
template <class T>
void features(State<T>& s, const Tile<T>& tl, std::size_t w, T* out) {
  T* Z = s.Z + w * s.tile * s.mpad;
  s.k->gemm_nn_packed(tl.rows, s.mpad, s.d, tl.X, tl.ldx, s.Wt, Z, s.mpad, false);
  activate(s, true, tl.rows, Z, out, static_cast<T*>(nullptr));
}

// Phase-2 Gram pass over fit2: Gram_k += Phi^T Phi, rhs_k += Phi^T y, sums of y^2 and ||phi||^2.
template <class T>
void gram_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  T* Gram = s.Gram_sh + shard * s.m * s.mpad;
  T* rhs = s.rhs_sh + shard * s.m * kPad;
  T* Sg = s.Sg + w * s.tile * s.mpad;
  T* Yw = s.Yw + w * s.tile * kPad;
  double y2 = 0, phi2 = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool first) {
    const std::size_t cnt = tl.rows;
    T* phi = s.Phi != nullptr ? s.Phi + tl.row0 * s.mpad : Sg;
    features(s, tl, w, phi);
    for (std::size_t i = 0; i < cnt; ++i) {
      for (std::size_t q = 0; q < kPad; ++q) Yw[i * kPad + q] = T(0);
      Yw[i * kPad] = tl.y[i];
      y2 += static_cast<double>(tl.y[i]) * static_cast<double>(tl.y[i]);
      for (std::size_t j = 0; j < s.m; ++j) {
        phi2 += static_cast<double>(phi[i * s.mpad + j]) * static_cast<double>(phi[i * s.mpad + j]);
      }
      if (s.y2 != nullptr) s.y2[tl.row0 + i] = tl.y[i];
    }
    s.k->gemm_tn(s.m, s.mpad, cnt, phi, s.mpad, phi, s.mpad, Gram, s.mpad, !first);
    s.k->gemm_tn(s.m, kPad, cnt, phi, s.mpad, Yw, kPad, rhs, kPad, !first);
  });
  if (tiles < 0) return;
  if (tiles == 0) {
    for (std::size_t i = 0; i < s.m * s.mpad; ++i) Gram[i] = T(0);
    for (std::size_t i = 0; i < s.m * kPad; ++i) rhs[i] = T(0);
  }
  s.acc_sh[shard * 4] = y2;
  s.acc_sh[shard * 4 + 1] = phi2;
}

// Phase-2 GD pass over the stored features: rhs_k (column 0) += Phi^T loss'(Phi a, y), loss.
template <class T>
void phase2_gd_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  std::uint64_t begin = 0, end = 0;
  shard_range(0, p.n, shard, s.S, &begin, &end);
  T* grad = s.rhs_sh + shard * s.m * kPad;
  T* F = s.F + w * s.tile * kPad;
  T* Yw = s.Yw + w * s.tile * kPad;
  double loss = 0;
  bool first = true;
  for (std::uint64_t r0 = begin; r0 < end; r0 += s.tile) {
    const std::size_t cnt = static_cast<std::size_t>(end - r0 < s.tile ? end - r0 : s.tile);
    const T* phi = s.Phi + r0 * s.mpad;
    s.k->gemm_nn_packed(cnt, kPad, s.mpad, phi, s.mpad, s.apad, F, kPad, false);
    for (std::size_t i = 0; i < cnt; ++i) {
      const double f = static_cast<double>(F[i * kPad]);
      const double yi = static_cast<double>(s.y2[r0 + i]);
      loss += s.loss.value(f, yi);
      for (std::size_t q = 0; q < kPad; ++q) Yw[i * kPad + q] = T(0);
      Yw[i * kPad] = static_cast<T>(s.loss.slope(f, yi));
    }
    if (p.gradient) s.k->gemm_tn(s.m, kPad, cnt, phi, s.mpad, Yw, kPad, grad, kPad, !first);
    first = false;
  }
  if (p.gradient && first) {
    for (std::size_t i = 0; i < s.m * kPad; ++i) grad[i] = T(0);
  }
  s.acc_sh[shard * 4] = loss;
}

// Test pass: sums of (f - y)^2, y, y^2 and the loss over the shard.
template <class T>
void test_task(void* ctx, std::size_t shard, std::size_t w) {
  Pass<T>& p = *static_cast<Pass<T>*>(ctx);
  State<T>& s = *p.s;
  T* Sg = s.Sg + w * s.tile * s.mpad;
  T* F = s.F + w * s.tile * kPad;
  double se = 0, ys = 0, yy = 0, loss = 0;
  const long tiles = for_each_tile(p, shard, w, [&](const Tile<T>& tl, bool) {
    features(s, tl, w, Sg);
    s.k->gemm_nn_packed(tl.rows, kPad, s.mpad, Sg, s.mpad, s.apad, F, kPad, false);
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
  s.acc_sh[shard * 4] = se;
  s.acc_sh[shard * 4 + 1] = ys;
  s.acc_sh[shard * 4 + 2] = yy;
  s.acc_sh[shard * 4 + 3] = loss;
}

// Runs a shard task over the pool and returns the first failing shard's Status (in shard
// order, so the reported error does not depend on scheduling).
template <class T>
Status run_shards(State<T>& s, ThreadPool::Task task, Pass<T>* pass) {
  for (std::size_t k = 0; k < s.S; ++k) s.st_sh[k] = Status();
  s.pool.run(s.S, task, pass);
  for (std::size_t k = 0; k < s.S; ++k) {
    if (!s.st_sh[k].ok()) return s.st_sh[k];
  }
  return Status();
}

// Sum over shards (in shard order) of column `c` of the per-shard scalar sums.
template <class T>
double shard_sum(const State<T>& s, std::size_t c) {
  double total = 0;
  for (std::size_t k = 0; k < s.S; ++k) total += s.acc_sh[k * 4 + c];
  return total;
}

template <class T>
bool report_progress(State<T>& s, const char* phase, std::size_t step, std::size_t steps,
                     double loss, std::chrono::steady_clock::time_point start,
                     std::chrono::steady_clock::time_point phase_start) {
  if (s.exec.progress == nullptr) return true;
  Progress p;
  p.phase = phase;
  p.step = step;
  p.steps = steps;
  p.loss = loss;
  p.alignment = std::strcmp(phase, "phase1") == 0
                    ? alignment<T>(s.W, s.m, s.d, s.ldx, s.model.subspace(), s.r)
                    : NAN;
  p.elapsed_s = seconds_since(start);
  p.phase_s = seconds_since(phase_start);
  return s.exec.progress(p, s.exec.user);
}

// Gaussian row j of the init stream, normalised, in double, into out[0..d).
template <class T>
void unit_row(State<T>& s, std::size_t j, double* out) {
  s.k64->normals(out, 0, s.d, s.cfg.seed, j, stream_id(kSourceInit, StreamPurpose::inputs));
  double norm2 = 0;
  for (std::size_t q = 0; q < s.d; ++q) norm2 += out[q] * out[q];
  const double inv = 1.0 / std::sqrt(norm2);
  for (std::size_t q = 0; q < s.d; ++q) out[q] *= inv;
}

template <class T>
void initialise_network(State<T>& s) {
  const RunConfig& c = s.cfg;
  double* v = s.mwork;  // d doubles of scratch (metrics_workspace >= d)
  for (std::size_t i = 0; i < s.m * s.ldx; ++i) s.W[i] = T(0);
  for (std::size_t j = 0; j < s.mpad; ++j) {
    s.a[j] = T(0);
    s.b[j] = T(0);
  }
  const std::size_t half = s.m / 2;
  if (c.variant == Variant::random_features) {
    for (std::size_t j = 0; j < s.m; ++j) {
      unit_row(s, j, v);
      for (std::size_t q = 0; q < s.d; ++q) s.W[j * s.ldx + q] = static_cast<T>(v[q]);
      s.a[j] = j < half ? T(1) : T(-1);
    }
  } else {
    for (std::size_t j = 0; j < half; ++j) {
      unit_row(s, j, v);
      for (std::size_t q = 0; q < s.d; ++q) {
        const T w = static_cast<T>(c.eps0 * v[q]);
        s.W[j * s.ldx + q] = w;
        s.W[(j + half) * s.ldx + q] = w;
      }
      s.a[j] = T(1);
      s.a[j + half] = T(-1);
    }
  }
  set_a_panel(s);
}

template <class T>
Status measure_phase1(State<T>& s, double* alignment_out, SubspaceMetrics* sm) {
  *alignment_out = alignment<T>(s.W, s.m, s.d, s.ldx, s.model.subspace(), s.r);
  return weight_metrics<T>(s.W, s.m, s.d, s.ldx, s.model.subspace(), s.r, s.mwork, sm);
}

template <class T>
Status phase1(State<T>& s, Report* rep, std::chrono::steady_clock::time_point start) {
  const RunConfig& c = s.cfg;
  if (s.preprocess) {
    Pass<T> pass{&s, &s.fit1, 0, c.n1, false};
    MIMKIT_TRY(run_shards(s, &preprocess_task<T>, &pass));
    const double n = static_cast<double>(c.n1);
    s.ybar = static_cast<T>(shard_sum(s, 0) / n);
    for (std::size_t j = 0; j < s.ldx; ++j) {
      T sum = s.beta_sh[j];
      for (std::size_t k = 1; k < s.S; ++k) sum = sum + s.beta_sh[k * s.ldx + j];
      s.beta[j] = sum / static_cast<T>(c.n1);
    }
    for (std::size_t j = 0; j < s.d; ++j) {
      for (std::size_t q = 0; q < kPad; ++q) s.beta_pad[j * kPad + q] = q == 0 ? s.beta[j] : T(0);
    }
  }
  std::size_t schedule[Report::kMaxTrace];
  const std::size_t points = trace_schedule(c.T1, c.trace, schedule);
  std::size_t next_trace = 0;
  rep->trace_count = 0;
  double metrics_s = 0;
  double last_loss = 0;
  const auto t0 = std::chrono::steady_clock::now();
  Update<T> upd{&s, static_cast<T>(c.eta1), static_cast<T>(c.beta1)};
  for (std::size_t step = 0; step < c.T1; ++step) {
    pack_wt(s);
    Pass<T> pass{&s, &s.fit1, 0, c.n1, true};
    if (c.variant == Variant::online) {
      pass = Pass<T>{&s, &s.online, static_cast<std::uint64_t>(step) * c.batch, c.batch, true};
    }
    MIMKIT_TRY(run_shards(s, &phase1_task<T>, &pass));
    const double loss = shard_sum(s, 0) / static_cast<double>(pass.n);
    if (!std::isfinite(loss)) {
      return Status::error(Code::numerical_error, "phase1",
                           "the training loss is not finite at step %zu (last finite loss %g); "
                           "lower eta1",
                           step, last_loss);
    }
    if (next_trace < points && schedule[next_trace] == step) {
      const auto tm = std::chrono::steady_clock::now();
      TracePoint& tp = rep->trace[rep->trace_count++];
      SubspaceMetrics sm;
      tp.step = step;
      tp.train_loss = loss;
      MIMKIT_TRY(measure_phase1(s, &tp.alignment, &sm));
      tp.min_cosine = sm.min_cosine;
      ++next_trace;
      metrics_s += seconds_since(tm);
    }
    s.pool.run((s.m + 7) / 8, &update_task<T>, &upd);
    for (std::size_t i = 0; i < s.m; ++i) {
      if (s.bad_rows[i] != 0) {
        return Status::error(Code::numerical_error, "phase1",
                             "W is not finite after step %zu (row %zu; last finite loss %g); "
                             "lower eta1",
                             step + 1, i, loss);
      }
    }
    last_loss = loss;
    if (!report_progress(s, "phase1", step + 1, c.T1, loss, start, t0)) {
      return Status::error(Code::cancelled, "phase1", "cancelled at step %zu", step + 1);
    }
  }
  const double phase1_s = seconds_since(t0) - metrics_s;
  rep->timings.phase1_s = phase1_s;
  rep->timings.phase1_step_s = c.T1 > 0 ? phase1_s / static_cast<double>(c.T1) : 0;
  // Final loss on fit1 and the metrics of the final W.
  pack_wt(s);
  Pass<T> pass{&s, &s.fit1, 0, c.n1, false};
  MIMKIT_TRY(run_shards(s, &phase1_task<T>, &pass));
  rep->phase1.train_loss = shard_sum(s, 0) / static_cast<double>(c.n1);
  MIMKIT_TRY(measure_phase1(s, &rep->phase1.alignment, &rep->phase1.subspace));
  if (next_trace < points && schedule[next_trace] == c.T1) {
    TracePoint& tp = rep->trace[rep->trace_count++];
    tp.step = c.T1;
    tp.train_loss = rep->phase1.train_loss;
    tp.alignment = rep->phase1.alignment;
    tp.min_cosine = rep->phase1.subspace.min_cosine;
  }
  return Status();
}

template <class T>
Status spectral(State<T>& s, Report* rep, std::chrono::steady_clock::time_point start) {
  const RunConfig& c = s.cfg;
  const std::size_t d = s.d, k = s.kdim, kp = s.kpad;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t q = 0; q < k; ++q) {
    s.k64->normals(s.Vd + q * d, 0, d, c.seed, 1000000 + q,
                   stream_id(kSourceInit, StreamPurpose::inputs));
  }
  linalg::orthonormalize_rows(s.Vd, k, d, d);
  const double n = static_cast<double>(c.n1);
  double tmean = 0;
  for (std::size_t it = 0; it <= c.spectral_iters; ++it) {
    for (std::size_t j = 0; j < d; ++j) {
      for (std::size_t q = 0; q < kp; ++q) {
        s.V[j * kp + q] = q < k ? static_cast<T>(s.Vd[q * d + j]) : T(0);
      }
    }
    Pass<T> pass{&s, &s.fit1, 0, c.n1, false};
    MIMKIT_TRY(run_shards(s, &spectral_task<T>, &pass));
    tmean = shard_sum(s, 0) / n;
    // Y = S_T V = (1/n) sum_k Y_k - mean(T) V, into Vd's layout (k x d) in double.
    for (std::size_t q = 0; q < k; ++q) {
      for (std::size_t j = 0; j < d; ++j) {
        double sum = 0;
        for (std::size_t sh = 0; sh < s.S; ++sh)
          sum += static_cast<double>(s.Ysh[(sh * d + j) * kp + q]);
        const double y = sum / n - tmean * static_cast<double>(s.V[j * kp + q]);
        // Shard 0's entry (j, q) holds the result: every shard's (j, q) was read just above.
        s.Ysh[j * kp + q] = static_cast<T>(y);
      }
    }
    if (it == c.spectral_iters) break;
    for (std::size_t q = 0; q < k; ++q) {
      for (std::size_t j = 0; j < d; ++j) s.Vd[q * d + j] = static_cast<double>(s.Ysh[j * kp + q]);
    }
    linalg::orthonormalize_rows(s.Vd, k, d, d);
    if (!report_progress(s, "spectral", it + 1, c.spectral_iters, NAN, start, t0)) {
      return Status::error(Code::cancelled, "spectral", "cancelled at iteration %zu", it + 1);
    }
  }
  // Rayleigh-Ritz: H = V^T S V with V the current orthonormal basis (rows of Vd).
  for (std::size_t p = 0; p < k; ++p) {
    for (std::size_t q = 0; q < k; ++q) {
      double h = 0;
      for (std::size_t j = 0; j < d; ++j)
        h += s.Vd[p * d + j] * static_cast<double>(s.Ysh[j * kp + q]);
      s.H[p * k + q] = h;
    }
  }
  for (std::size_t p = 0; p < k; ++p) {
    for (std::size_t q = 0; q < p; ++q) {
      const double h = 0.5 * (s.H[p * k + q] + s.H[q * k + p]);
      s.H[p * k + q] = h;
      s.H[q * k + p] = h;
    }
  }
  if (!linalg::eigh(s.H, k, k, s.Hw, s.He, k, s.Hwork)) {
    return Status::error(Code::numerical_error, "spectral",
                         "the Rayleigh quotient has non-finite entries (labels overflow?)");
  }
  // Top r by |eigenvalue| (ties keep the eigh order).
  std::size_t order[Link::kMaxR + kOversample];
  bool used[Link::kMaxR + kOversample] = {};
  for (std::size_t q = 0; q < s.r; ++q) {
    std::size_t best = k;
    for (std::size_t p = 0; p < k; ++p) {
      if (used[p]) continue;
      if (best == k || std::fabs(s.Hw[p]) > std::fabs(s.Hw[best])) best = p;
    }
    used[best] = true;
    order[q] = best;
  }
  for (std::size_t q = 0; q < s.r; ++q) {
    rep->spectral.eigenvalues[q] = s.Hw[order[q]];
    for (std::size_t j = 0; j < d; ++j) {
      double v = 0;
      for (std::size_t p = 0; p < k; ++p) v += s.He[p * k + order[q]] * s.Vd[p * d + j];
      s.Est[q * d + j] = v;
    }
  }
  linalg::orthonormalize_rows(s.Est, s.r, d, d);
  rep->spectral.subspace = compare_subspaces(s.Ud, s.Est, s.r, d);
  rep->spectral.ran = true;
  rep->timings.spectral_s = seconds_since(t0);
  return Status();
}

template <class T>
Status phase2(State<T>& s, Report* rep, std::chrono::steady_clock::time_point start) {
  const RunConfig& c = s.cfg;
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t m = s.m;
  if (c.normalize) {
    for (std::size_t i = 0; i < m; ++i) {
      T* w = s.W + i * s.ldx;
      T norm2 = 0;
      for (std::size_t j = 0; j < s.d; ++j) norm2 = norm2 + w[j] * w[j];
      if (!(norm2 > T(0))) continue;
      const T norm = std::sqrt(norm2);
      for (std::size_t j = 0; j < s.d; ++j) w[j] = w[j] / norm;
    }
  }
  {
    // Biases ~ N(0, sigma_b^2): coordinates 0..m-1 of row 0 of the bias stream.
    s.k->normals(s.b, 0, m, c.seed, 0, stream_id(kSourceBias, StreamPurpose::inputs));
    for (std::size_t j = 0; j < m; ++j) s.b[j] = static_cast<T>(c.sigma_b) * s.b[j];
    for (std::size_t j = m; j < s.mpad; ++j) s.b[j] = T(0);
  }
  pack_wt(s);
  Pass<T> pass{&s, &s.fit2, 0, c.n2, false};
  MIMKIT_TRY(run_shards(s, &gram_task<T>, &pass));
  const double n = static_cast<double>(c.n2);
  const double yy = shard_sum(s, 0) / n;
  const double phi2 = shard_sum(s, 1) / n;
  // A = Gram / n + lambda I and rhs / n, in double, shards summed in order.
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      T g = s.Gram_sh[i * s.mpad + j];
      for (std::size_t k = 1; k < s.S; ++k) g = g + s.Gram_sh[(k * m + i) * s.mpad + j];
      s.A2[i * m + j] = static_cast<double>(g) / n + (i == j ? c.lambda2 : 0.0);
    }
    T rh = s.rhs_sh[i * kPad];
    for (std::size_t k = 1; k < s.S; ++k) rh = rh + s.rhs_sh[(k * m + i) * kPad];
    s.x2[i] = static_cast<double>(rh) / n;
  }
  if (c.phase2 == Phase2Solver::exact) {
    // Ridge regression (the squared loss, whatever the phase-1 loss); its data loss from the
    // normal equations' pieces: (1/2)(E y^2 - 2 a.rhs + a^T Gram a).
    if (!linalg::cholesky(s.A2, m, m)) {
      return Status::error(Code::numerical_error, "lambda2",
                           "the phase-2 system Gram/n + lambda2 I is not positive definite "
                           "(lambda2 = %g; increase it)",
                           c.lambda2);
    }
    double* rhs = s.mwork;
    for (std::size_t i = 0; i < m; ++i) rhs[i] = s.x2[i];
    linalg::cholesky_solve(s.A2, m, m, s.x2);
    for (std::size_t j = 0; j < m; ++j) s.a[j] = static_cast<T>(s.x2[j]);
    // Recompute the Gram quadratic form for the training loss.
    double quad = 0, lin = 0;
    for (std::size_t i = 0; i < m; ++i) {
      double gi = 0;
      for (std::size_t j = 0; j < m; ++j) {
        T g = s.Gram_sh[i * s.mpad + j];
        for (std::size_t k = 1; k < s.S; ++k) g = g + s.Gram_sh[(k * m + i) * s.mpad + j];
        gi += static_cast<double>(g) / n * static_cast<double>(s.a[j]);
      }
      quad += static_cast<double>(s.a[i]) * gi;
      lin += static_cast<double>(s.a[i]) * rhs[i];
    }
    set_a_panel(s);
    rep->phase2.train_loss = 0.5 * (yy - 2 * lin + quad);
  } else {
    const double eta2 = c.eta2 > 0 ? c.eta2 : 1.0 / (phi2 + c.lambda2);
    for (std::size_t j = 0; j < s.mpad; ++j) s.a[j] = T(0);
    set_a_panel(s);
    double loss = 0;
    for (std::size_t step = 0; step < c.T2; ++step) {
      Pass<T> gp{&s, &s.fit2, 0, c.n2, true};
      MIMKIT_TRY(run_shards(s, &phase2_gd_task<T>, &gp));
      loss = shard_sum(s, 0) / n;
      for (std::size_t j = 0; j < m; ++j) {
        T g = s.rhs_sh[j * kPad];
        for (std::size_t k = 1; k < s.S; ++k) g = g + s.rhs_sh[(k * m + j) * kPad];
        const T grad = g / static_cast<T>(c.n2) + static_cast<T>(c.lambda2) * s.a[j];
        s.a[j] = s.a[j] - static_cast<T>(eta2) * grad;
        if (!std::isfinite(s.a[j])) {
          return Status::error(Code::numerical_error, "phase2",
                               "a is not finite after step %zu (last finite loss %g); lower eta2",
                               step + 1, loss);
        }
      }
      set_a_panel(s);
      if (!report_progress(s, "phase2", step + 1, c.T2, loss, start, t0)) {
        return Status::error(Code::cancelled, "phase2", "cancelled at step %zu", step + 1);
      }
    }
    Pass<T> lp{&s, &s.fit2, 0, c.n2, false};
    MIMKIT_TRY(run_shards(s, &phase2_gd_task<T>, &lp));
    rep->phase2.train_loss = shard_sum(s, 0) / n;
  }
  // Test error.
  Pass<T> tp{&s, &s.test, 0, c.ntest, false};
  MIMKIT_TRY(run_shards(s, &test_task<T>, &tp));
  const double nt = static_cast<double>(c.ntest);
  const double mse = shard_sum(s, 0) / nt;
  const double mean = shard_sum(s, 1) / nt;
  const double var = shard_sum(s, 2) / nt - mean * mean;
  rep->phase2.test_error = var > 0 ? mse / var : mse;
  rep->timings.phase2_s = seconds_since(t0);
  if (!std::isfinite(rep->phase2.test_error)) {
    return Status::error(Code::numerical_error, "phase2", "the test error is not finite");
  }
  return Status();
}

}  // namespace

template <class T>
std::size_t Trainer<T>::plan(const RunConfig& config, std::size_t threads) noexcept {
  RunConfig c = config;
  resolve(&c);
  if (!validate(c).ok() || threads < 1 || threads > ThreadPool::kMaxThreads) return 0;
  Arena measure = Arena::measure();
  void* state = nullptr;
  measure.allocate_bytes(sizeof(State<T>), &state, "state");
  State<T> sizes;
  set_sizes(sizes, c, threads);
  if (!carve(sizes, measure).ok()) return 0;
  return measure.used() + data_bytes<T>(c, threads);
}

template <class T>
Trainer<T>::~Trainer() {
  if (state_ != nullptr) static_cast<State<T>*>(state_)->~State<T>();
}

template <class T>
Status Trainer<T>::init(const RunConfig& config, const Execution& execution, Arena& arena,
                        const CustomFunctions* custom) noexcept {
  if (state_ != nullptr) {
    return Status::error(Code::invalid_argument, "trainer", "init() was already called");
  }
  RunConfig c = config;
  resolve(&c);
  MIMKIT_TRY(validate(c));
  if (execution.threads < 1 || execution.threads > ThreadPool::kMaxThreads) {
    return Status::error(Code::invalid_argument, "threads",
                         "threads = %zu is out of range (allowed: 1..%zu)", execution.threads,
                         ThreadPool::kMaxThreads);
  }
  if (!isa_compiled(execution.isa)) {
    return Status::error(Code::unsupported_isa, "isa", "'%s' is not compiled into this build",
                         isa_name(execution.isa));
  }
  const std::size_t need = plan(c, execution.threads);
  if (arena.capacity() - arena.used() < need) {
    return Status::error(Code::arena_too_small, "arena",
                         "the run needs %zu bytes (plan()) but the arena has %zu free", need,
                         arena.capacity() - arena.used());
  }
  void* mem = nullptr;
  MIMKIT_TRY(arena.allocate_bytes(sizeof(State<T>), &mem, "state"));
  State<T>& s = *new (mem) State<T>();
  state_ = mem;
  set_sizes(s, c, execution.threads);
  s.exec = execution;
  if (custom != nullptr) {
    s.custom = *custom;
    s.loss.custom = custom->loss;
    s.loss.user = custom->user;
  }
  s.k = kernels::table<T>(execution.isa);
  s.k64 = kernels::table<double>(execution.isa);
  MIMKIT_TRY(Link::parse(c.link, c.r, &s.link));
  const ModelConfig mc = model_config(c);
  MIMKIT_TRY(s.model.init(mc, s.link, execution.isa, arena));
  MIMKIT_TRY(s.fit1.init(s.model, Dataset::fit1, c.n1, c.mode, arena, s.P));
  MIMKIT_TRY(s.fit2.init(s.model, Dataset::fit2, c.n2, c.mode, arena, s.P));
  MIMKIT_TRY(s.test.init(s.model, Dataset::test, c.ntest, DataMode::stream, arena, s.P));
  if (c.variant == Variant::online) {
    MIMKIT_TRY(s.online.init(s.model, Dataset::online, static_cast<std::uint64_t>(c.T1) * c.batch,
                             DataMode::stream, arena, s.P));
  }
  MIMKIT_TRY(carve(s, arena));
  for (std::size_t i = 0; i < s.r * s.d; ++i) s.Ud[i] = static_cast<double>(s.model.subspace()[i]);
  initialise_network(s);
  MIMKIT_TRY(s.pool.start(s.P));
  return Status();
}

template <class T>
TwoLayerNet<T> Trainer<T>::network() const noexcept {
  TwoLayerNet<T> net;
  if (state_ == nullptr) return net;
  const State<T>& s = *static_cast<const State<T>*>(state_);
  net.m = s.m;
  net.d = s.d;
  net.ldw = s.ldx;
  net.W = s.W;
  net.b = s.b;
  net.a = s.a;
  return net;
}

template <class T>
Status Trainer<T>::set_network(const T* W, std::size_t ldw, const T* b, const T* a) noexcept {
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "trainer", "call init() before set_network()");
  }
  State<T>& s = *static_cast<State<T>*>(state_);
  if (ldw < s.d) {
    return Status::error(Code::invalid_argument, "ldw", "ldw = %zu must be >= d = %zu", ldw, s.d);
  }
  for (std::size_t i = 0; i < s.m; ++i) {
    for (std::size_t j = 0; j < s.d; ++j) s.W[i * s.ldx + j] = W[i * ldw + j];
    s.b[i] = b[i];
    s.a[i] = a[i];
  }
  set_a_panel(s);
  return Status();
}

template <class T>
Status Trainer<T>::phase1_objective(double* loss, T* G, std::size_t ldg) noexcept {
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "trainer",
                         "call init() before phase1_objective()");
  }
  State<T>& s = *static_cast<State<T>*>(state_);
  if (G != nullptr && ldg < s.d) {
    return Status::error(Code::invalid_argument, "ldg", "ldg = %zu must be >= d = %zu", ldg, s.d);
  }
  pack_wt(s);
  Pass<T> pass{&s, &s.fit1, 0, s.cfg.n1, G != nullptr};
  MIMKIT_TRY(run_shards(s, &phase1_task<T>, &pass));
  *loss = shard_sum(s, 0) / static_cast<double>(s.cfg.n1);
  if (G != nullptr) {
    for (std::size_t i = 0; i < s.m; ++i) {
      for (std::size_t j = 0; j < s.d; ++j) {
        T g = s.Gsh[i * s.ldx + j];
        for (std::size_t k = 1; k < s.S; ++k) g = g + s.Gsh[(k * s.m + i) * s.ldx + j];
        G[i * ldg + j] = g;
      }
    }
  }
  return Status();
}

template <class T>
Status Trainer<T>::train(Report* rep) noexcept {
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "trainer", "call init() before train()");
  }
  State<T>& s = *static_cast<State<T>*>(state_);
  const auto start = std::chrono::steady_clock::now();
  rep->config = s.cfg;
  rep->custom_activation = s.custom.activation != nullptr;
  rep->custom_loss = s.custom.loss != nullptr;
  rep->isa = s.exec.isa;
  rep->threads = s.P;
  rep->footprint_bytes = plan(s.cfg, s.P);
  if (s.cfg.variant != Variant::random_features) {
    MIMKIT_TRY(phase1(s, rep, start));
  } else {
    rep->trace_count = 0;
    rep->phase1.train_loss = NAN;
    MIMKIT_TRY(measure_phase1(s, &rep->phase1.alignment, &rep->phase1.subspace));
  }
  if (s.cfg.spectral) MIMKIT_TRY(spectral(s, rep, start));
  MIMKIT_TRY(phase2(s, rep, start));
  Digest digest;
  for (std::size_t i = 0; i < s.m; ++i) digest.update(s.W + i * s.ldx, s.d * sizeof(T));
  digest.update(s.b, s.m * sizeof(T));
  digest.update(s.a, s.m * sizeof(T));
  rep->weights_digest = digest.value();
  rep->timings.total_s = seconds_since(start);
  return Status();
}

template <class T>
Status run(const RunConfig& config, const Execution& execution, Arena& arena, Report* report,
           const CustomFunctions* custom) noexcept {
  Trainer<T> trainer;
  MIMKIT_TRY(trainer.init(config, execution, arena, custom));
  return trainer.train(report);
}

template class Trainer<float>;
template class Trainer<double>;
template Status run<float>(const RunConfig&, const Execution&, Arena&, Report*,
                           const CustomFunctions*) noexcept;
template Status run<double>(const RunConfig&, const Execution&, Arena&, Report*,
                            const CustomFunctions*) noexcept;

}  // namespace mimkit
