// Training: the two-layer network, phase 1 (inner layer), phase 2 (outer layer), the spectral
// estimator and the metrics of one run (docs/ALGORITHM.md sections 2-6). What a run measures, the
// Report, is declared in report.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/arena.hpp"
#include "mimkit/config.hpp"
#include "mimkit/isa.hpp"
#include "mimkit/metrics.hpp"
#include "mimkit/report.hpp"
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
  const char* phase = "";  ///< "data" (materialising, in init), "phase1", "spectral", "phase2"
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
  void* user = nullptr;           ///< passed to progress and should_stop
  /// Optional; polled from any worker thread before every tile of every pass, and between the
  /// pieces of setup and of the phase-2 solve, so a stop takes effect within one tile's work.
  /// Must be thread-safe, cheap and allocation-free. Returning true stops the run with
  /// Code::cancelled.
  bool (*should_stop)(void* user) = nullptr;
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

/// A configured run. init() does all allocation-like work (carving the arena, starting
/// threads); train() then runs phase 1, the spectral estimator, phase 2 and the metrics with
/// zero heap allocations. T is float or double.
///
/// Lifetime: the Trainer's state lives in the arena given to init(). If that arena is reset,
/// destroyed or moved over first, the Trainer shuts down (its threads are joined) and every
/// later call returns Code::invalid_argument naming "arena"; moving the arena object is fine.
/// Memory the caller supplied to the arena must outlive both. train() runs once: a second call
/// is refused (init a new Trainer to train again).
template <class T>
class Trainer {
 public:
  /// Exact arena bytes init() carves for this configuration and thread count into *bytes, or
  /// why there is no such number: an invalid configuration (validate()'s Status) or a
  /// footprint past the address space (Code::arena_too_small naming the buffer).
  static Status plan(const RunConfig& config, std::size_t threads, std::size_t* bytes) noexcept;
  /// The same bytes, or 0 when plan(config, threads, &bytes) fails.
  static std::size_t plan(const RunConfig& config, std::size_t threads) noexcept;

  Trainer() noexcept = default;
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;
  ~Trainer();

  /// Validates and resolves `config`, carves the arena, builds the model and datasets, starts
  /// the threads. `custom` (copied; optional) replaces built-in functions.
  Status init(const RunConfig& config, const Execution& execution, Arena& arena,
              const CustomFunctions* custom = nullptr) noexcept;

  /// Runs everything; fills *report (not null). Stops with Code::numerical_error naming the
  /// step if W, a or a loss stops being finite or blows up, Code::cancelled if the progress or
  /// cancel callback says so. Once per Trainer.
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
  static void on_arena_released(void* self) noexcept;
  static void on_arena_moved(void* self, Arena* to) noexcept;
  Status usable(const char* call) const noexcept;

  void* state_ = nullptr;   // lives in *arena_
  Arena* arena_ = nullptr;  // the arena init() carved, while it lasts
  bool released_ = false;   // the arena went away under the Trainer
};

/// plan + init + train in one call: the common case.
template <class T>
Status run(const RunConfig& config, const Execution& execution, Arena& arena, Report* report,
           const CustomFunctions* custom = nullptr) noexcept;

/// Exact arena bytes run() needs (0 when the configuration is invalid or the footprint does
/// not fit in size_t: the three-argument form says why).
template <class T>
std::size_t plan(const RunConfig& config, std::size_t threads = 1) noexcept {
  return Trainer<T>::plan(config, threads);
}

/// Exact arena bytes run() needs into *bytes, or the reason there is no such number.
template <class T>
Status plan(const RunConfig& config, std::size_t threads, std::size_t* bytes) noexcept {
  return Trainer<T>::plan(config, threads, bytes);
}

}  // namespace mimkit
