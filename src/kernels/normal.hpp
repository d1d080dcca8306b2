// Counter-based standard normals: Philox4x32-10 feeding a Box-Muller transform, vectorised
// across counters. Included only by isa_*.cpp (see simd.hpp for why it is all internal).
//
// Coordinate layout (documented in include/mimkit/rng.hpp, and the same for every ISA):
//   float:  coordinate j of (seed, row, stream) comes from block b = j / 64, counter
//           c0 = 16 b + (j % 16), Philox word pair q / 2 with q = (j % 64) / 16; words (0, 1)
//           give the Box-Muller pair (cos -> q = 0, sin -> q = 1), words (2, 3) give q = 2, 3.
//   double: block b = j / 32, p = j % 8, q = (j % 32) / 8; 64-bit word k of lane p joins word k of
//           counters 16 b + 2p (low half) and 16 b + 2p + 1 (high half); 64-bit words (0, 1)
//           give q = 0, 1 and (2, 3) give q = 2, 3.
// Philox counter (c0, row_lo, row_hi, stream), key (seed_lo, seed_hi).
//
// The elementwise maths (log, sin, cos) is ours, from +, -, *, /, sqrt, fma, comparisons and
// bit operations, so every lane of every ISA computes the same bits.
#pragma once

#include "simd.hpp"

namespace mimkit {
namespace kernels {
namespace {

constexpr std::uint32_t kPhiloxM0 = 0xD2511F53u;
constexpr std::uint32_t kPhiloxM1 = 0xCD9E8D57u;
constexpr std::uint32_t kPhiloxW0 = 0x9E3779B9u;
constexpr std::uint32_t kPhiloxW1 = 0xBB67AE85u;

// The ten round keys of one seed, broadcast once per call rather than once per round.
template <class Arch>
struct PhiloxKeys {
  using U = Vec<std::uint32_t, Arch>;
  U k0[10], k1[10];
  PhiloxKeys(std::uint32_t key0, std::uint32_t key1) {
    for (int round = 0; round < 10; ++round) {
      k0[round] = vbroadcast<Arch, std::uint32_t>(key0);
      k1[round] = vbroadcast<Arch, std::uint32_t>(key1);
      key0 += kPhiloxW0;
      key1 += kPhiloxW1;
    }
  }
};

template <class Arch>
struct Philox4x32 {
  using U = Vec<std::uint32_t, Arch>;
  // In-place Philox4x32-10 of the counters (x0..x3) under the round keys.
  static void rounds(U& x0, U& x1, U& x2, U& x3, const PhiloxKeys<Arch>& keys) {
    for (int round = 0; round < 10; ++round) {
      U hi0, lo0, hi1, lo1;
      MulHiLo<Arch>::apply(x0, kPhiloxM0, hi0, lo0);
      MulHiLo<Arch>::apply(x2, kPhiloxM1, hi1, lo1);
      const U n0 = hi1 ^ x1 ^ keys.k0[round];
      const U n2 = hi0 ^ x3 ^ keys.k1[round];
      x0 = n0;
      x1 = lo1;
      x2 = n2;
      x3 = lo0;
    }
  }
};

// Constants and bit layouts of the two floating-point types.
template <class T>
struct FloatBits;
template <>
struct FloatBits<float> {
  using UInt = std::uint32_t;
  static constexpr UInt kOne = 0x3F800000u;   // 1.0f
  static constexpr UInt kHalf = 0x3F000000u;  // 0.5f
  static constexpr UInt kMantissa = 0x007FFFFFu;
  static constexpr int kMantissaBits = 23;
  static constexpr UInt kIntMagic = 0x4B000000u;  // 2^23: bits | small int = 2^23 + int
  static constexpr float kIntMagicValue = 8388608.0f;
  static constexpr float kRoundMagic = 12582912.0f;  // 1.5 * 2^23
  static constexpr int kExponentBias = 126;          // x = m 2^e with m in [0.5, 1)
};
template <>
struct FloatBits<double> {
  using UInt = std::uint64_t;
  static constexpr UInt kOne = 0x3FF0000000000000ull;
  static constexpr UInt kHalf = 0x3FE0000000000000ull;
  static constexpr UInt kMantissa = 0x000FFFFFFFFFFFFFull;
  static constexpr int kMantissaBits = 52;
  static constexpr UInt kIntMagic = 0x4330000000000000ull;  // 2^52
  static constexpr double kIntMagicValue = 4503599627370496.0;
  static constexpr double kRoundMagic = 6755399441055744.0;  // 1.5 * 2^52
  static constexpr int kExponentBias = 1022;
};

template <class Arch, class T>
struct NormalMath {
  using V = Vec<T, Arch>;
  using B = FloatBits<T>;
  using UInt = typename B::UInt;
  using UV = Vec<UInt, Arch>;

  static V c(T x) { return vbroadcast<Arch, T>(x); }
  static UV ci(UInt x) { return vbroadcast<Arch, UInt>(x); }

  // Random bits -> value in [1, 2) with the top mantissa bits of `bits`; exact.
  static V one_to_two(const UV& bits) {
    return vbitcast<T>((bits >> (8 * static_cast<int>(sizeof(T)) - B::kMantissaBits)) |
                       ci(B::kOne));
  }

  // Natural log of x in (0, 1]: x = m 2^e, m in [sqrt(1/2), sqrt(2)), then a polynomial
  // (float) or rational (double) approximation of log(1 + f) (Cephes' coefficients).
  static V log(const V& x);

  // sin and cos of phi in [-pi/4, pi/4] (Cephes' minimax coefficients).
  static void sincos_reduced(const V& phi, V& s, V& co);

  // Box-Muller: u1 bits -> radius, u2 bits -> angle; returns r cos(theta), r sin(theta).
  static void box_muller(const UV& bits1, const UV& bits2, V& z0, V& z1) {
    const V u1 = c(T(2)) - one_to_two(bits1);   // (0, 1], exact
    const V v = one_to_two(bits2) - c(T(1.5));  // [-0.5, 0.5), exact: theta = 2 pi v
    const V radius = vsqrt(c(T(-2)) * log(u1));
    const V x4 = c(T(4)) * v;                                  // [-2, 2)
    const V n = (x4 + c(B::kRoundMagic)) - c(B::kRoundMagic);  // nearest integer
    const V f = x4 - n;                                        // [-0.5, 0.5], exact
    const V phi = f * c(T(1.5707963267948966));                // theta - n pi / 2
    V s, co;
    sincos_reduced(phi, s, co);
    // Rotate by n quarter turns, n in {-2, -1, 0, 1, 2}.
    const auto odd = (n == c(T(1))) || (n == c(T(-1)));
    const V cos_base = vselect(odd, s, co);
    const V sin_base = vselect(odd, co, s);
    const auto neg_cos = (n == c(T(1))) || (n == c(T(2))) || (n == c(T(-2)));
    const auto neg_sin = (n == c(T(-1))) || (n == c(T(2))) || (n == c(T(-2)));
    const V cos_t = vselect(neg_cos, c(T(0)) - cos_base, cos_base);
    const V sin_t = vselect(neg_sin, c(T(0)) - sin_base, sin_base);
    z0 = radius * cos_t;
    z1 = radius * sin_t;
  }
};

template <class Arch, class T>
inline Vec<T, Arch> NormalMath<Arch, T>::log(const V& x) {
  const UV bits = vbitcast<UInt>(x);
  // Exponent as an exact floating-point integer, without int -> float conversion instructions.
  const V e_raw = vbitcast<T>((bits >> B::kMantissaBits) | ci(B::kIntMagic)) - c(B::kIntMagicValue);
  V e = e_raw - c(T(B::kExponentBias));
  V m = vbitcast<T>((bits & ci(B::kMantissa)) | ci(B::kHalf));  // [0.5, 1)
  const auto small = m < c(T(0.70710678118654752440));
  e = vselect(small, e - c(T(1)), e);
  m = vselect(small, (m + m) - c(T(1)), m - c(T(1)));  // log(1 + m) remains
  const V z = m * m;
  V y;
  if constexpr (sizeof(T) == 4) {
    V p = c(T(7.0376836292E-2));
    p = vfma(p, m, c(T(-1.1514610310E-1)));
    p = vfma(p, m, c(T(1.1676998740E-1)));
    p = vfma(p, m, c(T(-1.2420140846E-1)));
    p = vfma(p, m, c(T(1.4249322787E-1)));
    p = vfma(p, m, c(T(-1.6668057665E-1)));
    p = vfma(p, m, c(T(2.0000714765E-1)));
    p = vfma(p, m, c(T(-2.4999993993E-1)));
    p = vfma(p, m, c(T(3.3333331174E-1)));
    y = (m * z) * p;
  } else {
    V p = c(T(1.01875663804580931796E-4));
    p = vfma(p, m, c(T(4.97494994976747001425E-1)));
    p = vfma(p, m, c(T(4.70579119878881725854E0)));
    p = vfma(p, m, c(T(1.44989225341610930846E1)));
    p = vfma(p, m, c(T(1.79368678507819816313E1)));
    p = vfma(p, m, c(T(7.70838733755885391666E0)));
    V q = m + c(T(1.12873587189167450590E1));
    q = vfma(q, m, c(T(4.52279145837532221105E1)));
    q = vfma(q, m, c(T(8.29875266912776603211E1)));
    q = vfma(q, m, c(T(7.11544750618563894466E1)));
    q = vfma(q, m, c(T(2.31251620126765340583E1)));
    y = m * vdiv(z * p, q);
  }
  // log 2 = 0.693359375 - 2.121944400546905827679e-4: the first part times e is exact.
  y = vfma(e, c(T(-2.121944400546905827679e-4)), y);
  y = vfma(c(T(-0.5)), z, y);
  V r = m + y;
  r = vfma(e, c(T(0.693359375)), r);
  return r;
}

template <class Arch, class T>
inline void NormalMath<Arch, T>::sincos_reduced(const V& x, V& s, V& co) {
  const V z = x * x;
  if constexpr (sizeof(T) == 4) {
    V ps = c(T(-1.9515295891E-4));
    ps = vfma(ps, z, c(T(8.3321608736E-3)));
    ps = vfma(ps, z, c(T(-1.6666654611E-1)));
    s = vfma(ps * z, x, x);
    V pc = c(T(2.443315711809948E-5));
    pc = vfma(pc, z, c(T(-1.388731625493765E-3)));
    pc = vfma(pc, z, c(T(4.166664568298827E-2)));
    co = vfma(pc * z, z, vfma(c(T(-0.5)), z, c(T(1))));
  } else {
    V ps = c(T(1.58962301576546568060E-10));
    ps = vfma(ps, z, c(T(-2.50507477628578072866E-8)));
    ps = vfma(ps, z, c(T(2.75573136213857245213E-6)));
    ps = vfma(ps, z, c(T(-1.98412698295895385996E-4)));
    ps = vfma(ps, z, c(T(8.33333333332211858878E-3)));
    ps = vfma(ps, z, c(T(-1.66666666666666307295E-1)));
    s = vfma(ps * z, x, x);
    V pc = c(T(-1.13585365213876817300E-11));
    pc = vfma(pc, z, c(T(2.08757008419747316778E-9)));
    pc = vfma(pc, z, c(T(-2.75573141792967388112E-7)));
    pc = vfma(pc, z, c(T(2.48015872888517045348E-5)));
    pc = vfma(pc, z, c(T(-1.38888888888730564116E-3)));
    pc = vfma(pc, z, c(T(4.16666666666665929218E-2)));
    co = vfma(pc * z, z, vfma(c(T(-0.5)), z, c(T(1))));
  }
}

// Lane indices 0..15, to build per-lane counters.
alignas(64) constexpr std::uint32_t kIota[16] = {0, 1, 2,  3,  4,  5,  6,  7,
                                                 8, 9, 10, 11, 12, 13, 14, 15};

// One 64-coordinate (float) or 32-coordinate (double) block of normals into out[0..block).
template <class Arch, class T>
struct NormalBlock;

template <class Arch>
struct NormalBlock<Arch, float> {
  static constexpr std::size_t kSize = 64;
  static void fill(float* out, std::uint32_t block, std::uint32_t row_lo, std::uint32_t row_hi,
                   std::uint32_t stream, const PhiloxKeys<Arch>& keys) {
    using UV = Vec<std::uint32_t, Arch>;
    using M = NormalMath<Arch, float>;
    constexpr std::size_t W = lanes<std::uint32_t, Arch>();
    for (std::size_t t0 = 0; t0 < 16; t0 += W) {
      UV x0 = vload<Arch, std::uint32_t>(kIota + t0) + vbroadcast<Arch, std::uint32_t>(16u * block);
      UV x1 = vbroadcast<Arch, std::uint32_t>(row_lo);
      UV x2 = vbroadcast<Arch, std::uint32_t>(row_hi);
      UV x3 = vbroadcast<Arch, std::uint32_t>(stream);
      Philox4x32<Arch>::rounds(x0, x1, x2, x3, keys);
      Vec<float, Arch> z0, z1, z2, z3;
      M::box_muller(x0, x1, z0, z1);
      M::box_muller(x2, x3, z2, z3);
      vstore<Arch, float>(out + t0, z0);
      vstore<Arch, float>(out + 16 + t0, z1);
      vstore<Arch, float>(out + 32 + t0, z2);
      vstore<Arch, float>(out + 48 + t0, z3);
    }
  }
};

template <class Arch>
struct NormalBlock<Arch, double> {
  static constexpr std::size_t kSize = 32;
  static void fill(double* out, std::uint32_t block, std::uint32_t row_lo, std::uint32_t row_hi,
                   std::uint32_t stream, const PhiloxKeys<Arch>& keys) {
    using UV = Vec<std::uint32_t, Arch>;
    using M = NormalMath<Arch, double>;
    constexpr std::size_t W = lanes<std::uint32_t, Arch>();
    for (std::size_t t0 = 0; t0 < 16; t0 += W) {
      UV x0 = vload<Arch, std::uint32_t>(kIota + t0) + vbroadcast<Arch, std::uint32_t>(16u * block);
      UV x1 = vbroadcast<Arch, std::uint32_t>(row_lo);
      UV x2 = vbroadcast<Arch, std::uint32_t>(row_hi);
      UV x3 = vbroadcast<Arch, std::uint32_t>(stream);
      Philox4x32<Arch>::rounds(x0, x1, x2, x3, keys);
      Vec<double, Arch> z0, z1, z2, z3;
      M::box_muller(vbitcast<std::uint64_t>(x0), vbitcast<std::uint64_t>(x1), z0, z1);
      M::box_muller(vbitcast<std::uint64_t>(x2), vbitcast<std::uint64_t>(x3), z2, z3);
      const std::size_t p0 = t0 / 2;
      vstore<Arch, double>(out + p0, z0);
      vstore<Arch, double>(out + 8 + p0, z1);
      vstore<Arch, double>(out + 16 + p0, z2);
      vstore<Arch, double>(out + 24 + p0, z3);
    }
  }
};

// Normals at coordinates j0 .. j0 + n - 1 of (seed, row, stream) into out[0..n).
template <class Arch, class T>
void normals(T* out, std::uint64_t j0, std::size_t n, std::uint64_t seed, std::uint64_t row,
             std::uint32_t stream) {
  using Block = NormalBlock<Arch, T>;
  constexpr std::size_t kBlock = Block::kSize;
  const PhiloxKeys<Arch> keys(static_cast<std::uint32_t>(seed),
                              static_cast<std::uint32_t>(seed >> 32));
  const auto row_lo = static_cast<std::uint32_t>(row);
  const auto row_hi = static_cast<std::uint32_t>(row >> 32);
  std::size_t done = 0;
  while (done < n) {
    const std::uint64_t j = j0 + done;
    const std::uint64_t block = j / kBlock;
    const std::size_t offset = static_cast<std::size_t>(j % kBlock);
    const std::size_t take = (kBlock - offset < n - done) ? kBlock - offset : n - done;
    if (offset == 0 && take == kBlock) {
      Block::fill(out + done, static_cast<std::uint32_t>(block), row_lo, row_hi, stream, keys);
    } else {
      alignas(64) T scratch[kBlock];
      Block::fill(scratch, static_cast<std::uint32_t>(block), row_lo, row_hi, stream, keys);
      for (std::size_t i = 0; i < take; ++i) out[done + i] = scratch[offset + i];
    }
    done += take;
  }
}

// Raw Philox4x32-10 words for `count` consecutive counters (c0 = first + i, c1, c2, c3) under
// (k0, k1): out[4 i + w] is word w of counter i. Used to check the vector Philox against the
// published known-answer vectors on every ISA.
template <class Arch>
void philox_words(std::uint32_t* out, std::size_t count, const std::uint32_t ctr[4],
                  const std::uint32_t key[2]) {
  using UV = Vec<std::uint32_t, Arch>;
  constexpr std::size_t W = lanes<std::uint32_t, Arch>();
  alignas(64) std::uint32_t words[4][16];
  const PhiloxKeys<Arch> keys(key[0], key[1]);
  for (std::size_t i0 = 0; i0 < count; i0 += W) {
    UV x0 = vload<Arch, std::uint32_t>(kIota) +
            vbroadcast<Arch, std::uint32_t>(ctr[0] + static_cast<std::uint32_t>(i0));
    UV x1 = vbroadcast<Arch, std::uint32_t>(ctr[1]);
    UV x2 = vbroadcast<Arch, std::uint32_t>(ctr[2]);
    UV x3 = vbroadcast<Arch, std::uint32_t>(ctr[3]);
    Philox4x32<Arch>::rounds(x0, x1, x2, x3, keys);
    const UV* xs[4] = {&x0, &x1, &x2, &x3};
    for (int w = 0; w < 4; ++w) {
      __builtin_memcpy(words[w], xs[w], sizeof(UV));
    }
    for (std::size_t l = 0; l < W && i0 + l < count; ++l) {
      for (int w = 0; w < 4; ++w) out[4 * (i0 + l) + static_cast<std::size_t>(w)] = words[w][l];
    }
  }
}

}  // namespace
}  // namespace kernels
}  // namespace mimkit
