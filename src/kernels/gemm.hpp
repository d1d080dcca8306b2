// Deterministic matrix products, BLIS-style: a register-blocked micro-kernel (MR rows x NV
// vectors of C held in registers) driven by loops that walk the blocks. Included only by
// isa_*.cpp.
//
// Determinism: every element of C is accumulated over k = 0, 1, ..., K-1 in that order with one
// fused multiply-add per term, starting from 0 (or from C). Vectorisation runs across columns
// of C only, so the bits do not depend on the vector width.
#pragma once

#include "simd.hpp"

namespace mimkit {
namespace kernels {
namespace {

// C[MR x NV*W] (+)= op(A)[MR x K] B[K x NV*W], op(A) = A (A_T false: A[i * lda + k]) or
// A^T (A_T true: A[k * lda + i]).
template <class Arch, class T, int MR, int NV, bool A_T>
inline void gemm_micro(std::size_t K, const T* A, std::size_t lda, const T* B, std::size_t ldb,
                       T* C, std::size_t ldc, bool accumulate) {
  using V = Vec<T, Arch>;
  constexpr std::size_t W = lanes<T, Arch>();
  V acc[MR][NV];
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) {
      acc[i][v] = accumulate ? vload<Arch, T>(C + static_cast<std::size_t>(i) * ldc + v * W)
                             : vbroadcast<Arch, T>(T(0));
    }
  }
  for (std::size_t k = 0; k < K; ++k) {
    V b[NV];
    for (int v = 0; v < NV; ++v) b[v] = vload<Arch, T>(B + k * ldb + v * W);
    for (int i = 0; i < MR; ++i) {
      const std::size_t ia = static_cast<std::size_t>(i);
      const V a = vbroadcast<Arch, T>(A_T ? A[k * lda + ia] : A[ia * lda + k]);
      for (int v = 0; v < NV; ++v) acc[i][v] = vfma(a, b[v], acc[i][v]);
    }
  }
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) {
      vstore<Arch, T>(C + static_cast<std::size_t>(i) * ldc + v * W, acc[i][v]);
    }
  }
}

// Register tile per ISA: MR rows x NV vectors of C stay in registers while K streams. Chosen so
// MR * NV accumulators + NV B vectors + 1 broadcast fit the register file (16 on AVX2, 32 on
// AVX-512 and NEON) with enough independent FMA chains to cover the FMA latency.
template <class Arch>
struct Blocking {
  static constexpr int MR = 4, NV = 2;
};
#if XSIMD_WITH_AVX2
template <>
struct Blocking<xsimd::fma3<xsimd::avx2>> {
  static constexpr int MR = 4, NV = 3;
};
#endif
#if XSIMD_WITH_AVX512BW
template <>
struct Blocking<xsimd::avx512bw> {
  static constexpr int MR = 6, NV = 3;
};
#endif
#if XSIMD_WITH_NEON64
template <>
struct Blocking<xsimd::neon64> {
  static constexpr int MR = 6, NV = 4;
};
#endif

template <class Arch, class T, int NV, bool A_T>
inline void gemm_column_panel(std::size_t M, std::size_t K, const T* A, std::size_t lda, const T* B,
                              std::size_t ldb, T* C, std::size_t ldc, bool accumulate) {
  constexpr int MR = Blocking<Arch>::MR;
  std::size_t i = 0;
  for (; i + MR <= M; i += MR) {
    const T* a = A_T ? A + i : A + i * lda;
    gemm_micro<Arch, T, MR, NV, A_T>(K, a, lda, B, ldb, C + i * ldc, ldc, accumulate);
  }
  for (; i < M; ++i) {
    const T* a = A_T ? A + i : A + i * lda;
    gemm_micro<Arch, T, 1, NV, A_T>(K, a, lda, B, ldb, C + i * ldc, ldc, accumulate);
  }
}

// Column panels of NV vectors, then the remaining vectors one at a time.
template <class Arch, class T, int NV, bool A_T>
inline void gemm_columns(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda,
                         const T* B, std::size_t ldb, T* C, std::size_t ldc, bool accumulate,
                         std::size_t* j) {
  constexpr std::size_t W = lanes<T, Arch>();
  for (; *j + NV * W <= N; *j += NV * W) {
    gemm_column_panel<Arch, T, NV, A_T>(M, K, A, lda, B + *j, ldb, C + *j, ldc, accumulate);
  }
}

template <class Arch, class T, bool A_T>
void gemm(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda, const T* B,
          std::size_t ldb, T* C, std::size_t ldc, bool accumulate) {
  constexpr int NV = Blocking<Arch>::NV;
  std::size_t j = 0;
  gemm_columns<Arch, T, NV, A_T>(M, N, K, A, lda, B, ldb, C, ldc, accumulate, &j);
  if (NV > 2) gemm_columns<Arch, T, 2, A_T>(M, N, K, A, lda, B, ldb, C, ldc, accumulate, &j);
  gemm_columns<Arch, T, 1, A_T>(M, N, K, A, lda, B, ldb, C, ldc, accumulate, &j);
}

// C[M x N] (+)= A[M x K] B[K x N], row-major; N must be a multiple of 16 (every ISA's lane
// count divides it), the caller pads.
template <class Arch, class T>
void gemm_nn(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda, const T* B,
             std::size_t ldb, T* C, std::size_t ldc, bool accumulate) {
  gemm<Arch, T, false>(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
}

// C[M x N] (+)= A^T B with A K x M (leading dimension lda) and B K x N: each C element sums its
// K terms in order. N a multiple of 16.
template <class Arch, class T>
void gemm_tn(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda, const T* B,
             std::size_t ldb, T* C, std::size_t ldc, bool accumulate) {
  gemm<Arch, T, true>(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
}

}  // namespace
}  // namespace kernels
}  // namespace mimkit
