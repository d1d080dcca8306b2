// Losses (built-in and custom) and the label transforms T(y) of the spectral estimator: the
// one place a new loss or transform is written (plus its name in the config table).
#pragma once

#include "mimkit/config.hpp"
#include "mimkit/train.hpp"

namespace mimkit {
namespace train {

/// The loss of both phases: value and derivative in the prediction t, in double (IEEE, the
/// same on every platform). A CustomFunctions loss replaces the built-in one.
struct LossFn {
  Loss kind = Loss::squared;
  double delta = 1.0;  ///< Huber threshold
  void (*custom)(double t, double y, double* value, double* slope, void* user) = nullptr;
  void* user = nullptr;

  double value(double t, double y) const noexcept;
  double slope(double t, double y) const noexcept;
  /// d slope / dt where it exists: 1 (squared), 0 (absolute: its delta at t = y is left out),
  /// 1{|t - y| < delta} (Huber). Training never needs it; the phase-1 theory's output term
  /// does (src/theory/phase1.cpp). NaN for a custom loss, which gives no second derivative.
  double curvature(double t, double y) const noexcept;
};

/// The loss a configuration trains with (`custom` may be null).
LossFn make_loss(const RunConfig& config, const CustomFunctions* custom) noexcept;

/// T(y) of the spectral estimator S_T = (1/n) sum T(y)(x x^T - I). `loss` gives the clip level
/// (its delta) and, for SpectralTransform::loss, T(y) = -loss'(0, y).
double spectral_transform(SpectralTransform t, const LossFn& loss, double y) noexcept;

}  // namespace train
}  // namespace mimkit
