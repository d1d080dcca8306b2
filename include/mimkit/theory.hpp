// Theory in the proportional limit (docs/ALGORITHM.md section 9): the population matrix M_T,
// the spectral estimator's weak-recovery thresholds and overlap curves, the best preprocessing,
// and the population (n1 = infinity) dynamics of phase 1.
//
// Every expectation over z ~ N(0, I_r) is a product quadrature (docs/ALGORITHM.md section 9.1):
// exact for links that are polynomials on each orthant (Hermite links, relu, abs, sign(z1*z2),
// norm2) under T in {y, sign, abs}; for other combinations (clip, label noise, sign of a Hermite
// link) it converges like a discontinuous integrand, and every number comes with an error
// estimate: the same computation on a coarser rule, reported as |fine - coarse|.
//
// Like the rest of mimkit: plan() gives the exact arena bytes, init() does all the work that
// allocates, the queries afterwards allocate nothing, errors are Status values, nothing throws.
#pragma once

#include <cstddef>

#include "mimkit/arena.hpp"
#include "mimkit/config.hpp"
#include "mimkit/link.hpp"
#include "mimkit/metrics.hpp"
#include "mimkit/status.hpp"

namespace mimkit {

/// Largest r the theory handles: its quadrature has nodes^r points.
constexpr std::size_t kTheoryMaxR = 8;

/// The label transforms the theory knows (docs/ALGORITHM.md sections 3, 5 and 9.3).
enum class Transform {
  y,        ///< T(y) = y: spectral_T = identity, and the squared loss
  sign,     ///< sign(y): spectral_T = sign, and the absolute loss
  clip,     ///< clip(y, -delta, delta): spectral_T = clip, and the Huber loss
  abs,      ///< |y|: spectral_T = abs
  optimal,  ///< T*(y) = max(1 - 1/E[(v . z)^2 | y], -10), v the best direction (section 9.3)
};

/// "y", "sign", "clip", "abs", "optimal".
const char* transform_name(Transform t) noexcept;
/// Accepts the names above, "identity" (= y), and the losses "squared", "absolute", "huber"
/// (their T: y, sign, clip). Anything else is Code::invalid_argument naming `field` and the
/// allowed values.
Status parse_transform(const char* text, const char* field, Transform* out) noexcept;
/// The T a loss applies to the labels, T(y) = -loss'(0, y): squared -> y, absolute -> sign,
/// huber -> clip (at huber_delta).
Transform loss_transform(Loss loss) noexcept;
/// The T of a run's spectral estimator (spectral_T, with `loss` resolved by loss_transform).
Transform spectral_transform_of(const RunConfig& config) noexcept;

/// What the spectral theory computes with.
struct TheoryConfig {
  std::size_t r = 2;           ///< hidden directions, 1..kTheoryMaxR; the Link must have this r
  double noise = 0.0;          ///< label noise tau >= 0 (RunConfig noise): one more dimension
  Transform T = Transform::y;  ///< the label transform
  double delta = 1.0;          ///< clip level, > 0 (RunConfig huber_delta)
  /// Quadrature nodes per dimension, even, 2..512; 0 = the largest with
  /// nodes^(r + [noise > 0]) <= node_budget (at least 4).
  std::size_t nodes = 0;
  std::size_t node_budget = std::size_t(1) << 20;  ///< 16..2^26; memory is 16 bytes per node
  /// A callable link whose values are bounded. A parsed link is bounded when every variable
  /// (z_k, norm2) occurs inside sign(...), which the theory reads from its text.
  bool link_bounded = false;
};

/// Checks every field (names the field, its value and the allowed range).
Status validate(const TheoryConfig& config) noexcept;

/// One eigen-direction of M_T.
struct TheoryDirection {
  double mu = 0;               ///< eigenvalue of M_T = E[T(y)(z z^T - I)]
  double v[kTheoryMaxR] = {};  ///< unit eigenvector in z coordinates (hidden direction U^T v)
  /// +1: an outlier above the bulk of S_T (mu > 0); -1: below it (mu < 0, computed with -T);
  /// 0: mu = 0 to quadrature precision, invisible to S_T at every alpha.
  int side = 0;
  /// The thresholds are predicted: side != 0 and T is bounded on that side (section 9.4).
  bool predicted = false;
  /// Weak-recovery threshold of S_T along v: an outlier exists for alpha > alpha_c.
  /// +infinity when side == 0; NaN when not predicted.
  double alpha_c = 0;
  /// 1 / E[(v . G(y) v)^2], G(y) = E[z z^T | y] - I: the smallest alpha_c any T achieves along v
  /// (Mondelli-Montanari, per direction). NaN unless the eigenbasis is fixed (below).
  double alpha_opt = 0;
  double mu_error = 0, alpha_c_error = 0, alpha_opt_error = 0;  ///< |fine - coarse|
};

/// Everything that does not depend on alpha.
struct TheorySummary {
  std::size_t r = 0;
  std::size_t dims = 0;                      ///< quadrature dimensions: r, plus 1 with label noise
  std::size_t nodes = 0;                     ///< nodes per dimension of the fine rule
  std::size_t coarse_nodes = 0;              ///< nodes per dimension of the error-estimate rule
  double mean_T = 0;                         ///< E[T(y)]
  double sup_T = 0, inf_T = 0;               ///< +-infinity on an unbounded side
  double M[kTheoryMaxR * kTheoryMaxR] = {};  ///< M_T, r x r row-major
  TheoryDirection dir[kTheoryMaxR];          ///< by descending mu
  /// E[z z^T | y] has one eigenbasis for every y: each direction is then a single-index problem
  /// and the per-direction formulas are exact (docs/ALGORITHM.md section 9.2).
  bool fixed_eigenbasis = false;
  /// 1 / ||F||, F(M) = E[G(y) M G(y)]: no spectral or first-order method recovers anything
  /// below it (section 9.3). +infinity for a link with G = 0 (generative exponent above 2), and
  /// whenever it would exceed 1e10 (below quadrature noise). E[z z^T | y] is estimated by its
  /// projection onto cubic splines in y with 64 knot intervals (32 for the error estimate).
  double alpha_opt = 0;
  double alpha_opt_error = 0;
  double v_opt[kTheoryMaxR] = {};  ///< the direction that attains alpha_opt (T = optimal's v)
};

/// The spectral estimator at one alpha (docs/ALGORITHM.md section 9.2).
struct SpectralPrediction {
  double alpha = 0;
  /// Edges of S_T's bulk; +infinity (top) or -infinity (bottom) on an unbounded side of T.
  double bulk_top = 0, bulk_bottom = 0;
  /// Per direction (summary order): S_T's outlier eigenvalue, NaN when there is none or it is
  /// not predicted; the squared overlap of its eigenvector with span U, 0 without an outlier,
  /// NaN when not predicted.
  double outlier[kTheoryMaxR] = {};
  double overlap[kTheoryMaxR] = {};
  double overlap_error[kTheoryMaxR] = {};
  /// The outlier is among the r largest |eigenvalues| of S_T, so mimkit's estimator keeps it
  /// (docs/ALGORITHM.md section 5): its |value| exceeds both bulk edges'.
  bool selected_by_abs[kTheoryMaxR] = {};
  /// What the estimator's principal cosines should be (descending, comparable with
  /// Report::spectral.subspace.cosines): sqrt(overlap) of the kept outliers, 0 for the others;
  /// NaN when a direction is not predicted.
  double cosines[kTheoryMaxR] = {};
};

/// The spectral theory of one (link, T). init() evaluates the link at every quadrature node
/// (O(N) link calls, N = nodes^dims, plus an O(N log N) sort, twice: fine and coarse rules);
/// predict() costs O(K r^2) per evaluation with K <= 4096 law cells, a few hundred evaluations.
class SpectralTheory {
 public:
  /// Exact arena bytes init() carves (0 if the config is invalid).
  static std::size_t plan(const TheoryConfig& config) noexcept;

  SpectralTheory() noexcept = default;
  SpectralTheory(const SpectralTheory&) = delete;
  SpectralTheory& operator=(const SpectralTheory&) = delete;

  /// Builds the laws of (T(y), z z^T) and the summary. The link is only used during init().
  /// Code::numerical_error if the link gives NaN or Inf at a node; Code::arena_too_small.
  Status init(const Link& link, const TheoryConfig& config, Arena& arena) noexcept;

  /// Valid after a successful init().
  const TheorySummary& summary() const noexcept;

  /// The prediction at alpha = n1/d (> 0, finite). No allocation; thread-safe.
  Status predict(double alpha, SpectralPrediction* out) const noexcept;

  /// T(y) as this theory applies it (for T = optimal, the fine rule's estimate of T*): a
  /// CustomFunctions loss with slope(0, y) = -transform(y) and spectral_T = loss runs the
  /// spectral estimator with it. NaN before init().
  double transform(double y) const noexcept;

 private:
  void* state_ = nullptr;  // lives in the arena
};

/// What phase 1 can grow at finite alpha (docs/ALGORITHM.md section 9.6). While the weights
/// are small (sigma'(u) ~ u, f ~ 0) a step multiplies a unit with a_j = s (+1 or -1) by
/// g_s(S_T + mean(T) I), g_s(l) = 1 - eta1 beta1 + s eta1 l: S_T's spectrum shifted by mean(T),
/// the part of T that S_T subtracts and the network does not. W's top singular directions are
/// those of its fastest-growing units, of either sign, so a direction can come to dominate W
/// only if it grows faster in its better units than the shifted bulk edges do in any unit.
struct Phase1Growth {
  /// Per direction (summary order): max over s of |g_s(outlier + mean T)| divided by the max of
  /// |g_s(edge + mean T)| over both s and both edges, i.e. (|b| + eta1 |outlier + mean T|) /
  /// (|b| + eta1 max |edge + mean T|) with b = 1 - eta1 beta1: how much faster than the bulk the
  /// direction grows per step. 0 without an outlier; NaN when not predicted (a bulk edge or the
  /// outlier is not: T unbounded on that side).
  double rate[kTheoryMaxR] = {};
  /// rate > 1, i.e. |outlier + mean T| > |edge + mean T| for both edges, whatever eta1 and beta1.
  bool grows[kTheoryMaxR] = {};
  /// The smallest principal cosine if phase 1 ended on exactly the outliers it grows:
  /// min over directions of sqrt(overlap) where grows, 0 where not; NaN if any rate is NaN.
  double min_cosine = 0;
};

/// Phase1Growth of prediction p (of the theory with this summary) for a run's eta1 and beta1
/// (finite; eta1 > 0, beta1 >= 0). O(r); no allocation.
Status phase1_growth(const TheorySummary& summary, const SpectralPrediction& p, double eta1,
                     double beta1, Phase1Growth* out) noexcept;

/// The alpha above which direction k grows in phase 1 (Phase1Growth::grows, which does not
/// depend on eta1 and beta1) at every alpha up to 1e6: found on a log grid of 5 points per
/// decade from 0.01 and refined by bisection to a relative 1e-6. +infinity if it does not grow at
/// 1e6 (or never has an outlier); 0.01 if it grows on the whole grid (read: at most 0.01); NaN if
/// not predicted. About 60 predict() calls. Code::invalid_argument before init() or for k >= r.
Status phase1_growth_threshold(const SpectralTheory& theory, std::size_t k, double* alpha) noexcept;

/// One step of the population dynamics of phase 1 (docs/ALGORITHM.md section 9.5).
struct Phase1TheoryPoint {
  std::size_t step = 0;
  /// ||W U^T v_k||^2 along each eigen-direction v_k of M_T for the loss's T (TheorySummary order
  /// of that T), and outside span U.
  double mass[kTheoryMaxR] = {};
  double mass_perp = 0;
  double alignment = 0;      ///< in-span mass / total mass (Report alignment)
  SubspaceMetrics subspace;  ///< top-r right singular subspace of W vs span U (Report phase1)
  /// ||cubic part|| / ||linear part|| of the step taken from this point (0 at linear order and
  /// at the last step): where it reaches about 0.1 the truncation stops being reliable.
  double cubic_share = 0;
};

/// The population (n1 = infinity) dynamics of phase 1 for a run's configuration, from that run's
/// own starting weights. Assumptions (docs/ALGORITHM.md section 9.5): n1 = infinity, so no
/// sampling noise (finite-n runs collapse where this does not); the step is expanded to the
/// cubic order in the weights (the activation's next Taylor term, tanh u = u - u^3/3, and the
/// network's output through loss'(f, y) = -T(y) + c(y) f, c = 1 for the squared loss and
/// 1{|y| < delta} for Huber; the absolute loss's output term, a delta at y = 0, is left out);
/// phase-1 variants layerwise and online (both have the same population step).
/// With the quadratic activation and the squared loss the cubic dynamics is exact at n1 = infinity.
/// Cost: O(m^2 (m + r) + m r^4) per step; m <= 1024.
class Phase1Theory {
 public:
  static std::size_t plan(const RunConfig& config) noexcept;

  Phase1Theory() noexcept = default;
  Phase1Theory(const Phase1Theory&) = delete;
  Phase1Theory& operator=(const Phase1Theory&) = delete;

  /// W0: the run's starting weights (m x d, leading dimension ldw; Trainer::network() after
  /// init), U: its hidden subspace (r x d, orthonormal rows; Model::subspace()). The link's
  /// moments are computed by quadrature with TheoryConfig's defaults for the loss's T.
  Status init(const Link& link, const RunConfig& config, const double* W0, std::size_t ldw,
              const double* U, Arena& arena) noexcept;

  /// The eigen-directions the masses refer to (M_T of the loss's T), by descending eigenvalue.
  const double* directions() const noexcept;   ///< r x r, row k = v_k
  const double* eigenvalues() const noexcept;  ///< r values

  /// Steps 0..T1 into out[0..T1] (capacity >= T1 + 1), at linear order (cubic = false) or to
  /// cubic order. Not thread-safe (uses the state's scratch); no allocation.
  /// Code::numerical_error if the weights stop being finite.
  Status predict(bool cubic, Phase1TheoryPoint* out, std::size_t capacity) noexcept;

 private:
  void* state_ = nullptr;
};

}  // namespace mimkit
