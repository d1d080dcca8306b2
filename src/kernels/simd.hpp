// The vector vocabulary the kernels are written in, shared by every instruction set. No
// instruction set lives here: each one's register type, operations and quirks are in its own
// header under arch/ (arch/scalar.hpp needs no xsimd at all), which includes this file and which
// its isa_*.cpp includes before the kernel templates (gemm.hpp, normal.hpp, activation.hpp).
//
// Included only by the isa_*.cpp translation units, each compiled with its own ISA flags.
// Everything here lives in an anonymous namespace: each translation unit gets a private copy,
// so no inline function compiled with AVX2 flags can be picked by the linker for the baseline
// path (the one-definition-rule trap of per-file ISA flags).
//
// What an arch header provides for its tag Arch, for T in float, double, uint32_t, uint64_t:
//   VecOf<T, Arch>::type  the register (Vec<T, Arch>), with + - * / ^ & | << >> and comparisons,
//                         and xsimd::batch's memory interface (vload, vstore, ... below)
//   vfma(a, b, c) = a * b + c rounded once, vdiv, vsqrt (correctly rounded),
//   vselect(mask, a, b), vbitcast<U>(v), vhead(v)
//   Blocking<Arch>        the register tile and packed-panel size of gemm.hpp
//   MulHiLo<Arch>         Philox's 32 x 32 -> 64-bit multiply (the portable one below by default)
// Every lane computes the same IEEE operations on every ISA; an override that an ISA needs for
// bit-identity (xsimd 8.1's approximate NEON division, its two-rounding AVX-512 fma) lives in
// that ISA's header.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels.hpp"

namespace mimkit {
namespace kernels {
namespace {

template <class T, class Arch>
struct VecOf;
template <class T, class Arch>
using Vec = typename VecOf<T, Arch>::type;

template <class T, class Arch>
constexpr std::size_t lanes() {
  return sizeof(Vec<T, Arch>) / sizeof(T);
}

// Memory and broadcast, through the register's own interface (xsimd::batch's, which the
// emulated register of arch/scalar.hpp copies): a broadcasting constructor, load_unaligned /
// load_aligned, store_unaligned / store_aligned. Aligned means to 64 bytes.
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
template <class Arch, class T>
inline Vec<T, Arch> vload_aligned(const T* p) {
  return Vec<T, Arch>::load_aligned(p);
}
template <class Arch, class T>
inline void vstore_aligned(T* p, const Vec<T, Arch>& x) {
  x.store_aligned(p);
}

// Register tile per ISA: a panel of NV vectors of C columns is computed MR(NV) rows at a time.
// MR * NV accumulators + NV B vectors + 1 broadcast fit the register file, and MR * NV >= FMA
// latency x FMA ports keeps every FMA port busy. Panels are NV = NV0 (at most 4), then 2, then 1
// vectors wide while columns remain. The packed B panel, on the stack, holds kPanelBytes (a
// k-block of KC = kPanelBytes / (NV W sizeof(T)) rows). Each arch header specialises it:
//   static constexpr int NV0;  static constexpr int mr(int nv);
//   static constexpr std::size_t kPanelBytes;
template <class Arch>
struct Blocking;

// 32 x 32 -> 64-bit multiply, split into high and low words, lane by lane (Philox's round).
// Portable form: four 16 x 16 -> 32-bit partial products, exact in 32-bit lanes; an arch header
// specialises it where the ISA has a widening multiply.
template <class Arch>
struct MulHiLo {
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

// The guard a wider ISA needs: callers pad columns to kColumnMultiple (kernels.hpp), so every
// register of every type must divide it (and normal.hpp deals 16 Philox counters into lanes).
template <class Arch>
constexpr bool fits_column_multiple() {
  return kColumnMultiple % lanes<float, Arch>() == 0 &&
         kColumnMultiple % lanes<double, Arch>() == 0 &&
         kColumnMultiple % lanes<std::uint32_t, Arch>() == 0 &&
         lanes<std::uint32_t, Arch>() == lanes<float, Arch>() &&
         lanes<std::uint64_t, Arch>() == lanes<double, Arch>();
}

}  // namespace
}  // namespace kernels
}  // namespace mimkit
