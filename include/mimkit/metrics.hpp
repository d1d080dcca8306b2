// Recovery metrics of docs/ALGORITHM.md section 6: how much of span U a weight matrix or a spectral
// estimate has found.
#pragma once

#include <cstddef>

#include "mimkit/link.hpp"
#include "mimkit/status.hpp"

namespace mimkit {

/// Comparison of span U (r orthonormal rows) with an estimated r-dimensional subspace V.
struct SubspaceMetrics {
  std::size_t r = 0;
  double cosines[Link::kMaxR] = {};        ///< principal cosines, descending, in [0, 1]
  double min_cosine = 0;                   ///< cosines[r - 1]; ~1 full recovery, ~0 collapse
  double subspace_distance = 1;            ///< ||P_U - P_V||_op = sin(theta_max)
  double per_direction[Link::kMaxR] = {};  ///< ||P_V u_k|| for each row u_k of U
};

/// How W holds span U, beyond the top-r subspace: which of two mechanisms ends a recovery
/// peak can be read off it (a direction whose mass goes to zero, or one still in W but outranked
/// by noise directions).
struct WeightMechanism {
  /// Singular values reported: the top r + kExtraSingular (or all min(m, d) when fewer).
  static constexpr std::size_t kExtraSingular = 4;
  std::size_t r = 0;
  std::size_t singular_count = 0;
  double mass[Link::kMaxR] = {};  ///< ||W u_k||^2 / ||W||_F^2, in [0, 1]; 0 for W = 0
  /// Top singular values of W, descending (absolute, in W's units).
  double singular_values[Link::kMaxR + kExtraSingular] = {};
  /// 1-based index p of the right singular vector v_p of W (among all of them above a noise
  /// floor of 1e-6 sigma_1) most aligned with u_k: u_k "appears" as W's p-th direction. 0 when
  /// W = 0.
  std::size_t rank[Link::kMaxR] = {};
  double overlap[Link::kMaxR] = {};  ///< |u_k . v_rank|, in [0, 1]
};

/// Doubles of workspace the metric functions below need for these sizes.
std::size_t metrics_workspace(std::size_t m, std::size_t d, std::size_t r) noexcept;

/// alignment = ||W U^T||_F^2 / ||W||_F^2: the share of W's mass inside span U, in [0, 1].
/// W is m x d (leading dimension ldw), U is r x d with orthonormal rows. O(m d r).
/// Returns 0 for W = 0.
template <class T>
double alignment(const T* W, std::size_t m, std::size_t d, std::size_t ldw, const T* U,
                 std::size_t r) noexcept;

/// Compares span U with span V, both r x d with orthonormal rows (double; a zero row of V is a
/// missing direction). O(r^2 d + r^3). r outside 1..Link::kMaxR gives SubspaceMetrics() (r = 0);
/// non-finite input gives NaN cosines and distance.
/// Its r x r scratch is on the stack: about 98 KiB (sized for r = kMaxR). Where stack is scarce
/// (a microcontroller), pass workspace instead.
SubspaceMetrics compare_subspaces(const double* U, const double* V, std::size_t r,
                                  std::size_t d) noexcept;

/// compare_subspaces with caller workspace of compare_workspace(r) doubles: no stack arrays.
SubspaceMetrics compare_subspaces(const double* U, const double* V, std::size_t r, std::size_t d,
                                  double* work) noexcept;

/// Doubles of workspace the compare_subspaces overload with workspace needs: 3 r^2 + r.
std::size_t compare_workspace(std::size_t r) noexcept;

/// Compares span U (r x d, T) with the top-r right singular subspace of W (m x d, ldw).
/// `work` holds metrics_workspace(m, d, r) doubles. With n = min(m, d) (the Gram matrix is
/// formed on W's smaller side): O(m d n + n^3).
/// Code::numerical_error if W has NaN/Inf; Code::invalid_argument unless 1 <= r <= min(d, kMaxR).
/// Directions with singular value below 1e-6 of the largest (W of rank < r) count as missing:
/// cosine 0.
/// With `mechanism` not null, also fills it from the same decomposition: O(m d r + n^2 r) more.
template <class T>
Status weight_metrics(const T* W, std::size_t m, std::size_t d, std::size_t ldw, const T* U,
                      std::size_t r, double* work, SubspaceMetrics* out,
                      WeightMechanism* mechanism = nullptr) noexcept;

}  // namespace mimkit
