// Activations and their derivatives, element by element, for the network's hidden layer.
// Included only by isa_*.cpp (see simd.hpp). The maths is ours (expm1, log1p from +, -, *, /,
// fma and bit operations; log from normal.hpp), the same formula in every lane and on every ISA.
#pragma once

#include "normal.hpp"

namespace mimkit {
namespace kernels {
namespace {

/// Activation codes shared with the library (config.hpp's Activation enum order).
enum ActivationCode : int { kLogcosh = 0, kQuadratic = 1, kRelu = 2 };

template <class Arch, class T>
struct ElementMath {
  using V = Vec<T, Arch>;
  using N = NormalMath<Arch, T>;
  using B = FloatBits<T>;
  using UInt = typename B::UInt;

  static V c(T x) { return vbroadcast<Arch, T>(x); }

  // exp(x) - 1 for x in [-40, 40] (callers clamp): x = n ln2 + r, |r| <= ln2 / 2, a Taylor
  // polynomial for expm1(r) (relative error below half an ulp of T), then
  // expm1(x) = 2^n expm1(r) + (2^n - 1).
  static V expm1(const V& x) {
    const V n = (x * c(T(1.4426950408889634)) + c(B::kRoundMagic)) - c(B::kRoundMagic);
    V r = vfma(n, c(T(-0.693145751953125)), x);     // ln2, high part: n * hi is exact
    r = vfma(n, c(T(-1.4286068203094172e-06)), r);  // ln2, low part
    V p;
    if constexpr (sizeof(T) == 4) {
      p = c(T(1.0 / 5040));
      p = vfma(p, r, c(T(1.0 / 720)));
      p = vfma(p, r, c(T(1.0 / 120)));
      p = vfma(p, r, c(T(1.0 / 24)));
      p = vfma(p, r, c(T(1.0 / 6)));
      p = vfma(p, r, c(T(0.5)));
    } else {
      p = c(T(1.0 / 6227020800.0));
      p = vfma(p, r, c(T(1.0 / 479001600.0)));
      p = vfma(p, r, c(T(1.0 / 39916800.0)));
      p = vfma(p, r, c(T(1.0 / 3628800.0)));
      p = vfma(p, r, c(T(1.0 / 362880.0)));
      p = vfma(p, r, c(T(1.0 / 40320.0)));
      p = vfma(p, r, c(T(1.0 / 5040.0)));
      p = vfma(p, r, c(T(1.0 / 720.0)));
      p = vfma(p, r, c(T(1.0 / 120.0)));
      p = vfma(p, r, c(T(1.0 / 24.0)));
      p = vfma(p, r, c(T(1.0 / 6.0)));
      p = vfma(p, r, c(T(0.5)));
    }
    const V em = vfma(r * r, p, r);  // expm1(r)
    // 2^n from the bits: n + 1.5 * 2^mbits holds n in its low mantissa bits.
    const Vec<UInt, Arch> nbits = vbitcast<UInt>(n + c(B::kRoundMagic)) -
                                  vbitcast<UInt>(c(B::kRoundMagic)) +
                                  vbroadcast<Arch, UInt>(static_cast<UInt>(B::kExponentBias + 1));
    const V two_n = vbitcast<T>(nbits << B::kMantissaBits);
    return vfma(two_n, em, two_n - c(T(1)));
  }

  // log(1 + x) for x >= 0: log(u) * x / (u - 1) with u = 1 + x corrects the rounding of u.
  static V log1p(const V& x) {
    const V u = x + c(T(1));
    const V um1 = u - c(T(1));
    const auto exact = um1 == c(T(0));
    const V safe_um1 = vselect(exact, c(T(1)), um1);
    return vselect(exact, x, vdiv(N::log(u) * x, safe_um1));
  }

  static V abs(const V& x) { return vselect(x < c(T(0)), c(T(0)) - x, x); }

  // tanh and log cosh together (they share expm1(-2|z|)).
  static void logcosh(const V& z, V* value, V* slope) {
    const V a = abs(z);
    const V e2 = expm1(c(T(-2)) * vselect(a < c(T(20)), a, c(T(20))));  // in (-1, 0]
    if (slope != nullptr) {
      const V t = vdiv(c(T(0)) - e2, c(T(2)) + e2);
      *slope = vselect(z < c(T(0)), c(T(0)) - t, t);
    }
    if (value != nullptr) {
      // Small |z|: log cosh z = log1p(cosh z - 1), cosh z - 1 = expm1(a)^2 / (2 (1 + expm1(a))),
      // accurate down to z^2 / 2 without cancellation. Large |z|: a - log 2 + log1p(e^{-2a}).
      // One log1p serves both branches: its argument is chosen per lane first.
      const auto near = a < c(T(10));
      const V small = vselect(near, a, c(T(10)));
      const V t = expm1(small);
      const V cosh_m1 = vdiv(t * t, c(T(2)) * (c(T(1)) + t));
      const V l = log1p(vselect(near, cosh_m1, e2 + c(T(1))));
      *value = vselect(near, l, (a - c(T(0.69314718055994531))) + l);
    }
  }
};

// For each row i < rows and column j < cols (cols a multiple of kColumnMultiple): z = Z[i, j] +
// b[j]; S[i, j] = sigma(z) and Dp[i, j] = sigma'(z) (either output may be null).
template <class Arch, class T>
void activation(int kind, std::size_t rows, std::size_t cols, const T* Z, std::size_t ldz,
                const T* b, T* S, T* Dp, std::size_t lds) {
  using V = Vec<T, Arch>;
  using E = ElementMath<Arch, T>;
  constexpr std::size_t W = lanes<T, Arch>();
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; j += W) {
      const V z = vload<Arch, T>(Z + i * ldz + j) + vload<Arch, T>(b + j);
      V value = z, slope = z;
      if (kind == kLogcosh) {
        E::logcosh(z, S != nullptr ? &value : nullptr, Dp != nullptr ? &slope : nullptr);
      } else if (kind == kQuadratic) {
        value = E::c(T(0.5)) * (z * z);
        slope = z;
      } else {
        const auto positive = E::c(T(0)) < z;
        value = vselect(positive, z, E::c(T(0)));
        slope = vselect(positive, E::c(T(1)), E::c(T(0)));
      }
      if (S != nullptr) vstore<Arch, T>(S + i * lds + j, value);
      if (Dp != nullptr) vstore<Arch, T>(Dp + i * lds + j, slope);
    }
  }
}

}  // namespace
}  // namespace kernels
}  // namespace mimkit
