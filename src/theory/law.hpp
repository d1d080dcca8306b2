// The joint law of (label, z z^T) on a quadrature grid, compressed into cells (internal to the
// theory module).
//
// Every expectation the theory needs has the form E[f(t) z z^T] or E[f(t)] with f smooth away
// from the edges of t's range. The grid's nodes are sorted by t and grouped into cells; a cell
// stores its mass p, mean t, and sum w (t - tbar)^k z z^T for k = 0, 1, 2, so that
// E[f(t) z z^T] = sum over cells of f(tbar) M0 + f'(tbar) M1 + f''(tbar)/2 M2 up to third order in
// the cell width. Nodes with equal t are never split (atoms such as sign's +-1 stay exact), the
// smallest and largest t are cells of their own (so f is finite for every l > sup t), and cells
// shrink geometrically towards both ends of the range (width <= 0.1 x distance to the end), so
// the expansion stays accurate as l approaches sup t.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/link.hpp"
#include "mimkit/status.hpp"

namespace mimkit {
namespace theory {

/// A product grid: the one-dimensional rule (q nodes x, weights w) in each of dims dimensions;
/// the first r are z, the last (when dims = r + 1) the label noise xi.
struct Grid {
  std::size_t r = 0, dims = 0, q = 0;
  const double* x = nullptr;
  const double* w = nullptr;
  std::uint64_t count = 0;  ///< q^dims
  /// Coordinates of node idx into z[0..dims); returns its weight.
  double node(std::uint64_t idx, double* z) const noexcept;
};

/// q^dims: the nodes of a product rule.
std::size_t grid_points(std::size_t q, std::size_t dims) noexcept;
/// The largest even q <= kMaxRuleNodes with q^dims <= budget (at least 4).
std::size_t grid_nodes_within(std::size_t budget, std::size_t dims) noexcept;
/// The product grid of the rule (q nodes x, weights w) in dims dimensions, the first r of them z.
Grid product_grid(std::size_t r, std::size_t dims, std::size_t q, const double* x,
                  const double* w) noexcept;

/// y = g(z) + noise * xi at a node's coordinates z (xi = z[r] when grid.dims = r + 1).
/// Code::numerical_error naming "link" when y is NaN or Inf.
Status label_at(const Link& link, const Grid& grid, double noise, const double* z,
                double* y) noexcept;

/// A node and its current key (the label y, then T(y)). 16 bytes.
struct NodeKey {
  double key;
  std::uint32_t idx;
};

/// y = g(z) + noise * xi at every node of nonzero weight into keys[0..*n). Code::numerical_error
/// naming "link" when g is NaN or Inf at a node.
Status evaluate_labels(const Link& link, const Grid& grid, double noise, NodeKey* keys,
                       std::size_t* n) noexcept;

/// Sorts by (key, idx): a total order, so the result and every sum over it are deterministic.
void sort_keys(NodeKey* keys, std::size_t n) noexcept;

/// The projection of G(y) = E[z z^T | y] - I onto cubic B-splines in y: G-hat(y) = sum_i
/// phi_i(y) C_i with C = A^{-1} B, A_ij = E[phi_i phi_j], B_i = E[phi_i(y) (z z^T - I)]. The knots
/// sit at quantiles of y (repeated values merged), so they follow the label's density; the
/// basis contains every cubic in y, so links with E[z z^T | y] polynomial in y (norm2) are
/// represented exactly. The projection is the L2-best approximation from the spline space:
/// E[(v . G-hat v)^2] approaches E[(v . G v)^2] from below as the knots refine, while every
/// integral it needs is of a smooth function of y (unlike bins, whose hard edges pick up the
/// grid's quadrature noise).
struct YSplines {
  std::size_t n = 0, r = 0;  ///< basis functions (distinct knots + 2), hidden directions
  double* U = nullptr;       ///< knot vector, clamped: n + 4 entries
  double* A = nullptr;       ///< n x n
  double* B = nullptr;       ///< n x r^2
  double* C = nullptr;       ///< n x r^2, coefficients of G-hat
  double* D = nullptr;       ///< n x r^2, with E[G-hat X G-hat] = sum_k D_k X D_k
};
/// Buffer sizes for at most `intervals` knot intervals.
std::size_t ysplines_basis(std::size_t intervals) noexcept;
/// Keys sorted by y. Buffers: U n + 4, A n^2, B, C, D n r^2 with n = ysplines_basis(intervals);
/// `work` n^2 + n doubles. False if the Gram matrix is not positive definite after a relative
/// ridge of 1e-12 (labels with a single value).
bool build_ysplines(const Grid& grid, const NodeKey* keys, std::size_t n, std::size_t intervals,
                    YSplines* out, double* work) noexcept;
/// v^T G-hat(y) v.
double ysplines_quad(const YSplines& s, double y, const double* v) noexcept;

/// The law of (t, z z^T) in cells (see above).
struct TCells {
  std::size_t count = 0, r = 0;
  double tmin = 0, tmax = 0;  ///< the smallest and largest t (each its own cell)
  double* p = nullptr;        ///< mass
  double* t = nullptr;        ///< p-weighted mean t
  double* p2 = nullptr;       ///< sum w (t - tbar)^2
  double* M0 = nullptr;       ///< sum w z z^T, r x r per cell
  double* M1 = nullptr;       ///< sum w (t - tbar) z z^T
  double* M2 = nullptr;       ///< sum w (t - tbar)^2 z z^T
};
/// Cells build_tcells() may produce for `target` (the mass and width rules give <= target each,
/// the geometric refinement towards the ends a bounded number more).
std::size_t tcells_capacity(std::size_t target) noexcept;
/// Keys sorted by t; buffers sized for tcells_capacity(target) cells.
void build_tcells(const Grid& grid, const NodeKey* keys, std::size_t n, std::size_t target,
                  TCells* out) noexcept;

/// True when every variable (z1..zr, norm2) of the spec occurs inside sign(...): the link then
/// takes finitely many values and is bounded.
bool spec_is_bounded(const char* spec) noexcept;

}  // namespace theory
}  // namespace mimkit
