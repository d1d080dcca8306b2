// AVX-512 F/BW/DQ/CD (xsimd::avx512bw): tile, Philox multiply, and the two xsimd 8.1 gaps that
// would break bit-identity: it has no AVX-512 fma (its generic fallback computes x * y + z with
// two roundings) and no sqrt (a generic approximation). Included only by isa_avx512.cpp,
// compiled with -mavx512f -mavx512bw -mavx512dq -mavx512cd -mavx2 -mfma.
#pragma once

#include "xsimd.hpp"

namespace mimkit {
namespace kernels {
namespace {

template <class T>
struct VecOf<T, xsimd::avx512bw> {
  using type = xsimd::batch<T, xsimd::avx512bw>;
};

// 32 zmm registers: 8 x 3 accumulators + 3 B vectors + 1 broadcast.
template <>
struct Blocking<xsimd::avx512bw> {
  static constexpr int NV0 = 3;
  static constexpr int mr(int nv) { return nv == 3 ? 8 : 12; }
  static constexpr std::size_t kPanelBytes = 24576;
};

template <>
inline xsimd::batch<float, xsimd::avx512bw> vfma(const xsimd::batch<float, xsimd::avx512bw>& a,
                                                 const xsimd::batch<float, xsimd::avx512bw>& b,
                                                 const xsimd::batch<float, xsimd::avx512bw>& c) {
  return _mm512_fmadd_ps(a, b, c);
}
template <>
inline xsimd::batch<double, xsimd::avx512bw> vfma(const xsimd::batch<double, xsimd::avx512bw>& a,
                                                  const xsimd::batch<double, xsimd::avx512bw>& b,
                                                  const xsimd::batch<double, xsimd::avx512bw>& c) {
  return _mm512_fmadd_pd(a, b, c);
}
template <>
inline xsimd::batch<float, xsimd::avx512bw> vsqrt(const xsimd::batch<float, xsimd::avx512bw>& a) {
  return _mm512_sqrt_ps(a);
}
template <>
inline xsimd::batch<double, xsimd::avx512bw> vsqrt(const xsimd::batch<double, xsimd::avx512bw>& a) {
  return _mm512_sqrt_pd(a);
}

// vpmuludq on the even and the odd lanes, then one merge-masked shuffle per half: move each
// product's high (low) word into place.
template <>
struct MulHiLo<xsimd::avx512bw> {
  using V = Vec<std::uint32_t, xsimd::avx512bw>;
  static void apply(const V& a, std::uint32_t b, V& hi, V& lo) {
    const __m512i av = a;
    const __m512i bv = _mm512_set1_epi32(static_cast<int>(b));
    const __m512i even = _mm512_mul_epu32(av, bv);
    const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(av, 32), bv);
    hi = V(_mm512_mask_shuffle_epi32(odd, 0x5555, even, _MM_PERM_DDBB));
    lo = V(_mm512_mask_shuffle_epi32(even, 0xAAAA, odd, _MM_PERM_CCAA));
  }
};

}  // namespace
}  // namespace kernels
}  // namespace mimkit
