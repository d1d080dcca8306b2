// The FMA peak of one ISA and type, measured now: rates in the benchmarks are set against it
// because the machine is shared and its speed drifts between runs.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>

#include "kernels/kernels.hpp"

namespace mimkit_bench {

// Flops per second of the register-resident FMA chains, timed for about 0.2 s.
template <class T>
double measure_peak(mimkit::Isa isa) {
  const auto* k = mimkit::kernels::table<T>(isa);
  std::size_t iters = 1 << 16;
  for (;;) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(k->fma_peak(iters));
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s > 0.2) return 2.0 * static_cast<double>(iters * k->fma_chains * k->lanes) / s;
    iters *= 2;
  }
}

}  // namespace mimkit_bench
