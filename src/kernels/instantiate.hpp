// Builds the kernel tables of one instruction set. Each isa_*.cpp includes its arch header
// (arch/<isa>.hpp: the vocabulary of simd.hpp for its tag), then this file, then names its
// tables with MIMKIT_KERNEL_TABLES(isa, Arch).
#pragma once

#include "activation.hpp"
#include "gemm.hpp"
#include "kernels.hpp"
#include "normal.hpp"
#include "peak.hpp"

namespace mimkit {
namespace kernels {
namespace {

template <class T, class Arch, Isa kIsa>
constexpr Table<T> kTable = {
    kIsa,
    &normals<Arch, T>,
    &gemm_nn<Arch, T>,
    &pack_b_panels<Arch, T>,
    &gemm_nn_packed<Arch, T>,
    &gemm_tn<Arch, T>,
    &activation<Arch, T>,
    &fma_peak<Arch, T>,
    lanes<T, Arch>(),
    kPeakChains,
    &philox_words<Arch>,
};

}  // namespace
}  // namespace kernels
}  // namespace mimkit

/// Defines table_of<float, Isa::ISA>() and table_of<double, Isa::ISA>() over the kernels
/// instantiated for ARCH; fails to compile if ARCH's lanes do not divide kColumnMultiple.
#define MIMKIT_KERNEL_TABLES(ISA, ARCH)                                                     \
  namespace mimkit {                                                                        \
  namespace kernels {                                                                       \
  static_assert(fits_column_multiple<ARCH>(),                                               \
                "every lane count must divide kColumnMultiple: raise it (and the callers' " \
                "padding) for a wider ISA");                                                \
  template <>                                                                               \
  const Table<float>* table_of<float, Isa::ISA>() noexcept {                                \
    return &kTable<float, ARCH, Isa::ISA>;                                                  \
  }                                                                                         \
  template <>                                                                               \
  const Table<double>* table_of<double, Isa::ISA>() noexcept {                              \
    return &kTable<double, ARCH, Isa::ISA>;                                                 \
  }                                                                                         \
  }                                                                                         \
  }
