// Training: the two-layer network, phase 1 (inner layer), phase 2 (outer layer), the spectral
// estimator and the metrics of one run (docs/ALGORITHM.md sections 2-6).
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/arena.hpp"
#include "mimkit/config.hpp"
#include "mimkit/isa.hpp"
#include "mimkit/metrics.hpp"
#include "mimkit/status.hpp"

namespace mimkit {

/// A view of the network f(x) = sum_j a_j sigma(w_j . x + b_j), j < m. The memory belongs to
/// the Trainer (its arena). W is m x d with leading dimension ldw (padding columns are zero).
template <class T>
struct TwoLayerNet {
  std::size_t m = 0, d = 0, ldw = 0;
  const T* W = nullptr;
  const T* b = nullptr;  ///< m biases
  const T* a = nullptr;  ///< m output weights
};

/// Progress between steps. Return false from the callback to cancel the run (Code::cancelled).
struct Progress {
  const char* phase = "";  ///< "phase1", "spectral", "phase2", "test"
  std::size_t step = 0;    ///< steps done in this phase
  std::size_t steps = 0;   ///< steps planned in this phase
  double loss = 0;         ///< current training loss (phase 1, phase 2), NaN if not known
  double alignment = 0;    ///< phase 1: current ||W U^T||_F^2 / ||W||_F^2 (O(m d r)); else NaN
  double elapsed_s = 0;    ///< seconds since the run started
  double phase_s = 0;      ///< seconds since this phase started (for an ETA)
};
using ProgressFn = bool (*)(const Progress& progress, void* user);

/// How to execute a run (does not change any result).
struct Execution {
  Isa isa = Isa::scalar;          ///< kernel set; select with isa_select()
  std::size_t threads = 1;        ///< 1..256 worker threads (results never depend on it)
  ProgressFn progress = nullptr;  ///< optional; called from the calling thread between steps
  void* user = nullptr;           ///< passed to progress
};

/// User-supplied functions replacing a built-in activation or loss (the "C++ callable" of
/// docs/ALGORITHM.md sections 2-3). They are called element by element in double precision from
/// the worker threads: they must be thread-safe and deterministic for the determinism contract
/// to hold. Slower than the built-ins (no SIMD).
struct CustomFunctions {
  /// sigma(z) and sigma'(z). Replaces config.activation in phase 1, and config.activation2 in
  /// phase 2 when activation_in_phase2 is set.
  void (*activation)(double z, double* value, double* slope, void* user) = nullptr;
  bool activation_in_phase2 = false;
  /// loss(t, y) and d loss / dt at prediction t and label y. Replaces config.loss in phase 1,
  /// phase-2 gradient descent and the spectral transform T(y) = -loss'(0, y).
  void (*loss)(double t, double y, double* value, double* slope, void* user) = nullptr;
  void* user = nullptr;
};

/// One point of the per-step trace (docs/ALGORITHM.md section 6), on a log-spaced step schedule.
struct TracePoint {
  std::size_t step = 0;   ///< phase-1 steps taken before the measurement
  double train_loss = 0;  ///< phase-1 loss at that W
  double alignment = 0;
  double min_cosine = 0;
};

/// Everything a run measures. Fixed size, no heap.
struct Report {
  static constexpr std::size_t kMaxTrace = 256;

  RunConfig config;                ///< the resolved configuration
  bool custom_activation = false;  ///< a CustomFunctions activation replaced config's
  bool custom_loss = false;        ///< a CustomFunctions loss replaced config's
  Isa isa = Isa::scalar;
  std::size_t threads = 1;
  std::size_t footprint_bytes = 0;  ///< arena bytes the run used (= plan())

  struct Timings {
    double phase1_s = 0, phase1_step_s = 0, spectral_s = 0, phase2_s = 0, total_s = 0;
  } timings;

  struct Phase1 {
    double alignment = 0;
    SubspaceMetrics subspace;  ///< top-r right singular subspace of W vs span U
    double train_loss = 0;     ///< loss at the final W (before phase 2)
  } phase1;

  struct Phase2 {
    double test_error = 0;  ///< mean (f - y)^2 / Var(y) on the test set
    double train_loss = 0;  ///< loss on fit2 (without the ridge term)
  } phase2;

  struct Spectral {
    bool ran = false;
    SubspaceMetrics subspace;              ///< top-r |eigenvalue| eigenvectors of S_T vs span U
    double eigenvalues[Link::kMaxR] = {};  ///< those eigenvalues, by descending |value|
  } spectral;

  std::uint64_t weights_digest = 0;  ///< FNV-1a of the bytes of W (m x d), then b, then a
  std::size_t trace_count = 0;
  TracePoint trace[kMaxTrace];
};

/// A configured run. init() does all allocation-like work (carving the arena, starting
/// threads); train() then runs phase 1, the spectral estimator, phase 2 and the metrics with
/// zero heap allocations. T is float or double.
template <class T>
class Trainer {
 public:
  /// Exact arena bytes init() carves for this configuration and thread count (0 if the
  /// configuration is invalid: validate() says why).
  static std::size_t plan(const RunConfig& config, std::size_t threads) noexcept;

  Trainer() noexcept = default;
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;
  ~Trainer();

  /// Validates and resolves `config`, carves the arena, builds the model and datasets, starts
  /// the threads. The arena must outlive the Trainer. `custom` (copied; optional) replaces
  /// built-in functions.
  Status init(const RunConfig& config, const Execution& execution, Arena& arena,
              const CustomFunctions* custom = nullptr) noexcept;

  /// Runs everything; fills *report. Stops with Code::numerical_error naming the step if W, a
  /// or a loss stops being finite, Code::cancelled if the progress callback says so.
  Status train(Report* report) noexcept;

  /// The network's current parameters (after init: the initialisation).
  TwoLayerNet<T> network() const noexcept;

  /// Replaces the parameters (after init): W is m x d (leading dimension ldw >= d), b and a
  /// have m entries. For custom initialisations and for checking gradients.
  Status set_network(const T* W, std::size_t ldw, const T* b, const T* a) noexcept;

  /// The phase-1 objective at the current parameters: *loss = (1/n1) sum loss(f(x_i), y_i) on
  /// fit1 and, if G is not null, its gradient in W (m x d, leading dimension ldg >= d), without
  /// the weight-decay term. One pass over fit1; no allocation.
  Status phase1_objective(double* loss, T* G, std::size_t ldg) noexcept;

 private:
  void* state_ = nullptr;  // lives in the arena
};

/// plan + init + train in one call: the common case.
template <class T>
Status run(const RunConfig& config, const Execution& execution, Arena& arena, Report* report,
           const CustomFunctions* custom = nullptr) noexcept;

/// Exact arena bytes run() needs.
template <class T>
std::size_t plan(const RunConfig& config, std::size_t threads = 1) noexcept {
  return Trainer<T>::plan(config, threads);
}

}  // namespace mimkit
