// The kernel table: what each instruction set provides, as plain function pointers.
// Internal header (not installed); no xsimd here, so the rest of the library never sees it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/isa.hpp"

namespace mimkit {
namespace kernels {

/// Column counts the products and activations take (N, cols) are multiples of this: callers pad.
/// Every ISA's lane count divides it (checked at compile time in instantiate.hpp), so a wider
/// ISA that breaks it fails to build instead of reading past a row.
constexpr std::size_t kColumnMultiple = 16;

template <class T>
struct Table {
  Isa isa;

  /// out[0..n) = standard normals at coordinates j0..j0+n-1 of (seed, row, stream); the layout
  /// is in include/mimkit/rng.hpp. Requires j0 + n <= 2^32.
  void (*normals)(T* out, std::uint64_t j0, std::size_t n, std::uint64_t seed, std::uint64_t row,
                  std::uint32_t stream);

  /// C[M x N] = A[M x K] B[K x N] (or C += A B when accumulate), row-major with leading
  /// dimensions; N a multiple of kColumnMultiple. Each C element is summed over k in order with
  /// fma.
  void (*gemm_nn)(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda,
                  const T* B, std::size_t ldb, T* C, std::size_t ldc, bool accumulate);

  /// Bp = B (K x N) in the layout gemm_nn_packed reads, K x N elements: this ISA's column
  /// panels, each K rows contiguous. transposed: B is given as its transpose (element (k, j) at
  /// B[j * ldb + k]); columns j >= n_valid are zero. N a multiple of kColumnMultiple; Bp 64-byte
  /// aligned.
  /// O(K N).
  void (*pack_b)(std::size_t K, std::size_t N, const T* B, std::size_t ldb, bool transposed,
                 std::size_t n_valid, T* Bp);

  /// gemm_nn with B from pack_b, which saves the per-call copy when B is reused (the same bits
  /// as gemm_nn on the unpacked B). Bp must come from this table's pack_b with the same K and N.
  void (*gemm_nn_packed)(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda,
                         const T* Bp, T* C, std::size_t ldc, bool accumulate);

  /// C[M x N] = A^T B (or C += A^T B) with A K x M (leading dimension lda), B K x N; each C
  /// element is summed over k in order with fma. N a multiple of kColumnMultiple.
  void (*gemm_tn)(std::size_t M, std::size_t N, std::size_t K, const T* A, std::size_t lda,
                  const T* B, std::size_t ldb, T* C, std::size_t ldc, bool accumulate);

  /// For i < rows, j < cols (cols a multiple of kColumnMultiple): z = Z[i, j] + b[j], S[i, j] =
  /// sigma(z), Dp[i, j] = sigma'(z), S and Dp with leading dimension lds, either may be null. kind:
  /// 0 logcosh, 1 quadratic, 2 relu (the Activation enum's order).
  void (*activation)(int kind, std::size_t rows, std::size_t cols, const T* Z, std::size_t ldz,
                     const T* b, T* S, T* Dp, std::size_t lds);

  /// iterations x fma_chains x lanes() register-resident FMAs; returns a value that depends on
  /// them all (so they cannot be optimised away). For measuring the FMA peak.
  double (*fma_peak)(std::size_t iterations);
  /// Vector lanes of T on this ISA, and the number of independent chains fma_peak runs.
  std::size_t lanes;
  std::size_t fma_chains;

  /// out[4 i + w] = word w of Philox4x32-10 at counter (ctr0 + i, ctr1, ctr2, ctr3), key.
  void (*philox_words)(std::uint32_t* out, std::size_t count, const std::uint32_t ctr[4],
                       const std::uint32_t key[2]);
};

/// The table of `isa` for T, or nullptr when that ISA is not compiled in.
/// Does not check the CPU: callers select the ISA through isa_select() first.
template <class T>
const Table<T>* table(Isa isa) noexcept;
inline const Table<float>* table_f32(Isa isa) noexcept {
  return table<float>(isa);
}
inline const Table<double>* table_f64(Isa isa) noexcept {
  return table<double>(isa);
}

/// The tables of one compiled ISA: defined in its isa_*.cpp (instantiate.hpp), called only by
/// table() for the ISAs meson.build compiled in.
template <class T, Isa isa>
const Table<T>* table_of() noexcept;

}  // namespace kernels
}  // namespace mimkit
