// What a run measures (Report) and its JSON form: the one line per run that scripts and
// sweeps rely on.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/config.hpp"
#include "mimkit/isa.hpp"
#include "mimkit/metrics.hpp"

namespace mimkit {

/// One point of the phase-1 trace (docs/ALGORITHM.md section 6): the metrics of W after
/// `step` steps, on the schedule of RunConfig::trace / trace_every.
struct TracePoint {
  /// Directions and singular values a trace point keeps (the report keeps all r).
  static constexpr std::size_t kDirections = 8;
  std::size_t step = 0;   ///< phase-1 steps taken before the measurement
  double train_loss = 0;  ///< phase-1 loss at that W
  double alignment = 0;
  double min_cosine = 0;
  /// The mechanism for the first min(r, kDirections) directions (see WeightMechanism).
  double mass[kDirections] = {};
  std::size_t rank[kDirections] = {};
  double overlap[kDirections] = {};
  /// The top min(r + WeightMechanism::kExtraSingular, kDirections + 2) singular values of W.
  double singular_values[kDirections + 2] = {};
};

/// Everything a run measures. Fixed size, no heap; the trace points live in the run's arena.
struct Report {
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
    SubspaceMetrics subspace;   ///< top-r right singular subspace of W vs span U
    WeightMechanism mechanism;  ///< mass on each u_k, singular values, rank of each u_k
    double train_loss = 0;      ///< loss at the final W (before phase 2)
  } phase1;

  struct Phase2 {
    double test_error = 0;        ///< mean (f - y)^2 / Var(y) on the test set
    double validation_error = 0;  ///< the same on the validation set (for choosing settings)
    double train_loss = 0;        ///< loss on fit2 (without the ridge term)
  } phase2;

  struct Spectral {
    bool ran = false;
    SubspaceMetrics subspace;              ///< top-r |eigenvalue| eigenvectors of S_T vs span U
    double eigenvalues[Link::kMaxR] = {};  ///< those eigenvalues, by descending |value|
  } spectral;

  std::uint64_t weights_digest = 0;  ///< FNV-1a of the bytes of W (m x d), then b, then a
  /// trace_count points in the arena of the run: valid until that arena is reset or destroyed.
  std::size_t trace_count = 0;
  const TracePoint* trace = nullptr;
};

/// Writes `report` as one JSON object (no newline) into out (NUL-terminated, truncated to
/// capacity); returns the length the full text needs (like snprintf). Keys: config (every
/// resolved key), version, commit (the git commit built), isa, dtype, threads, footprint_bytes,
/// timings {phase1_s, phase1_step_s, spectral_s, phase2_s, total_s}, phase1 {alignment, cosines
/// (descending), min_cosine, subspace_distance, per_direction, mass, singular_values, rank,
/// overlap, train_loss}, phase2 {test_error, validation_error, train_loss}, spectral {cosines,
/// min_cosine, subspace_distance, per_direction, eigenvalues} when it ran, trace [{step,
/// train_loss, alignment, min_cosine, mass, rank, overlap, singular_values}] when recorded,
/// weights_digest (16 hex digits).
/// Non-finite numbers are written as null. `dtype` is "float" or "double".
std::size_t report_json(const Report& report, const char* dtype, char* out,
                        std::size_t capacity) noexcept;

/// Bytes report_json() may need for this report (an upper bound).
std::size_t report_json_capacity(const Report& report) noexcept;

}  // namespace mimkit
