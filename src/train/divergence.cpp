#include "train/divergence.hpp"

#include <cmath>
#include <limits>

#include "platform/format.hpp"

namespace mimkit {
namespace train {

namespace {

// What to change, for messages: the weights given to set_network() if any, else the step and
// the initial scale.
template <class T>
void blame(const State<T>& s, char* out, std::size_t capacity) {
  if (s.custom_weights) {
    platform::format(out, capacity, "check the weights given to set_network(), or lower eta1");
  } else {
    platform::format(out, capacity, "lower eta1 = %g (or eps0 = %g)", s.config.eta1, s.config.eps0);
  }
}

const char* dtype_name(std::size_t bytes) {
  return bytes == sizeof(float) ? "float" : "double";
}

}  // namespace

template <class T>
Status check_dtype_range(const RunConfig& c) {
  struct Field {
    const char* name;
    double value;
  };
  const Field fields[] = {{"eta1", c.eta1},       {"beta1", c.beta1},     {"eps0", c.eps0},
                          {"sigma_b", c.sigma_b}, {"lambda2", c.lambda2}, {"eta2", c.eta2}};
  for (const Field& f : fields) {
    if (!std::isfinite(static_cast<T>(f.value))) {
      return Status::error(Code::invalid_argument, f.name,
                           "%s = %g overflows %s (allowed: at most %g with this dtype)", f.name,
                           f.value, dtype_name(sizeof(T)),
                           static_cast<double>(std::numeric_limits<T>::max()));
    }
  }
  return Status();
}

template <class T>
Status check_initial_weights(const State<T>& s) {
  if (s.variant.init != Init::symmetric_small) return Status();
  const Dims& n = s.dims;
  for (std::size_t i = 0; i < n.m; ++i) {
    const T* w = s.net.W + i * n.ldx;
    bool nonzero = false, finite = true;
    for (std::size_t j = 0; j < n.d; ++j) {
      nonzero = nonzero || w[j] != T(0);
      finite = finite && std::isfinite(w[j]);
    }
    if (!finite) {
      return Status::error(Code::invalid_argument, "eps0",
                           "eps0 = %g overflows %s in the initial weights (row %zu)", s.config.eps0,
                           dtype_name(sizeof(T)), i);
    }
    if (!nonzero) {
      return Status::error(Code::invalid_argument, "eps0",
                           "eps0 = %g underflows %s: row %zu of the initial W is 0 (allowed: "
                           "eps0 sqrt(1/d) above %g)",
                           s.config.eps0, dtype_name(sizeof(T)), i,
                           static_cast<double>(std::numeric_limits<T>::denorm_min()));
    }
  }
  return Status();
}

template <class T>
Status check_phase1_loss(const State<T>& s, std::size_t step, double loss, double zero_loss,
                         double last_loss) {
  char hint[96];
  blame(s, hint, sizeof hint);
  if (!std::isfinite(loss)) {
    return Status::error(Code::numerical_error, "phase1",
                         "the training loss is not finite at step %zu (last finite loss %g); %s",
                         step, last_loss, hint);
  }
  if (loss > kBlowUp * zero_loss) {
    return Status::error(Code::numerical_error, "phase1",
                         "the training loss %.3g at step %zu is over %g x the zero predictor's "
                         "%.3g: the weights blew up; %s",
                         loss, step, kBlowUp, zero_loss, hint);
  }
  return Status();
}

template <class T>
Status check_phase1_weights(const State<T>& s, std::size_t step, double loss) {
  for (std::size_t i = 0; i < s.dims.m; ++i) {
    if (s.net.bad_rows[i] == 0) continue;
    char hint[96];
    blame(s, hint, sizeof hint);
    return Status::error(Code::numerical_error, "phase1",
                         "W is not finite after step %zu (row %zu; last finite loss %g); %s", step,
                         i, loss, hint);
  }
  return Status();
}

#define MIMKIT_INSTANTIATE(T)                                                                 \
  template Status check_dtype_range<T>(const RunConfig&);                                     \
  template Status check_initial_weights<T>(const State<T>&);                                  \
  template Status check_phase1_loss<T>(const State<T>&, std::size_t, double, double, double); \
  template Status check_phase1_weights<T>(const State<T>&, std::size_t, double);
MIMKIT_INSTANTIATE(float)
MIMKIT_INSTANTIATE(double)
#undef MIMKIT_INSTANTIATE

}  // namespace train
}  // namespace mimkit
