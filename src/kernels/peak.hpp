// A register-resident chain of fused multiply-adds: the machine's FMA peak for one ISA and
// type, measured by the benchmarks in the same run as the kernels they rate. Included only by
// isa_*.cpp.
#pragma once

#include "simd.hpp"

namespace mimkit {
namespace kernels {
namespace {

// iterations x kChains x lanes FMAs (2 flops each). kChains independent accumulators cover the
// FMA latency times the number of FMA ports on every supported core.
constexpr int kPeakChains = 12;

template <class Arch, class T>
double fma_peak(std::size_t iterations) {
  using V = Vec<T, Arch>;
  V acc[kPeakChains];
  for (int c = 0; c < kPeakChains; ++c) acc[c] = vbroadcast<Arch, T>(T(c));
  const V a = vbroadcast<Arch, T>(T(0.999));
  const V b = vbroadcast<Arch, T>(T(0.001));
  for (std::size_t it = 0; it < iterations; ++it) {
    for (int c = 0; c < kPeakChains; ++c) acc[c] = vfma(acc[c], a, b);
  }
  V sum = acc[0];
  for (int c = 1; c < kPeakChains; ++c) sum = sum + acc[c];
  return static_cast<double>(vhead(sum));
}

}  // namespace
}  // namespace kernels
}  // namespace mimkit
