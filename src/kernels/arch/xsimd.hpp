// The vocabulary of simd.hpp on xsimd::batch, for every xsimd architecture: included by the arch
// header of each SIMD instruction set, which names its register type (VecOf) and adds its own
// tile and overrides. Default-arch xsimd forms are never used (FIELD-NOTES: they silently
// pick the file's ISA): every load, store and broadcast names Arch (simd.hpp).
#pragma once

#include <xsimd/xsimd.hpp>

#include "../simd.hpp"

namespace mimkit {
namespace kernels {
namespace {

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

}  // namespace
}  // namespace kernels
}  // namespace mimkit
