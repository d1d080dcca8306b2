// Builds the kernel tables of one instruction set. Each isa_*.cpp includes this once, after
// defining MIMKIT_KERNEL_ARCH (the xsimd architecture) and MIMKIT_KERNEL_NAME (a suffix).
#pragma once

#include "activation.hpp"
#include "gemm.hpp"
#include "kernels.hpp"
#include "normal.hpp"
#include "peak.hpp"

#define MIMKIT_CONCAT_(a, b) a##b
#define MIMKIT_CONCAT(a, b) MIMKIT_CONCAT_(a, b)

namespace mimkit {
namespace kernels {

const Table<float>* MIMKIT_CONCAT(table_f32_, MIMKIT_KERNEL_NAME)() noexcept {
  static const Table<float> table = {
      MIMKIT_KERNEL_ISA,
      &normals<MIMKIT_KERNEL_ARCH, float>,
      &gemm_nn<MIMKIT_KERNEL_ARCH, float>,
      &pack_b_panels<MIMKIT_KERNEL_ARCH, float>,
      &gemm_nn_packed<MIMKIT_KERNEL_ARCH, float>,
      &gemm_tn<MIMKIT_KERNEL_ARCH, float>,
      &activation<MIMKIT_KERNEL_ARCH, float>,
      &fma_peak<MIMKIT_KERNEL_ARCH, float>,
      lanes<float, MIMKIT_KERNEL_ARCH>(),
      kPeakChains,
      &philox_words<MIMKIT_KERNEL_ARCH>,
  };
  return &table;
}

const Table<double>* MIMKIT_CONCAT(table_f64_, MIMKIT_KERNEL_NAME)() noexcept {
  static const Table<double> table = {
      MIMKIT_KERNEL_ISA,
      &normals<MIMKIT_KERNEL_ARCH, double>,
      &gemm_nn<MIMKIT_KERNEL_ARCH, double>,
      &pack_b_panels<MIMKIT_KERNEL_ARCH, double>,
      &gemm_nn_packed<MIMKIT_KERNEL_ARCH, double>,
      &gemm_tn<MIMKIT_KERNEL_ARCH, double>,
      &activation<MIMKIT_KERNEL_ARCH, double>,
      &fma_peak<MIMKIT_KERNEL_ARCH, double>,
      lanes<double, MIMKIT_KERNEL_ARCH>(),
      kPeakChains,
      &philox_words<MIMKIT_KERNEL_ARCH>,
  };
  return &table;
}

}  // namespace kernels
}  // namespace mimkit
