// The phases of a run, in the order Trainer::train() calls them. Each reads and writes the
// state and fills its part of the report.
#pragma once

#include "mimkit/report.hpp"
#include "train/progress.hpp"
#include "train/state.hpp"

namespace mimkit {
namespace train {

/// Setup: generates the rows of the materialized datasets among `uses` (tile by tile on the
/// pool, progress phase "data").
template <class T>
Status fill_datasets(State<T>& s, const DatasetUse* uses, std::size_t count);

/// Phase 1: T1 steps of gradient descent with weight decay on W (docs/ALGORITHM.md section 3),
/// with the variant's rows and label preprocessing; the trace and the final W's metrics.
template <class T>
Status phase1(State<T>& s, Report* report, Clock& clock);

/// The phase-1 objective (1/n1) sum loss(f(x_i), y_i) on fit1 at the current W into *loss and,
/// when `gradient`, its gradient (without weight decay) in the gradient shards: read it with
/// sum_shards. One pass over fit1.
template <class T>
Status phase1_objective(State<T>& s, bool gradient, double* loss);

/// The spectral estimator on fit1 (section 5).
template <class T>
Status spectral(State<T>& s, Report* report, Clock& clock);

/// Phase 2: fresh features, then the outer layer a by exact ridge or gradient descent
/// (section 4).
template <class T>
Status phase2(State<T>& s, Report* report, Clock& clock);

/// Test error and loss of the trained network on the test set (section 6).
template <class T>
Status evaluate(State<T>& s, Report* report);

/// Alignment, subspace metrics and mechanism of the current W (section 6).
template <class T>
Status measure_weights(State<T>& s, double* alignment, SubspaceMetrics* subspace,
                       WeightMechanism* mechanism);

/// FNV-1a of W (m x d), then b, then a.
template <class T>
std::uint64_t weights_digest(const State<T>& s);

}  // namespace train
}  // namespace mimkit
