#include "platform/fma.hpp"

#include <cstring>

namespace mimkit {
namespace platform {
namespace {

// A 128-bit unsigned integer from two 64-bit halves: 32-bit targets have no __int128.
struct U128 {
  std::uint64_t hi = 0, lo = 0;
};

bool is_zero(const U128& a) {
  return (a.hi | a.lo) == 0;
}
bool less(const U128& a, const U128& b) {
  return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}
U128 add(const U128& a, const U128& b) {
  U128 r;
  r.lo = a.lo + b.lo;
  r.hi = a.hi + b.hi + (r.lo < a.lo ? 1 : 0);
  return r;
}
// a - b for a >= b.
U128 sub(const U128& a, const U128& b) {
  U128 r;
  r.lo = a.lo - b.lo;
  r.hi = a.hi - b.hi - (a.lo < b.lo ? 1 : 0);
  return r;
}
// 0 <= n < 128.
U128 shl(const U128& a, int n) {
  if (n == 0) return a;
  U128 r;
  if (n >= 64) {
    r.hi = a.lo << (n - 64);
  } else {
    r.hi = (a.hi << n) | (a.lo >> (64 - n));
    r.lo = a.lo << n;
  }
  return r;
}
// 0 <= n < 128.
U128 shr(const U128& a, int n) {
  if (n == 0) return a;
  U128 r;
  if (n >= 64) {
    r.lo = a.hi >> (n - 64);
  } else {
    r.lo = (a.lo >> n) | (a.hi << (64 - n));
    r.hi = a.hi >> n;
  }
  return r;
}
// a >> n with every bit shifted out ORed into bit 0 (the sticky bit), n >= 0.
U128 shr_sticky(const U128& a, int n) {
  if (n == 0) return a;
  if (n >= 128) {
    U128 r;
    r.lo = is_zero(a) ? 0 : 1;
    return r;
  }
  U128 r = shr(a, n);
  if (!is_zero(sub(a, shl(r, n)))) r.lo |= 1;
  return r;
}
// Index of the highest set bit of a != 0.
int msb(const U128& a) {
  return a.hi != 0 ? 127 - __builtin_clzll(a.hi) : 63 - __builtin_clzll(a.lo);
}
// The exact 128-bit product of two 64-bit integers, from 32 x 32 -> 64-bit products.
U128 mul(std::uint64_t a, std::uint64_t b) {
  const std::uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
  const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const std::uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);
  U128 r;
  r.lo = (mid << 32) | (p00 & 0xFFFFFFFFu);
  r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return r;
}

// IEEE 754 binary formats: kFraction stored fraction bits, kBias exponent bias.
template <class F>
struct Format;
template <>
struct Format<double> {
  using Bits = std::uint64_t;
  static constexpr int kFraction = 52, kBias = 1023, kExponentMask = 0x7FF;
};
template <>
struct Format<float> {
  using Bits = std::uint32_t;
  static constexpr int kFraction = 23, kBias = 127, kExponentMask = 0xFF;
};

template <class F>
typename Format<F>::Bits bits_of(F x) {
  typename Format<F>::Bits b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
template <class F>
F from_bits(std::uint64_t wide) {
  const auto b = static_cast<typename Format<F>::Bits>(wide);
  F x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// A finite nonzero value as sign, integer significand and exponent: |x| = m 2^e.
struct Parts {
  bool negative;
  std::uint64_t m;
  int e;
};
template <class F>
Parts split(F x) {
  using Fmt = Format<F>;
  const std::uint64_t b = bits_of(x);
  const int biased = static_cast<int>(b >> Fmt::kFraction) & Fmt::kExponentMask;
  const std::uint64_t fraction = b & ((std::uint64_t{1} << Fmt::kFraction) - 1);
  Parts p;
  p.negative = (b >> (8 * sizeof(F) - 1)) != 0;
  if (biased == 0) {  // subnormal
    p.m = fraction;
    p.e = 1 - Fmt::kBias - Fmt::kFraction;
  } else {
    p.m = fraction | (std::uint64_t{1} << Fmt::kFraction);
    p.e = biased - Fmt::kBias - Fmt::kFraction;
  }
  return p;
}

template <class F>
bool finite(F x) {
  using Fmt = Format<F>;
  return ((bits_of(x) >> Fmt::kFraction) & Fmt::kExponentMask) != Fmt::kExponentMask;
}

// Both addends are scaled so their highest bit is bit kTop: two bits of headroom for the sum,
// and at least 125 - 2 * 53 = 19 bits below the lowest bit of the product.
constexpr int kTop = 125;

template <class F>
F fma_impl(F a, F b, F c) {
  using Fmt = Format<F>;
  // Cases where the floating-point multiply and add are already exact or correctly rounded:
  // a NaN or infinity among a and b (the product is exactly NaN or infinite), a zero factor
  // (the product is an exact zero, the sum rounds once), a zero c (the product rounds once;
  // a product that underflows to zero keeps its sign, which the exact sum has too).
  if (!finite(a) || !finite(b) || a == F(0) || b == F(0)) return a * b + c;
  if (!finite(c)) return c;  // finite * finite + inf/NaN: the product cannot matter
  if (c == F(0)) return a * b;

  const Parts pa = split(a), pb = split(b), pc = split(c);
  // Product: up to 2 (kFraction + 1) bits, exact. Addend: kFraction + 1 bits.
  U128 mp = mul(pa.m, pb.m);
  int ep = pa.e + pb.e;
  const bool sp = pa.negative != pb.negative;
  U128 mc;
  mc.lo = pc.m;
  int ec = pc.e;
  const int shift_p = kTop - msb(mp), shift_c = kTop - msb(mc);
  mp = shl(mp, shift_p);
  ep -= shift_p;
  mc = shl(mc, shift_c);
  ec -= shift_c;

  // Align the smaller exponent to the larger; bits shifted out survive as a sticky bit, far
  // below the rounding position, so they decide inexact ties exactly as the full sum would.
  U128 big = mp, small = mc;
  int e = ep, e_small = ec;
  bool negative = sp, small_negative = pc.negative;
  if (ec > ep || (ec == ep && less(mp, mc))) {
    big = mc;
    small = mp;
    e = ec;
    e_small = ep;
    negative = pc.negative;
    small_negative = sp;
  }
  small = shr_sticky(small, e - e_small);
  U128 r;
  if (negative == small_negative) {
    r = add(big, small);
  } else {
    r = sub(big, small);
    if (is_zero(r)) return F(0);  // exact cancellation: +0 when rounding to nearest
  }

  // Round r 2^e to the format: the lowest kept bit has weight 2^lsb, with lsb at least that of
  // the subnormals.
  constexpr int kMinLsb = 1 - Fmt::kBias - Fmt::kFraction;
  const int top = msb(r) + e;  // r 2^e in [2^top, 2^(top + 1))
  const std::uint64_t sign = negative ? std::uint64_t{1} << (8 * sizeof(F) - 1) : 0;
  const std::uint64_t inf = static_cast<std::uint64_t>(Fmt::kExponentMask) << Fmt::kFraction;
  if (top > Fmt::kBias) return from_bits<F>(sign | inf);
  const int lsb = top - Fmt::kFraction > kMinLsb ? top - Fmt::kFraction : kMinLsb;
  const int drop = lsb - e;
  std::uint64_t q = 0;
  if (drop <= 0) {
    q = shl(r, -drop).lo;  // exact: fewer than kFraction + 2 bits
  } else if (drop < 128) {
    const U128 kept = shr(r, drop);
    const U128 rest = sub(r, shl(kept, drop));
    const U128 half = shl(U128{0, 1}, drop - 1);
    q = kept.lo;
    if (less(half, rest) || (!less(rest, half) && (q & 1) != 0)) ++q;
  }  // else r 2^e is below half the smallest subnormal: q = 0
  // The exponent field is lsb - kMinLsb (0 for subnormals) plus the carry of q's leading bit,
  // which also absorbs a rounding carry into the next binade.
  const std::uint64_t magnitude = (static_cast<std::uint64_t>(lsb - kMinLsb) << Fmt::kFraction) + q;
  return from_bits<F>(sign | (magnitude >= inf ? inf : magnitude));
}

}  // namespace

double soft_fma(double a, double b, double c) noexcept {
  return fma_impl(a, b, c);
}
float soft_fma(float a, float b, float c) noexcept {
  return fma_impl(a, b, c);
}

}  // namespace platform
}  // namespace mimkit
