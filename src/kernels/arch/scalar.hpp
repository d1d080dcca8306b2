// The scalar reference: a plain-C++ emulated 128-bit register (svec) and its operations, lane by
// lane with the host's IEEE arithmetic. No xsimd and no intrinsics, so it builds for any target
// with a C++17 compiler (bare-metal Cortex-M included); every other ISA is checked against it.
//
// fma is the one operation a target may lack in hardware: platform::fma (src/platform/fma.hpp)
// is correctly rounded on every target (the instruction, glibc's fma, or our software fma).
// Included only by isa_scalar.cpp (see simd.hpp).
#pragma once

#include "../simd.hpp"
#include "platform/fma.hpp"

namespace mimkit {
namespace kernels {
namespace {

/// Tag of the portable reference path.
struct scalar_arch {};

// The register, with xsimd::batch's memory interface (simd.hpp's vload, vstore, ...).
template <class T, std::size_t N>
struct svec {
  T v[N];

  svec() = default;
  explicit svec(T x) {
    for (T& lane : v) lane = x;
  }
  static svec load_unaligned(const T* p) {
    svec r;
    __builtin_memcpy(r.v, p, sizeof(r.v));
    return r;
  }
  // Alignment buys the emulated register nothing.
  static svec load_aligned(const T* p) { return load_unaligned(p); }
  void store_unaligned(T* p) const { __builtin_memcpy(p, v, sizeof(v)); }
  void store_aligned(T* p) const { store_unaligned(p); }
};
template <class T, std::size_t N>
struct sbool {
  bool v[N];
};

template <class T>
struct VecOf<T, scalar_arch> {
  using type = svec<T, 16 / sizeof(T)>;
};

// 8 accumulators of 4 floats fit any core's registers (ARMv7-M has 32 single-precision ones);
// the packed panel is 4 KiB of stack per product, which fits the L1 (or the tightly coupled
// memory) of a microcontroller and leaves its stack room. Blocking changes no bits (gemm.hpp).
template <>
struct Blocking<scalar_arch> {
  static constexpr int NV0 = 2;
  static constexpr int mr(int nv) { return nv == 2 ? 4 : 6; }
  static constexpr std::size_t kPanelBytes = 4096;
};

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

template <class T, std::size_t N>
inline svec<T, N> vfma(const svec<T, N>& a, const svec<T, N>& b, const svec<T, N>& c) {
  svec<T, N> r;
  for (std::size_t i = 0; i < N; ++i) r.v[i] = platform::fma(a.v[i], b.v[i], c.v[i]);
  return r;
}
template <class T, std::size_t N>
inline svec<T, N> vdiv(const svec<T, N>& a, const svec<T, N>& b) {
  return a / b;
}
// IEEE 754 requires sqrt correctly rounded: the instruction, or libm's (fdlibm's bit-by-bit
// square root in newlib and picolibc) where the FPU has none for the type.
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

// The 64-bit product of the host's integer multiply.
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

}  // namespace
}  // namespace kernels
}  // namespace mimkit
