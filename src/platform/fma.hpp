// A correctly rounded fused multiply-add on every target. The determinism contract needs
// a * b + c rounded once in the scalar kernels; what `fma` gives depends on the target:
//  - an FMA instruction for the type (__FP_FAST_FMA / __FP_FAST_FMAF: x86 with -mfma, aarch64,
//    Cortex-M7 double, Cortex-M4F float): the compiler's builtin is that instruction;
//  - glibc: its fma/fmaf are correctly rounded on every architecture (and the tests compare them
//    with soft_fma on every target they run on: x86, aarch64, armhf);
//  - anything else, e.g. newlib, whose fma() is a multiply then an add (two roundings, so a
//    Cortex-M4F computed different double digests): soft_fma, integer arithmetic only.
// Include only from translation units compiled with baseline flags (the scalar kernels, the
// library, the tests): the inline functions below must not get an ISA-specific copy.
#pragma once

#include <cstdint>  // and with it the C library's headers, which define __GLIBC__

namespace mimkit {
namespace platform {

/// a * b + c with one rounding to nearest (ties to even), in integer arithmetic: the exact
/// product and sum are formed in 128 bits. IEEE 754 special cases (NaN, infinities, signed
/// zeros, subnormals, overflow) as fma(). About 100 integer operations; allocation-free.
double soft_fma(double a, double b, double c) noexcept;
float soft_fma(float a, float b, float c) noexcept;

// Whether fma() below is soft_fma for the type (see the top of this file).
#if defined(__FP_FAST_FMA) || defined(__GLIBC__)
constexpr bool kSoftFmaDouble = false;
#else
constexpr bool kSoftFmaDouble = true;
#endif
#if defined(__FP_FAST_FMAF) || defined(__GLIBC__)
constexpr bool kSoftFmaFloat = false;
#else
constexpr bool kSoftFmaFloat = true;
#endif

/// a * b + c rounded once, the fastest correct way on this target.
inline double fma(double a, double b, double c) noexcept {
  return kSoftFmaDouble ? soft_fma(a, b, c) : __builtin_fma(a, b, c);
}
inline float fma(float a, float b, float c) noexcept {
  return kSoftFmaFloat ? soft_fma(a, b, c) : __builtin_fmaf(a, b, c);
}

}  // namespace platform
}  // namespace mimkit
