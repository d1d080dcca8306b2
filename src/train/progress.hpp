// Progress reports and timing of a run's phases: the one way the trainer talks to its caller
// while it works (and learns whether to stop).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstring>

#include "mimkit/metrics.hpp"
#include "platform/clock.hpp"
#include "train/state.hpp"

namespace mimkit {
namespace train {

/// Start times of the run and of the current phase (platform clock seconds).
struct Clock {
  double run_start = 0;
  double phase_start = 0;
  double since_phase() const noexcept { return platform::now_seconds() - phase_start; }
};

/// Calls the progress callback, if any; false when it or the should_stop hook asks to stop. In
/// phase 1 the current alignment is included (O(m d r)).
template <class T>
bool report_progress(State<T>& s, const char* phase, std::size_t step, std::size_t steps,
                     double loss, const Clock& clock) {
  if (s.execution.should_stop != nullptr && s.execution.should_stop(s.execution.user)) {
    return false;
  }
  if (s.execution.progress == nullptr) return true;
  const Dims& n = s.dims;
  Progress p;
  p.phase = phase;
  p.step = step;
  p.steps = steps;
  p.loss = loss;
  p.alignment = std::strcmp(phase, "phase1") == 0
                    ? alignment<T>(s.net.W, n.m, n.d, n.ldx, s.model.subspace(), n.r)
                    : NAN;
  const double now = platform::now_seconds();
  p.elapsed_s = now - clock.run_start;
  p.phase_s = now - clock.phase_start;
  return s.execution.progress(p, s.execution.user);
}

}  // namespace train
}  // namespace mimkit
