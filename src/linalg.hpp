// Small dense linear algebra in double precision: the symmetric eigenproblem, Cholesky and
// column orthonormalisation. Internal (not installed). Plain sequential C++: the same bits on
// every platform (the build uses -ffp-contract=off), no allocation (callers pass workspace),
// no exceptions. Sizes are small (n <= a few thousand); costs are stated per function.
#pragma once

#include <cstddef>

namespace mimkit {
namespace linalg {

/// Eigen-decomposition of the symmetric n x n matrix A (row-major, leading dimension lda; only
/// read, the upper triangle is assumed equal to the lower one). On return w[0..n) holds the
/// eigenvalues sorted by descending value, and column k of V (n x n, leading dimension ldv)
/// the unit eigenvector of w[k] (V[i * ldv + k]). `work` needs n * n doubles.
/// n <= 16: cyclic Jacobi rotations; larger n: Householder tridiagonalisation and implicit QL
/// (EISPACK tred2/tql2), O(4/3 n^3). Both are backward stable: eigenvalue errors and residuals
/// ||A v - w v|| of a few n eps ||A||. Eigenvector signs are arbitrary (but deterministic).
/// Returns false if it did not converge (never observed for finite input) or A has NaN or Inf.
bool eigh(const double* A, std::size_t n, std::size_t lda, double* w, double* V, std::size_t ldv,
          double* work);

/// The Jacobi path of eigh() for any n (the reference the tests compare the QL path with):
/// sweeps until the off-diagonal mass is below 1e-30 of the total, at most 64; O(n^3) per sweep.
bool eigh_jacobi(const double* A, std::size_t n, std::size_t lda, double* w, double* V,
                 std::size_t ldv, double* work);

/// Called by long factorisations between columns with the share of the work done (0..1);
/// returning false stops the factorisation.
struct Ticker {
  bool (*tick)(void* user, double done) = nullptr;
  void* user = nullptr;
};

enum class Factorization { ok, not_positive_definite, stopped };

/// cholesky() that reports progress through `ticker` (once per column) and can be stopped by it.
Factorization cholesky(double* A, std::size_t n, std::size_t lda, const Ticker& ticker);

/// In-place Cholesky factorisation A = L L^T of the symmetric positive definite n x n matrix A
/// (lower triangle used and overwritten by L; the strict upper triangle is zeroed).
/// Returns false (A partly overwritten) when a pivot is not positive. O(n^3 / 3).
bool cholesky(double* A, std::size_t n, std::size_t lda);

/// Solves L L^T x = b in place (b becomes x) with L from cholesky(). O(n^2).
void cholesky_solve(const double* L, std::size_t n, std::size_t lda, double* b);

/// Orthonormalises the k columns of Q (n x k, leading dimension ldq) in place by modified
/// Gram-Schmidt applied twice. A column whose norm falls below 1e-12 of its original norm is
/// set to zero; returns how many columns are nonzero. O(n k^2).
std::size_t orthonormalize_columns(double* Q, std::size_t n, std::size_t k, std::size_t ldq);

/// Same for the k rows of Q (k x n, leading dimension ldq).
std::size_t orthonormalize_rows(double* Q, std::size_t k, std::size_t n, std::size_t ldq);

}  // namespace linalg
}  // namespace mimkit
