// AVX2 + FMA (xsimd::fma3<xsimd::avx2>): tile and Philox multiply. xsimd 8.1 is exact here as is
// (fma is vfmadd, division and sqrt are the IEEE instructions). Included only by isa_avx2.cpp,
// compiled with -mavx2 -mfma.
#pragma once

#include "xsimd.hpp"

namespace mimkit {
namespace kernels {
namespace {

template <class T>
struct VecOf<T, xsimd::fma3<xsimd::avx2>> {
  using type = xsimd::batch<T, xsimd::fma3<xsimd::avx2>>;
};

// 16 ymm registers: 6 x 2 accumulators + 2 B vectors + 1 broadcast; a 24 KiB panel is about half
// of a 48 KiB L1 (tiles and sizes chosen by bench-kernels, bench/RESULTS.md).
template <>
struct Blocking<xsimd::fma3<xsimd::avx2>> {
  static constexpr int NV0 = 2;
  static constexpr int mr(int nv) { return nv == 2 ? 6 : 8; }
  static constexpr std::size_t kPanelBytes = 24576;
};

// vpmuludq on the even and the odd lanes, then blends.
template <>
struct MulHiLo<xsimd::fma3<xsimd::avx2>> {
  using V = Vec<std::uint32_t, xsimd::fma3<xsimd::avx2>>;
  static void apply(const V& a, std::uint32_t b, V& hi, V& lo) {
    const __m256i av = a;
    const __m256i bv = _mm256_set1_epi32(static_cast<int>(b));
    const __m256i even = _mm256_mul_epu32(av, bv);
    const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(av, 32), bv);
    hi = V(_mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA));
    lo = V(_mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA));
  }
};

}  // namespace
}  // namespace kernels
}  // namespace mimkit
