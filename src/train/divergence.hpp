// When a run has gone wrong numerically, and what to blame: non-finite values, finite blow-ups
// (a loss far beyond the zero predictor's), hyper-parameters that the dtype cannot represent,
// and initial weights that underflow to zero. Each Status names the cause to change.
#pragma once

#include <cstddef>

#include "train/state.hpp"

namespace mimkit {
namespace train {

/// A phase-1 loss above kBlowUp times the loss of the zero predictor f = 0 (the loss at the
/// symmetric initialisation) is a blow-up, finite or not. Phase 1 learns directions, not a fit:
/// its loss may grow by orders of magnitude while the rows of W stay useful (phase 2 normalises
/// them; measured: E5 runs at alpha = 2..4 with T1 >= 12 pass 1e4 x), so the bound only
/// catches a run on its way to overflow.
constexpr double kBlowUp = 1e12;

/// Every real hyper-parameter the kernels use in T (eta1, beta1, eps0, sigma_b, lambda2, eta2)
/// is finite in T. Called by init().
template <class T>
Status check_dtype_range(const RunConfig& config);

/// After initialisation: no row of W underflowed to zero or overflowed (eps0 at fault).
template <class T>
Status check_initial_weights(const State<T>& s);

/// The phase-1 loss at `step` (before the update) against the zero predictor's loss on the
/// same rows; `last_loss` is the previous step's.
template <class T>
Status check_phase1_loss(const State<T>& s, std::size_t step, double loss, double zero_loss,
                         double last_loss);

/// After an update: every row of W is finite (the update task flagged the others).
template <class T>
Status check_phase1_weights(const State<T>& s, std::size_t step, double loss);

}  // namespace train
}  // namespace mimkit
