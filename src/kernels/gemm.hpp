// Deterministic matrix products, BLIS-style: a register-blocked micro-kernel (MR rows x NV
// vectors of C held in registers) separate from the loops that drive it, which copy each
// K-block of a B column panel into a contiguous, aligned buffer on the stack (BLIS's packing)
// so the micro-kernel streams it from L1 with unit stride; a B reused across calls (W^T in the
// phase-1 step) can be packed once instead (pack_b_panels, gemm_nn_packed). Included only by
// isa_*.cpp, after the arch header that defines the vocabulary (simd.hpp).
//
// Determinism: every element of C is accumulated over k = 0, 1, ..., K-1 in that order with one
// fused multiply-add per term, starting from 0 (or from C); blocking over k stores C between
// blocks and reloads it, which changes no bits. Vectorisation runs across columns of C only,
// so the bits depend neither on the vector width nor on the blocking.
#pragma once

#include <cstdint>
#include <type_traits>

#include "simd.hpp"

namespace mimkit {
namespace kernels {
namespace {

// The register tile and panel size come from Blocking<Arch> (simd.hpp, set in arch/<isa>.hpp).

// C[MR x NV*W] (+)= op(A)[MR x K] Bp[K x NV*W], Bp packed (row k at Bp + k * NV * W, aligned),
// op(A) = A (A_T false: A[i * lda + k]) or A^T (A_T true: A[k * lda + i]). Not inlined: on its
// own, the loop keeps its pointers in registers instead of sharing them with the drivers.
template <class Arch, class T, int MR, int NV, bool A_T>
__attribute__((noinline)) void gemm_micro(std::size_t K, const T* A, std::size_t lda, const T* Bp,
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
  // k in steps of one cache line of A: rows of A (not transposed) are MR separate streams, often
  // first touched here (a new tile of X), so each is fetched 256 bytes ahead once per line.
  constexpr std::size_t kLine = 64 / sizeof(T);
  for (std::size_t k0 = 0; k0 < K; k0 += kLine) {
    if (!A_T) {
      for (int i = 0; i < MR; ++i) {
        // The address may lie past the end of A (prefetches never fault): formed as an integer.
        const auto row =
            reinterpret_cast<std::uintptr_t>(A + static_cast<std::size_t>(i) * lda + k0);
        __builtin_prefetch(reinterpret_cast<const void*>(row + 256), 0, 3);
      }
    }
    const std::size_t k1 = K - k0 < kLine ? K : k0 + kLine;
    for (std::size_t k = k0; k < k1; ++k) {
      V b[NV];
      for (int v = 0; v < NV; ++v) b[v] = vload_aligned<Arch, T>(Bp + (k * NV + v) * W);
      for (int i = 0; i < MR; ++i) {
        const std::size_t ia = static_cast<std::size_t>(i);
        const V a = vbroadcast<Arch, T>(A_T ? A[k * lda + ia] : A[ia * lda + k]);
        for (int v = 0; v < NV; ++v) acc[i][v] = vfma(a, b[v], acc[i][v]);
      }
    }
  }
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) {
      vstore<Arch, T>(C + static_cast<std::size_t>(i) * ldc + v * W, acc[i][v]);
    }
  }
}

// The last rows < MR of a panel: one micro-kernel of exactly that height.
template <class Arch, class T, int R, int NV, bool A_T>
inline void gemm_tail(std::size_t rows, std::size_t K, const T* A, std::size_t lda, const T* Bp,
                      T* C, std::size_t ldc, bool accumulate) {
  if constexpr (R > 0) {
    if (rows == static_cast<std::size_t>(R)) {
      gemm_micro<Arch, T, R, NV, A_T>(K, A, lda, Bp, C, ldc, accumulate);
    } else {
      gemm_tail<Arch, T, R - 1, NV, A_T>(rows, K, A, lda, Bp, C, ldc, accumulate);
    }
  }
}

// Bp[k][0 .. NV*W) = B[k][0 .. NV*W) for k < K.
template <class Arch, class T, int NV>
inline void pack_b(std::size_t K, const T* B, std::size_t ldb, T* Bp) {
  constexpr std::size_t W = lanes<T, Arch>();
  for (std::size_t k = 0; k < K; ++k) {
    for (int v = 0; v < NV; ++v) {
      vstore_aligned<Arch, T>(Bp + (k * NV + v) * W, vload<Arch, T>(B + k * ldb + v * W));
    }
  }
}

// One column panel of NV vectors: for each k-block, pack B into Bp (or, when `packed`, read the
// block in place: B is then the whole panel, K rows of NV * W contiguous), then sweep all rows
// of C. K = 0 still runs one empty block, which stores 0 (or leaves C).
template <class Arch, class T, int NV, bool A_T>
inline void gemm_column_panel(std::size_t M, std::size_t K, const T* A, std::size_t lda, const T* B,
                              std::size_t ldb, bool packed, T* C, std::size_t ldc, bool accumulate,
                              T* Bp) {
  constexpr int MR = Blocking<Arch>::mr(NV);
  constexpr std::size_t W = lanes<T, Arch>();
  constexpr std::size_t KC = Blocking<Arch>::kPanelBytes / (NV * W * sizeof(T));
  std::size_t k0 = 0;
  do {
    const std::size_t kc = K - k0 < KC ? K - k0 : KC;
    const bool acc = accumulate || k0 > 0;
    const T* panel = Bp;
    if (packed) {
      panel = B + k0 * NV * W;
    } else {
      pack_b<Arch, T, NV>(kc, B + k0 * ldb, ldb, Bp);
    }
    const T* Ak = A_T ? A + k0 * lda : A + k0;
    std::size_t i = 0;
    for (; i + MR <= M; i += MR) {
      const T* a = A_T ? Ak + i : Ak + i * lda;
      gemm_micro<Arch, T, MR, NV, A_T>(kc, a, lda, panel, C + i * ldc, ldc, acc);
    }
    if (i < M) {
      const T* a = A_T ? Ak + i : Ak + i * lda;
      gemm_tail<Arch, T, MR - 1, NV, A_T>(M - i, kc, a, lda, panel, C + i * ldc, ldc, acc);
    }
    k0 += KC;
  } while (k0 < K);
}

// Calls f(std::integral_constant<int, NV>(), j) for each column panel of this ISA, in order: NV0
// vectors wide while a whole panel fits, then 2, then 1. The products and pack_b_panels walk
// the same sequence, which is what makes a packed B readable by the products.
template <class Arch, class T, int NV, class F>
inline void panels_of_width(std::size_t N, std::size_t* j, F& f) {
  constexpr std::size_t width = NV * lanes<T, Arch>();
  for (; *j + width <= N; *j += width) f(std::integral_constant<int, NV>(), *j);
}
template <class Arch, class T, class F>
inline void for_each_panel(std::size_t N, F&& f) {
  constexpr int NV0 = Blocking<Arch>::NV0;
  static_assert(NV0 <= 4, "panel widths run NV0, 2, 1");
  std::size_t j = 0;
  panels_of_width<Arch, T, NV0>(N, &j, f);
  if constexpr (NV0 > 2) panels_of_width<Arch, T, 2>(N, &j, f);
  if constexpr (NV0 > 1) panels_of_width<Arch, T, 1>(N, &j, f);
}

// A packed B holds the panel starting at column j at B + K * j.
template <class Arch, class T, bool A_T>
void gemm(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda, const T* B,
          std::size_t ldb, bool packed, T* C, std::size_t ldc, bool accumulate) {
  // The packed panel, on the stack so the product allocates nothing and stays reentrant.
  alignas(64) T Bp[Blocking<Arch>::kPanelBytes / sizeof(T)];
  for_each_panel<Arch, T>(N, [&](auto nv, std::size_t j) {
    const T* b = packed ? B + K * j : B + j;
    gemm_column_panel<Arch, T, decltype(nv)::value, A_T>(M, K, A, lda, b, ldb, packed, C + j, ldc,
                                                         accumulate, Bp);
  });
}

// B (K x N, or its transpose) into the layout gemm_nn_packed reads: the column panels of this
// ISA, each K rows contiguous (the panel at column j at Bp + K * j); element (k, c) is
// B[k * ldb + c] (B[c * ldb + k] when transposed), or 0 for c >= n_valid. N a multiple of
// kColumnMultiple.
template <class Arch, class T>
void pack_b_panels(std::size_t K, std::size_t N, const T* B, std::size_t ldb, bool transposed,
                   std::size_t n_valid, T* Bp) {
  for_each_panel<Arch, T>(N, [&](auto nv, std::size_t j) {
    constexpr std::size_t width = decltype(nv)::value * lanes<T, Arch>();
    T* panel = Bp + K * j;
    for (std::size_t k = 0; k < K; ++k) {
      for (std::size_t c = 0; c < width; ++c) {
        const std::size_t col = j + c;
        panel[k * width + c] = col >= n_valid ? T(0)
                               : transposed   ? B[col * ldb + k]
                                              : B[k * ldb + col];
      }
    }
  });
}

// C[M x N] (+)= A[M x K] B[K x N], row-major; N must be a multiple of kColumnMultiple (every
// ISA's lane count divides it), the caller pads.
template <class Arch, class T>
void gemm_nn(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda, const T* B,
             std::size_t ldb, T* C, std::size_t ldc, bool accumulate) {
  gemm<Arch, T, false>(M, N, K, A, lda, B, ldb, false, C, ldc, accumulate);
}

// gemm_nn with B already in pack_b_panels' layout (the same bits).
template <class Arch, class T>
void gemm_nn_packed(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda,
                    const T* Bp, T* C, std::size_t ldc, bool accumulate) {
  gemm<Arch, T, false>(M, N, K, A, lda, Bp, 0, true, C, ldc, accumulate);
}

// C[M x N] (+)= A^T B with A K x M (leading dimension lda) and B K x N: each C element sums its
// K terms in order. N a multiple of kColumnMultiple.
template <class Arch, class T>
void gemm_tn(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda, const T* B,
             std::size_t ldb, T* C, std::size_t ldc, bool accumulate) {
  gemm<Arch, T, true>(M, N, K, A, lda, B, ldb, false, C, ldc, accumulate);
}

}  // namespace
}  // namespace kernels
}  // namespace mimkit
