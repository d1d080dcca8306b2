// The trainer's state: its sizes, the datasets it reads and every buffer it works in, as named
// parts carved from one arena. Internal to src/train/.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/kernels.hpp"
#include "mimkit/arena.hpp"
#include "mimkit/data.hpp"
#include "mimkit/report.hpp"
#include "mimkit/train.hpp"
#include "threads.hpp"
#include "train/loss.hpp"
#include "train/variant.hpp"

namespace mimkit {
namespace train {

/// Every kernel call's column count is a multiple of kPad (the kernel table's rule: every
/// ISA's lane count divides it, a static_assert in the kernels), so buffers that feed a kernel
/// are padded to it.
constexpr std::size_t kPad = kernels::kColumnMultiple;
/// The spectral estimator iterates on r + kOversample columns: more columns converge faster
/// and more reliably than exactly r.
constexpr std::size_t kOversample = 8;
/// Scalar sums each shard reports per pass (loss, sums of y, y^2, ...).
constexpr std::size_t kShardScalars = 4;

inline std::size_t round_up(std::size_t x, std::size_t multiple) {
  return (x + multiple - 1) / multiple * multiple;
}

/// The sizes every buffer derives from.
struct Dims {
  std::size_t m = 0;        ///< hidden units
  std::size_t m_pad = 0;    ///< m rounded up to kPad: the column count of m-wide tiles
  std::size_t d = 0;        ///< input dimension
  std::size_t ldx = 0;      ///< row stride of W and of data tiles (padded_stride<T>(d))
  std::size_t r = 0;        ///< hidden directions
  std::size_t shards = 0;   ///< fixed partition of the samples of every pass
  std::size_t workers = 0;  ///< threads, each with its own tile scratch
  std::size_t tile = 0;     ///< rows per tile
  std::size_t k_dim = 0;    ///< spectral block size, min(r + kOversample, d)
  std::size_t k_pad = 0;    ///< k_dim rounded up to kPad
};

/// The network f(x) = sum_j a_j sigma(w_j . x + b_j) and its kernel-ready copies.
template <class T>
struct NetworkBuffers {
  T* W = nullptr;         ///< m x ldx, padding columns zero
  T* W_packed = nullptr;  ///< W^T (d x m_pad) in pack_b's panel layout, refreshed per pass
  T* a = nullptr;         ///< m_pad output weights, zero past m
  T* b = nullptr;         ///< m_pad biases, zero past m
  T* a_panel = nullptr;   ///< m_pad x kPad, a in column 0, in pack_b's panel layout
  unsigned char* bad_rows = nullptr;  ///< m flags: row i of W stopped being finite
};

/// Per-worker scratch for one tile at a time (index by worker * tile * width).
template <class T>
struct TileScratch {
  T* Z = nullptr;          ///< tile x m_pad pre-activations
  T* act = nullptr;        ///< tile x m_pad sigma(Z + b), or phase-2 features
  T* deriv = nullptr;      ///< tile x m_pad sigma'(Z + b), then the phase-1 D
  T* pred = nullptr;       ///< tile x kPad predictions f in column 0
  T* labels = nullptr;     ///< tile x kPad labels or residuals in column 0
  T* projected = nullptr;  ///< tile x k_pad spectral projections (spectral runs)
};

/// The worker's slice of a per-worker tile buffer `width` columns wide.
template <class T>
T* worker_tile(T* buffer, const Dims& dims, std::size_t worker, std::size_t width) {
  return buffer + worker * dims.tile * width;
}

/// Per-shard partial results of a pass; sum_shards() adds them in shard order.
template <class T>
struct ShardBuffers {
  T* grad = nullptr;          ///< shards x m x ldx phase-1 gradients
  T* gram = nullptr;          ///< shards x m x m_pad phase-2 feature Gram matrices
  T* rhs = nullptr;           ///< shards x m x kPad phase-2 right-hand sides or gradients
  T* beta = nullptr;          ///< shards x ldx sums of y x (DLS22 preprocessing)
  T* spectral = nullptr;      ///< shards x d x k_pad sums of T(y) x (x . V)
  double* scalars = nullptr;  ///< shards x kShardScalars
  Status* status = nullptr;   ///< shards: the first failure of each shard
};

/// DLS22 label preprocessing y <- y - ybar - beta . x.
template <class T>
struct Preprocessing {
  T* beta = nullptr;        ///< ldx
  T* beta_panel = nullptr;  ///< d x kPad, beta in column 0
  T ybar = 0;
};

/// The spectral estimator's subspace iteration.
template <class T>
struct SpectralBuffers {
  T* V = nullptr;                  ///< d x k_pad current block in the kernels' precision
  double* basis = nullptr;         ///< k_dim x d orthonormal block in double
  double* H = nullptr;             ///< k_dim x k_dim Rayleigh quotient
  double* ritz_values = nullptr;   ///< k_dim
  double* ritz_vectors = nullptr;  ///< k_dim x k_dim
  double* eigen_work = nullptr;    ///< k_dim x k_dim
};

/// Phase 2's linear system and, for gradient descent, the stored features.
template <class T>
struct Phase2Buffers {
  double* system = nullptr;    ///< m x m, Gram / n + lambda2 I, then its Cholesky factor
  double* solution = nullptr;  ///< m
  T* features = nullptr;       ///< n2 x m_pad (phase2 = gd only)
  T* labels = nullptr;         ///< n2 (phase2 = gd only)
};

/// The phase-1 trace: its schedule and its points (the report points at them).
struct TraceBuffers {
  std::size_t capacity = 0;      ///< points the schedule has
  std::size_t* steps = nullptr;  ///< the schedule, ascending
  TracePoint* points = nullptr;
};

/// Metrics in double.
struct MetricBuffers {
  double* work = nullptr;      ///< metrics_workspace(m, d, r) + d + m: also d- and m-scratch
  double* U = nullptr;         ///< r x d, the model's subspace
  double* estimate = nullptr;  ///< r x d, the spectral estimate
};

/// One dataset the run reads, how many rows and how it is held.
struct DatasetUse {
  Dataset dataset;
  std::uint64_t rows;
  DataMode mode;
};

/// Everything a Trainer holds. Lives in its arena.
template <class T>
struct State {
  RunConfig config;
  Execution execution;
  VariantPlan variant;
  Dims dims;
  const kernels::Table<T>* kernels = nullptr;
  const kernels::Table<double>* kernels64 = nullptr;
  LossFn loss;
  CustomFunctions custom;
  Link link;
  Model<T> model;
  DataSet<T> fit1, fit2, test, online, validation;
  ThreadPool pool;

  NetworkBuffers<T> net;
  TileScratch<T> scratch;
  ShardBuffers<T> shards;
  Preprocessing<T> prep;
  SpectralBuffers<T> spectral;
  Phase2Buffers<T> phase2;
  MetricBuffers metrics;
  TraceBuffers trace;
  bool ready = false;           ///< init() finished
  bool trained = false;         ///< train() ran (it runs once)
  bool custom_weights = false;  ///< set_network() replaced the initialisation

  /// The DataSet member that holds `dataset`.
  DataSet<T>& data(Dataset dataset) noexcept;
};

/// The datasets a configuration reads, in the order init() sets them up; *count receives how
/// many (at most kMaxDatasets). plan() and init() both use this list.
constexpr std::size_t kMaxDatasets = 5;
std::size_t datasets_used(const RunConfig& config, const VariantPlan& variant,
                          DatasetUse* out) noexcept;

/// The phase-1 steps whose metrics the trace records (config.trace log-spaced points, or every
/// config.trace_every-th step, with T1 last), ascending, into out (if not null); returns how many.
std::size_t trace_schedule(const RunConfig& config, std::size_t* out) noexcept;

/// Fills config, variant and dims for `threads` workers (config already resolved and valid).
template <class T>
void set_sizes(State<T>& s, const RunConfig& config, std::size_t threads);

/// Carves every buffer of the state (or, with a measuring arena, only counts them).
template <class T>
Status carve(State<T>& s, Arena& arena);

}  // namespace train
}  // namespace mimkit
