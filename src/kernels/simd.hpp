// The vector vocabulary the kernels are written in, for every instruction set.
//
// Included only by the isa_*.cpp translation units, each compiled with its own ISA flags.
// Everything here lives in an anonymous namespace: each translation unit gets a private copy,
// so no inline function compiled with AVX2 flags can be picked by the linker for the baseline
// path (the one-definition-rule trap of per-file ISA flags).
//
// Vec<T, Arch> is xsimd::batch<T, Arch> for a real ISA, and a plain-C++ emulated 128-bit
// register for `scalar_arch`, the reference path: the kernels are written once against the
// operations below and every lane computes the same IEEE operations on every ISA.
//
// Some xsimd 8.1 behaviours are overridden because they would break bit-identity:
//  - on NEON, float division and square root are reciprocal-estimate approximations; we use
//    the exact vdivq_f32 / vsqrtq_f32 instead;
//  - on AVX-512, xsimd has no fma (its generic fallback computes x * y + z with two roundings)
//    and no sqrt; we use _mm512_fmadd_* and _mm512_sqrt_*.
#pragma once

#include <xsimd/xsimd.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace mimkit {
namespace kernels {
namespace {

/// Tag of the portable reference path (no intrinsics).
struct scalar_arch {};

template <class T, std::size_t N>
struct svec {
  T v[N];
};
template <class T, std::size_t N>
struct sbool {
  bool v[N];
};

template <class T, class Arch>
struct VecOf {
  using type = xsimd::batch<T, Arch>;
};
template <class T>
struct VecOf<T, scalar_arch> {
  using type = svec<T, 16 / sizeof(T)>;
};
template <class T, class Arch>
using Vec = typename VecOf<T, Arch>::type;

template <class T, class Arch>
constexpr std::size_t lanes() {
  return sizeof(Vec<T, Arch>) / sizeof(T);
}

// ---------------------------------------------------------------------------------------------
// Emulated register: element-wise loops, std-conforming IEEE operations.
// ---------------------------------------------------------------------------------------------
#define MIMKIT_SVEC_BINOP(op)                                               \
  template <class T, std::size_t N>                                         \
  inline svec<T, N> operator op(const svec<T, N>& a, const svec<T, N>& b) { \
    svec<T, N> r;                                                           \
    for (std::size_t i = 0; i < N; ++i) r.v[i] = a.v[i] op b.v[i];          \
    return r;                                                               \
  }
MIMKIT_SVEC_BINOP(+)
MIMKIT_SVEC_BINOP(-)
MIMKIT_SVEC_BINOP(*)
MIMKIT_SVEC_BINOP(/)
MIMKIT_SVEC_BINOP(^)
MIMKIT_SVEC_BINOP(&)
MIMKIT_SVEC_BINOP(|)
#undef MIMKIT_SVEC_BINOP

#define MIMKIT_SVEC_CMP(op)                                                  \
  template <class T, std::size_t N>                                          \
  inline sbool<T, N> operator op(const svec<T, N>& a, const svec<T, N>& b) { \
    sbool<T, N> r;                                                           \
    for (std::size_t i = 0; i < N; ++i) r.v[i] = a.v[i] op b.v[i];           \
    return r;                                                                \
  }
MIMKIT_SVEC_CMP(<)
MIMKIT_SVEC_CMP(<=)
MIMKIT_SVEC_CMP(>)
MIMKIT_SVEC_CMP(==)
#undef MIMKIT_SVEC_CMP

template <class T, std::size_t N>
inline sbool<T, N> operator||(const sbool<T, N>& a, const sbool<T, N>& b) {
  sbool<T, N> r;
  for (std::size_t i = 0; i < N; ++i) r.v[i] = a.v[i] || b.v[i];
  return r;
}

template <class T, std::size_t N>
inline svec<T, N> operator>>(const svec<T, N>& a, int s) {
  svec<T, N> r;
  for (std::size_t i = 0; i < N; ++i) r.v[i] = static_cast<T>(a.v[i] >> s);
  return r;
}
template <class T, std::size_t N>
inline svec<T, N> operator<<(const svec<T, N>& a, int s) {
  svec<T, N> r;
  for (std::size_t i = 0; i < N; ++i) r.v[i] = static_cast<T>(a.v[i] << s);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Operations, one spelling for every Arch.
// ---------------------------------------------------------------------------------------------
template <class Arch, class T>
inline Vec<T, Arch> vbroadcast(T x) {
  return Vec<T, Arch>(x);
}
template <class Arch, class T>
inline Vec<T, Arch> vload(const T* p) {
  return Vec<T, Arch>::load_unaligned(p);
}
template <class Arch, class T>
inline void vstore(T* p, const Vec<T, Arch>& x) {
  x.store_unaligned(p);
}
// p aligned to the vector size (64 bytes suffices on every ISA).
template <class Arch, class T>
inline Vec<T, Arch> vload_aligned(const T* p) {
  if constexpr (std::is_same<Arch, scalar_arch>::value) {
    return vload<Arch, T>(p);
  } else {
    return Vec<T, Arch>::load_aligned(p);
  }
}
template <class Arch, class T>
inline void vstore_aligned(T* p, const Vec<T, Arch>& x) {
  if constexpr (std::is_same<Arch, scalar_arch>::value) {
    vstore<Arch, T>(p, x);
  } else {
    x.store_aligned(p);
  }
}
template <class T, class A>
inline xsimd::batch<T, A> vfma(const xsimd::batch<T, A>& a, const xsimd::batch<T, A>& b,
                               const xsimd::batch<T, A>& c) {
  return xsimd::fma(a, b, c);
}
template <class T, class A>
inline xsimd::batch<T, A> vdiv(const xsimd::batch<T, A>& a, const xsimd::batch<T, A>& b) {
  return a / b;
}
template <class T, class A>
inline xsimd::batch<T, A> vsqrt(const xsimd::batch<T, A>& a) {
  return xsimd::sqrt(a);
}
template <class T, class A>
inline xsimd::batch<T, A> vselect(const xsimd::batch_bool<T, A>& c, const xsimd::batch<T, A>& a,
                                  const xsimd::batch<T, A>& b) {
  return xsimd::select(c, a, b);
}
template <class U, class T, class A>
inline xsimd::batch<U, A> vbitcast(const xsimd::batch<T, A>& x) {
  return xsimd::bitwise_cast<xsimd::batch<U, A>>(x);
}
template <class T, class A>
inline T vhead(const xsimd::batch<T, A>& x) {
  return x.get(0);
}

#if XSIMD_WITH_NEON64
template <>
inline xsimd::batch<float, xsimd::neon64> vdiv(const xsimd::batch<float, xsimd::neon64>& a,
                                               const xsimd::batch<float, xsimd::neon64>& b) {
  return vdivq_f32(a, b);
}
template <>
inline xsimd::batch<float, xsimd::neon64> vsqrt(const xsimd::batch<float, xsimd::neon64>& a) {
  return vsqrtq_f32(a);
}
#endif

#if XSIMD_WITH_AVX512F
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
#endif

template <std::size_t N>
inline svec<float, N> vfma(const svec<float, N>& a, const svec<float, N>& b,
                           const svec<float, N>& c) {
  svec<float, N> r;
  for (std::size_t i = 0; i < N; ++i) r.v[i] = __builtin_fmaf(a.v[i], b.v[i], c.v[i]);
  return r;
}
template <std::size_t N>
inline svec<double, N> vfma(const svec<double, N>& a, const svec<double, N>& b,
                            const svec<double, N>& c) {
  svec<double, N> r;
  for (std::size_t i = 0; i < N; ++i) r.v[i] = __builtin_fma(a.v[i], b.v[i], c.v[i]);
  return r;
}
template <class T, std::size_t N>
inline svec<T, N> vdiv(const svec<T, N>& a, const svec<T, N>& b) {
  return a / b;
}
template <std::size_t N>
inline svec<float, N> vsqrt(const svec<float, N>& a) {
  svec<float, N> r;
  for (std::size_t i = 0; i < N; ++i) r.v[i] = __builtin_sqrtf(a.v[i]);
  return r;
}
template <std::size_t N>
inline svec<double, N> vsqrt(const svec<double, N>& a) {
  svec<double, N> r;
  for (std::size_t i = 0; i < N; ++i) r.v[i] = __builtin_sqrt(a.v[i]);
  return r;
}
template <class T, std::size_t N>
inline svec<T, N> vselect(const sbool<T, N>& c, const svec<T, N>& a, const svec<T, N>& b) {
  svec<T, N> r;
  for (std::size_t i = 0; i < N; ++i) r.v[i] = c.v[i] ? a.v[i] : b.v[i];
  return r;
}
template <class U, class T, std::size_t N>
inline svec<U, N * sizeof(T) / sizeof(U)> vbitcast(const svec<T, N>& x) {
  svec<U, N * sizeof(T) / sizeof(U)> r;
  static_assert(sizeof(r) == sizeof(x), "bitcast keeps the register size");
  __builtin_memcpy(&r, &x, sizeof(r));
  return r;
}
template <class T, std::size_t N>
inline T vhead(const svec<T, N>& x) {
  return x.v[0];
}

// The emulated register needs its own broadcast/load/store (it has no members).
template <class T, std::size_t N>
struct SvecIO {
  static svec<T, N> broadcast(T x) {
    svec<T, N> r;
    for (std::size_t i = 0; i < N; ++i) r.v[i] = x;
    return r;
  }
  static svec<T, N> load(const T* p) {
    svec<T, N> r;
    __builtin_memcpy(r.v, p, sizeof(r.v));
    return r;
  }
  static void store(T* p, const svec<T, N>& x) { __builtin_memcpy(p, x.v, sizeof(x.v)); }
};
template <>
inline svec<float, 4> vbroadcast<scalar_arch, float>(float x) {
  return SvecIO<float, 4>::broadcast(x);
}
template <>
inline svec<double, 2> vbroadcast<scalar_arch, double>(double x) {
  return SvecIO<double, 2>::broadcast(x);
}
template <>
inline svec<std::uint32_t, 4> vbroadcast<scalar_arch, std::uint32_t>(std::uint32_t x) {
  return SvecIO<std::uint32_t, 4>::broadcast(x);
}
template <>
inline svec<std::uint64_t, 2> vbroadcast<scalar_arch, std::uint64_t>(std::uint64_t x) {
  return SvecIO<std::uint64_t, 2>::broadcast(x);
}
template <>
inline svec<float, 4> vload<scalar_arch, float>(const float* p) {
  return SvecIO<float, 4>::load(p);
}
template <>
inline svec<double, 2> vload<scalar_arch, double>(const double* p) {
  return SvecIO<double, 2>::load(p);
}
template <>
inline svec<std::uint32_t, 4> vload<scalar_arch, std::uint32_t>(const std::uint32_t* p) {
  return SvecIO<std::uint32_t, 4>::load(p);
}
template <>
inline void vstore<scalar_arch, float>(float* p, const svec<float, 4>& x) {
  SvecIO<float, 4>::store(p, x);
}
template <>
inline void vstore<scalar_arch, double>(double* p, const svec<double, 2>& x) {
  SvecIO<double, 2>::store(p, x);
}

// ---------------------------------------------------------------------------------------------
// 32 x 32 -> 64-bit multiply, split into high and low words, lane by lane (Philox's round).
// ---------------------------------------------------------------------------------------------
template <class Arch>
struct MulHiLo {
  // Portable: four 16 x 16 -> 32-bit partial products, exact in 32-bit lanes.
  static void apply(const Vec<std::uint32_t, Arch>& a, std::uint32_t b,
                    Vec<std::uint32_t, Arch>& hi, Vec<std::uint32_t, Arch>& lo) {
    using V = Vec<std::uint32_t, Arch>;
    const V mask = vbroadcast<Arch, std::uint32_t>(0xFFFFu);
    const V bl = vbroadcast<Arch, std::uint32_t>(b & 0xFFFFu);
    const V bh = vbroadcast<Arch, std::uint32_t>(b >> 16);
    const V al = a & mask;
    const V ah = a >> 16;
    const V ll = al * bl;
    const V lh = al * bh;
    const V hl = ah * bl;
    const V hh = ah * bh;
    const V mid = (ll >> 16) + (lh & mask) + (hl & mask);
    hi = hh + (lh >> 16) + (hl >> 16) + (mid >> 16);
    lo = a * vbroadcast<Arch, std::uint32_t>(b);
  }
};

template <>
struct MulHiLo<scalar_arch> {
  static void apply(const Vec<std::uint32_t, scalar_arch>& a, std::uint32_t b,
                    Vec<std::uint32_t, scalar_arch>& hi, Vec<std::uint32_t, scalar_arch>& lo) {
    for (std::size_t i = 0; i < 4; ++i) {
      const std::uint64_t p = static_cast<std::uint64_t>(a.v[i]) * b;
      hi.v[i] = static_cast<std::uint32_t>(p >> 32);
      lo.v[i] = static_cast<std::uint32_t>(p);
    }
  }
};

#if XSIMD_WITH_AVX2
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
#endif

#if XSIMD_WITH_AVX512BW
template <>
struct MulHiLo<xsimd::avx512bw> {
  using V = Vec<std::uint32_t, xsimd::avx512bw>;
  static void apply(const V& a, std::uint32_t b, V& hi, V& lo) {
    const __m512i av = a;
    const __m512i bv = _mm512_set1_epi32(static_cast<int>(b));
    const __m512i even = _mm512_mul_epu32(av, bv);
    const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(av, 32), bv);
    // One merge-masked shuffle per half: move each product's high (low) word into place.
    hi = V(_mm512_mask_shuffle_epi32(odd, 0x5555, even, _MM_PERM_DDBB));
    lo = V(_mm512_mask_shuffle_epi32(even, 0xAAAA, odd, _MM_PERM_CCAA));
  }
};
#endif

#if XSIMD_WITH_NEON64
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
#endif

}  // namespace
}  // namespace kernels
}  // namespace mimkit
