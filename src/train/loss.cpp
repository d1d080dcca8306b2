#include "train/loss.hpp"

#include <cmath>

namespace mimkit {
namespace train {

namespace {

// The user's loss at (t, y): its value (which = 0) or slope (which = 1).
double call_custom(const LossFn& loss, double t, double y, int which) {
  double out[2] = {0, 0};
  loss.custom(t, y, &out[0], &out[1], loss.user);
  return out[which];
}

}  // namespace

double LossFn::value(double t, double y) const noexcept {
  if (custom != nullptr) return call_custom(*this, t, y, 0);
  const double e = t - y;
  const double ae = std::fabs(e);
  switch (kind) {
    case Loss::squared:
      return 0.5 * e * e;
    case Loss::absolute:
      return ae;
    case Loss::huber:
      return ae <= delta ? 0.5 * e * e : delta * (ae - 0.5 * delta);
  }
  return 0;
}

double LossFn::slope(double t, double y) const noexcept {
  if (custom != nullptr) return call_custom(*this, t, y, 1);
  const double e = t - y;
  switch (kind) {
    case Loss::squared:
      return e;
    case Loss::absolute:
      return e > 0 ? 1.0 : (e < 0 ? -1.0 : 0.0);
    case Loss::huber:
      return e > delta ? delta : (e < -delta ? -delta : e);
  }
  return 0;
}

double LossFn::curvature(double t, double y) const noexcept {
  if (custom != nullptr) return NAN;
  switch (kind) {
    case Loss::squared:
      return 1.0;
    case Loss::absolute:
      return 0.0;
    case Loss::huber:
      return std::fabs(t - y) < delta ? 1.0 : 0.0;
  }
  return 0;
}

LossFn make_loss(const RunConfig& config, const CustomFunctions* custom) noexcept {
  LossFn loss;
  loss.kind = config.loss;
  loss.delta = config.huber_delta;
  if (custom != nullptr) {
    loss.custom = custom->loss;
    loss.user = custom->user;
  }
  return loss;
}

double spectral_transform(SpectralTransform t, const LossFn& loss, double y) noexcept {
  switch (t) {
    case SpectralTransform::identity:
      return y;
    case SpectralTransform::sign:
      return y > 0 ? 1.0 : (y < 0 ? -1.0 : 0.0);
    case SpectralTransform::clip:
      return y > loss.delta ? loss.delta : (y < -loss.delta ? -loss.delta : y);
    case SpectralTransform::abs:
      return std::fabs(y);
    case SpectralTransform::loss:
      return -loss.slope(0.0, y);
  }
  return y;
}

}  // namespace train
}  // namespace mimkit
