// RunConfig: every parameter of a run (docs/ALGORITHM.md sections 1-6), with documented defaults,
// set from "key = value" text, validated, and printed back as JSON.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/data.hpp"
#include "mimkit/status.hpp"

namespace mimkit {

/// Which training procedure runs (docs/ALGORITHM.md section 3).
enum class Variant {
  layerwise,        ///< T1 full-batch GD steps with weight decay on fit1 (the paper's algorithm)
  dls22,            ///< one step, beta1 = 1/eta1 (Damian, Lee, Soltanolkotabi 2022)
  online,           ///< T1 steps, each on a fresh batch of `batch` samples (one-pass SGD)
  random_features,  ///< no phase 1: W = random unit vectors
};

enum class Activation { logcosh, quadratic, relu };
enum class Loss { squared, absolute, huber };
/// Phase-2 solver: the exact ridge solution from the feature Gram (the squared loss, whatever
/// the phase-1 loss), or T2 steps of gradient descent on `loss`.
enum class Phase2Solver { exact, gd };
/// Label transform of the spectral estimator S_T = (1/n) sum T(y)(x x^T - I).
enum class SpectralTransform { identity, sign, clip, abs, loss };

/// All parameters of one run. The defaults are a small, fast, working configuration.
struct RunConfig {
  // Model (docs/ALGORITHM.md section 1)
  std::size_t d = 128;  ///< input dimension, >= 1
  std::size_t r = 2;    ///< hidden directions, 1..min(d, 64)
  char link[Link::kMaxSpecLength + 1] = "he2(z1)+0.5*he2(z2)";  ///< link spec
  double noise = 0.0;                                           ///< label noise tau >= 0
  std::uint64_t seed = 0;  ///< every random number is a function of the seed

  // Sample sizes
  double alpha = 0.0;          ///< if > 0, n1 = round(alpha d) (overrides n1)
  std::uint64_t n1 = 2048;     ///< phase-1 samples (fit1), >= 1
  std::uint64_t n2 = 4096;     ///< phase-2 samples (fit2), >= 1
  std::uint64_t ntest = 4096;  ///< test samples, >= 1
  std::uint64_t nval = 4096;   ///< validation samples (its own stream), >= 1

  // Network and phase 1 (sections 2-3)
  std::size_t m = 64;         ///< hidden units, even, 2..65536
  double m_per_d = 0.0;       ///< if > 0, m = the even number nearest m_per_d d (overrides m)
  double eps0 = 1e-3;         ///< initial weight norm, > 0
  double eta1 = 0.5;          ///< phase-1 learning rate, > 0
  double beta1 = 0.8;         ///< phase-1 weight decay, >= 0
  std::size_t T1 = 40;        ///< phase-1 steps (dls22 forces 1)
  Loss loss = Loss::squared;  ///< phase-1 (and phase-2) loss
  double huber_delta = 1.0;   ///< Huber threshold, > 0
  Activation activation = Activation::logcosh;  ///< phase-1 activation (not relu)
  Variant variant = Variant::layerwise;
  std::size_t batch = 256;  ///< online variant: fresh samples per step, >= 1
  bool preprocess = false;  ///< dls22: y <- y - mean(y) - beta.x, beta = mean(y x) on fit1

  // Phase 2 (section 4)
  bool normalize = true;                      ///< w_j <- w_j / ||w_j|| before phase 2
  double sigma_b = 1.0;                       ///< phase-2 biases ~ N(0, sigma_b^2), >= 0
  Activation activation2 = Activation::relu;  ///< phase-2 feature activation
  double lambda2 = 1e-3;                      ///< ridge penalty, >= 0 (> 0 for the exact solver)
  Phase2Solver phase2 = Phase2Solver::exact;  ///< exact: squared-loss ridge; gd: `loss`
  std::size_t T2 = 500;                       ///< phase-2 GD steps
  double eta2 = 0.0;  ///< phase-2 GD step; 0 = 1 / (trace(Gram)/n + lambda2)

  // Spectral estimator (section 5)
  bool spectral = false;  ///< also run the spectral estimator on fit1
  SpectralTransform spectral_T = SpectralTransform::identity;
  std::size_t spectral_iters = 60;  ///< subspace-iteration passes over fit1, >= 1

  // Metrics (section 6)
  std::size_t trace = 0;        ///< record metrics at about this many log-spaced steps (0 = off)
  std::size_t trace_every = 0;  ///< if > 0: record every trace_every-th step instead (and T1)

  // Execution
  DataMode mode = DataMode::materialize;  ///< fit1/fit2 stored once or regenerated per pass
  std::size_t tile_rows = 256;            ///< rows per tile, 1..65536
  std::size_t shards = 4;  ///< fixed sample partition for reductions, 1..256 (results
                           ///< depend on shards, never on the thread count)
};

/// The model part of a run's configuration (d, r, noise, seed, tile_rows).
ModelConfig model_config(const RunConfig& config) noexcept;

/// Resolves derived values: n1 from alpha, m from m_per_d, dls22's T1 = 1 and beta1 = 1/eta1.
/// Idempotent.
void resolve(RunConfig* config) noexcept;

/// Checks every field and every cross-field rule. The Status names the key, the value and
/// what is allowed (e.g. "m = 7 must be even (allowed: 2..65536, even)").
Status validate(const RunConfig& config) noexcept;

/// Sets one key from text, e.g. set(&c, "eta1", "0.25"). Unknown keys get a "did you mean"
/// suggestion; malformed or out-of-range values name the key and the allowed range or choices,
/// and leave the config unchanged. Cross-field rules (r <= d, the link parsing with r, ...) are
/// left to validate(), so keys may be set in any order.
Status set(RunConfig* config, const char* key, const char* value) noexcept;

/// Applies "key = value" lines (# comments, blank lines allowed; a value may be "quoted").
/// `source` names the text in errors ("file.cfg:12"), together with the line number. Stops at
/// the first bad line; the lines before it stay applied.
Status apply_text(RunConfig* config, const char* text, const char* source) noexcept;

/// The known keys, nullptr-terminated, in documentation order.
const char* const* config_keys() noexcept;
/// One-line description of a key (its meaning, default and range), or nullptr.
const char* config_key_help(const char* key) noexcept;

/// Writes every key as a JSON object {"d": 128, "link": "...", ...} into out (NUL-terminated,
/// truncated to capacity). Doubles use the shortest of %.15g..%.17g that reads back exactly,
/// so set() on each value reproduces the config. Returns the length the full text needs (like
/// snprintf).
std::size_t to_json(const RunConfig& config, char* out, std::size_t capacity) noexcept;

/// Names of the enum values as used in config text and JSON.
const char* variant_name(Variant v) noexcept;
const char* activation_name(Activation a) noexcept;
const char* loss_name(Loss l) noexcept;
const char* phase2_solver_name(Phase2Solver s) noexcept;
const char* spectral_transform_name(SpectralTransform t) noexcept;

}  // namespace mimkit
