// The label transforms of the theory: their names, the T of a loss and of a run's spectral
// estimator. T(y) itself is the training code's (src/train/loss.cpp); only T = optimal is the
// theory's own (best_preprocessing.cpp).
#include <cstring>

#include "theory/spectral_state.hpp"
#include "train/loss.hpp"

namespace mimkit {

namespace {

// The transforms the training code also applies, and its name for each (T = optimal is the
// theory's own).
struct SharedTransform {
  Transform theory;
  SpectralTransform train;
};
constexpr SharedTransform kShared[] = {{Transform::y, SpectralTransform::identity},
                                       {Transform::sign, SpectralTransform::sign},
                                       {Transform::clip, SpectralTransform::clip},
                                       {Transform::abs, SpectralTransform::abs}};

}  // namespace

const char* transform_name(Transform t) noexcept {
  switch (t) {
    case Transform::y:
      return "y";
    case Transform::sign:
      return "sign";
    case Transform::clip:
      return "clip";
    case Transform::abs:
      return "abs";
    case Transform::optimal:
      return "optimal";
  }
  return "unknown";
}

Status parse_transform(const char* text, const char* field, Transform* out) noexcept {
  struct Name {
    const char* name;
    Transform t;
  };
  static const Name kNames[] = {
      {"y", Transform::y},       {"identity", Transform::y},    {"sign", Transform::sign},
      {"clip", Transform::clip}, {"abs", Transform::abs},       {"optimal", Transform::optimal},
      {"squared", Transform::y}, {"absolute", Transform::sign}, {"huber", Transform::clip}};
  for (const Name& n : kNames) {
    if (text != nullptr && std::strcmp(text, n.name) == 0) {
      *out = n.t;
      return Status();
    }
  }
  return Status::error(Code::invalid_argument, field,
                       "unknown transform '%s' (allowed: y, identity, sign, clip, abs, optimal, "
                       "squared, absolute, huber)",
                       text ? text : "");
}

Transform loss_transform(Loss loss) noexcept {
  switch (loss) {
    case Loss::squared:
      return Transform::y;
    case Loss::absolute:
      return Transform::sign;
    case Loss::huber:
      return Transform::clip;
  }
  return Transform::y;
}

Transform spectral_transform_of(const RunConfig& config) noexcept {
  if (config.spectral_T == SpectralTransform::loss) return loss_transform(config.loss);
  for (const SharedTransform& s : kShared) {
    if (s.train == config.spectral_T) return s.theory;
  }
  return Transform::y;
}

namespace theory {

// T(y) as the spectral estimator computes it (src/train/loss.cpp), clip level delta.
double transform(Transform T, double delta, double y) {
  for (const SharedTransform& s : kShared) {
    if (s.theory != T) continue;
    train::LossFn clip;
    clip.delta = delta;
    return train::spectral_transform(s.train, clip, y);
  }
  return y;
}

}  // namespace theory
}  // namespace mimkit
