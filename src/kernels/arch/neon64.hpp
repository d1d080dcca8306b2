// AArch64 Advanced SIMD (xsimd::neon64): tile, Philox multiply, and the xsimd 8.1 gap that would
// break bit-identity: its float division and square root are reciprocal-estimate approximations;
// the IEEE vdivq_f32 / vsqrtq_f32 replace them (double already uses the IEEE instructions).
// Included only by isa_neon.cpp (aarch64 needs no flags). AArch64 SIMD arithmetic honours FPCR
// (no flush-to-zero unless asked), unlike ARMv7's, which is why 32-bit ARM runs the scalar path.
#pragma once

#include "xsimd.hpp"

namespace mimkit {
namespace kernels {
namespace {

template <class T>
struct VecOf<T, xsimd::neon64> {
  using type = xsimd::batch<T, xsimd::neon64>;
};

// 32 q registers: 6 x 4 accumulators + 4 B vectors + 1 broadcast; a 32 KiB panel is half of a
// 64 KiB L1 (Apple and Neoverse V cores). Not measured on ARM hardware yet.
template <>
struct Blocking<xsimd::neon64> {
  static constexpr int NV0 = 4;
  static constexpr int mr(int nv) { return nv == 4 ? 6 : nv == 2 ? 12 : 16; }
  static constexpr std::size_t kPanelBytes = 32768;
};

template <>
inline xsimd::batch<float, xsimd::neon64> vdiv(const xsimd::batch<float, xsimd::neon64>& a,
                                               const xsimd::batch<float, xsimd::neon64>& b) {
  return vdivq_f32(a, b);
}
template <>
inline xsimd::batch<float, xsimd::neon64> vsqrt(const xsimd::batch<float, xsimd::neon64>& a) {
  return vsqrtq_f32(a);
}

// umull on the low and high halves, then one unzip into low and high words.
template <>
struct MulHiLo<xsimd::neon64> {
  using V = Vec<std::uint32_t, xsimd::neon64>;
  static void apply(const V& a, std::uint32_t b, V& hi, V& lo) {
    const uint32x4_t av = a;
    const uint32x4_t bv = vdupq_n_u32(b);
    const uint64x2_t pl = vmull_u32(vget_low_u32(av), vget_low_u32(bv));
    const uint64x2_t ph = vmull_high_u32(av, bv);
    const uint32x4x2_t uz = vuzpq_u32(vreinterpretq_u32_u64(pl), vreinterpretq_u32_u64(ph));
    lo = V(uz.val[0]);
    hi = V(uz.val[1]);
  }
};

}  // namespace
}  // namespace kernels
}  // namespace mimkit
