// Report as JSON: the one line per run that scripts and sweeps rely on.
#pragma once

#include <cstddef>

#include "mimkit/train.hpp"

namespace mimkit {

/// Writes `report` as one JSON object (no newline) into out (NUL-terminated, truncated to
/// capacity); returns the length the full text needs (like snprintf). Keys: config (every
/// resolved key), version, isa, dtype, threads, footprint_bytes, timings {phase1_s,
/// phase1_step_s, spectral_s, phase2_s, total_s}, phase1 {alignment, cosines (descending),
/// min_cosine, subspace_distance, per_direction, train_loss}, phase2 {test_error, train_loss},
/// spectral {cosines, min_cosine, subspace_distance, eigenvalues} when it ran, trace [{step,
/// train_loss, alignment, min_cosine}] when recorded, weights_digest (16 hex digits).
/// Non-finite numbers are written as null. `dtype` is "float" or "double".
std::size_t report_json(const Report& report, const char* dtype, char* out,
                        std::size_t capacity) noexcept;

/// Bytes report_json() may need for this report (an upper bound).
std::size_t report_json_capacity(const Report& report) noexcept;

}  // namespace mimkit
