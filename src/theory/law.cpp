#include "theory/law.hpp"

#include "linalg.hpp"
#include "theory/quadrature.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

namespace mimkit {
namespace theory {

namespace {

// Cells shrink towards the ends of t's range: width <= kRefine x distance to the end, down to
// kMinWidth x the range (below that the third-order error is negligible anyway).
constexpr double kRefine = 0.1;
constexpr double kMinWidth = 1e-6;

// Mass of nodes [i, j) of keys.
double mass(const Grid& g, const NodeKey* keys, std::size_t i, std::size_t j, double* z) {
  double m = 0;
  for (std::size_t k = i; k < j; ++k) m += g.node(keys[k].idx, z);
  return m;
}

// Sums over nodes [i, j) into cell c: mean t, then the moments about it.
void close_tcell(const Grid& g, const NodeKey* keys, std::size_t i, std::size_t j, TCells* out) {
  const std::size_t r = g.r, c = out->count++;
  double z[Link::kMaxR + 1];
  double p = 0, pt = 0;
  for (std::size_t k = i; k < j; ++k) {
    const double w = g.node(keys[k].idx, z);
    p += w;
    pt += w * keys[k].key;
  }
  const double tbar = i + 1 == j || p == 0 ? keys[i].key : pt / p;
  double* M0 = out->M0 + c * r * r;
  double* M1 = out->M1 + c * r * r;
  double* M2 = out->M2 + c * r * r;
  for (std::size_t e = 0; e < r * r; ++e) M0[e] = M1[e] = M2[e] = 0;
  double p2 = 0;
  for (std::size_t k = i; k < j; ++k) {
    const double w = g.node(keys[k].idx, z);
    const double dt = keys[k].key - tbar;
    p2 += w * dt * dt;
    for (std::size_t a = 0; a < r; ++a) {
      for (std::size_t b = a; b < r; ++b) {
        const double zz = w * z[a] * z[b];
        M0[a * r + b] += zz;
        M1[a * r + b] += dt * zz;
        M2[a * r + b] += dt * dt * zz;
      }
    }
  }
  for (std::size_t a = 0; a < r; ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      M0[a * r + b] = M0[b * r + a];
      M1[a * r + b] = M1[b * r + a];
      M2[a * r + b] = M2[b * r + a];
    }
  }
  out->p[c] = p;
  out->t[c] = tbar;
  out->p2[c] = p2;
}

}  // namespace

double Grid::node(std::uint64_t idx, double* z) const noexcept {
  double weight = 1;
  for (std::size_t d = 0; d < dims; ++d) {
    const std::size_t digit = static_cast<std::size_t>(idx % q);
    idx /= q;
    z[d] = x[digit];
    weight *= w[digit];
  }
  return weight;
}

std::size_t grid_points(std::size_t q, std::size_t dims) noexcept {
  std::size_t n = 1;
  for (std::size_t i = 0; i < dims; ++i) n *= q;
  return n;
}

std::size_t grid_nodes_within(std::size_t budget, std::size_t dims) noexcept {
  std::size_t q = 4;
  while (q + 2 <= kMaxRuleNodes && grid_points(q + 2, dims) <= budget) q += 2;
  return q;
}

Grid product_grid(std::size_t r, std::size_t dims, std::size_t q, const double* x,
                  const double* w) noexcept {
  Grid g;
  g.r = r;
  g.dims = dims;
  g.q = q;
  g.x = x;
  g.w = w;
  g.count = grid_points(q, dims);
  return g;
}

Status label_at(const Link& link, const Grid& grid, double noise, const double* z,
                double* y) noexcept {
  double v = link(z);
  if (grid.dims > grid.r) v += noise * z[grid.r];
  if (!std::isfinite(v)) {
    return Status::error(Code::numerical_error, "link",
                         "'%s' is not finite at the quadrature node z = (%g, %g, ...)", link.spec(),
                         z[0], grid.r > 1 ? z[1] : 0.0);
  }
  *y = v;
  return Status();
}

Status evaluate_labels(const Link& link, const Grid& grid, double noise, NodeKey* keys,
                       std::size_t* n) noexcept {
  std::size_t digit[Link::kMaxR + 1] = {};
  double z[Link::kMaxR + 1];
  for (std::size_t d = 0; d < grid.dims; ++d) z[d] = grid.x[0];
  std::size_t count = 0;
  for (std::uint64_t idx = 0; idx < grid.count; ++idx) {
    if (idx > 0) {  // odometer: the first digit runs fastest, as in Grid::node
      for (std::size_t d = 0; d < grid.dims; ++d) {
        if (++digit[d] < grid.q) {
          z[d] = grid.x[digit[d]];
          break;
        }
        digit[d] = 0;
        z[d] = grid.x[0];
      }
    }
    double weight = 1;
    for (std::size_t d = 0; d < grid.dims; ++d) weight *= grid.w[digit[d]];
    if (!(weight > 0)) continue;
    double y = 0;
    MIMKIT_TRY(label_at(link, grid, noise, z, &y));
    keys[count].key = y;
    keys[count].idx = static_cast<std::uint32_t>(idx);
    ++count;
  }
  *n = count;
  return Status();
}

void sort_keys(NodeKey* keys, std::size_t n) noexcept {
  std::sort(keys, keys + n, [](const NodeKey& a, const NodeKey& b) {
    return a.key < b.key || (a.key == b.key && a.idx < b.idx);
  });
}

namespace {

// The p + 1 = 4 cubic B-splines nonzero on knot span `span` (U[span] <= y < U[span + 1]) at y
// (Piegl and Tiller, The NURBS Book, algorithm A2.2): N[k] is basis function span - 3 + k.
void basis_funs(const double* U, std::size_t span, double y, double* N) {
  double left[4], right[4];
  N[0] = 1;
  for (std::size_t j = 1; j <= 3; ++j) {
    left[j] = y - U[span + 1 - j];
    right[j] = U[span + j] - y;
    double saved = 0;
    for (std::size_t k = 0; k < j; ++k) {
      const double den = right[k + 1] + left[j - k];
      const double temp = den > 0 ? N[k] / den : 0.0;
      N[k] = saved + right[k + 1] * temp;
      saved = left[j - k] * temp;
    }
    N[j] = saved;
  }
}

// The knot span of y: the last span with U[span] <= y, within [3, n - 1].
std::size_t find_span(const YSplines& s, double y) {
  std::size_t lo = 3, hi = s.n;  // U[3] = first knot, U[n] = last knot
  if (y >= s.U[s.n]) return s.n - 1;
  while (hi - lo > 1) {
    const std::size_t mid = (lo + hi) / 2;
    (s.U[mid] <= y ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace

std::size_t ysplines_basis(std::size_t intervals) noexcept {
  return intervals + 3;
}

bool build_ysplines(const Grid& grid, const NodeKey* keys, std::size_t n, std::size_t intervals,
                    YSplines* out, double* work) noexcept {
  const std::size_t r = grid.r, rr = r * r;
  double z[Link::kMaxR + 1];
  out->r = r;
  // Knots at the mass quantiles 0, 1/K, ..., 1 of y, repeated values merged.
  const double total = mass(grid, keys, 0, n, z);
  double* knots = work;  // at most intervals + 1
  std::size_t m = 0;
  double cumulative = 0;
  std::size_t next = 1;
  knots[m++] = keys[0].key;
  for (std::size_t i = 0; i < n; ++i) {
    cumulative += grid.node(keys[i].idx, z);
    while (next < intervals &&
           cumulative >= total * static_cast<double>(next) / static_cast<double>(intervals)) {
      if (keys[i].key > knots[m - 1]) knots[m++] = keys[i].key;
      ++next;
    }
  }
  if (keys[n - 1].key > knots[m - 1]) knots[m++] = keys[n - 1].key;
  if (m < 2) knots[m++] = knots[0] + 1;  // a single label value: one interval around it
  const std::size_t nb = m + 2;
  out->n = nb;
  for (std::size_t k = 0; k < 3; ++k) {
    out->U[k] = knots[0];
    out->U[nb + 1 + k] = knots[m - 1];
  }
  for (std::size_t k = 0; k < m; ++k) out->U[3 + k] = knots[k];
  double* A = out->A;
  double* B = out->B;
  for (std::size_t e = 0; e < nb * nb; ++e) A[e] = 0;
  for (std::size_t e = 0; e < nb * rr; ++e) B[e] = 0;
  std::size_t span = 3;
  for (std::size_t i = 0; i < n; ++i) {
    const double w = grid.node(keys[i].idx, z);
    const double y = keys[i].key;
    while (span + 1 < nb && out->U[span + 1] <= y) ++span;  // keys ascend
    double N[4];
    basis_funs(out->U, span, y, N);
    for (std::size_t a = 0; a < 4; ++a) {
      const std::size_t ia = span - 3 + a;
      const double wa = w * N[a];
      for (std::size_t b = 0; b < 4; ++b) A[ia * nb + span - 3 + b] += wa * N[b];
      for (std::size_t p = 0; p < r; ++p) {
        for (std::size_t q = p; q < r; ++q) B[ia * rr + p * r + q] += wa * (z[p] * z[q] - (p == q));
      }
    }
  }
  for (std::size_t ia = 0; ia < nb; ++ia) {
    for (std::size_t p = 0; p < r; ++p) {
      for (std::size_t q = 0; q < p; ++q) B[ia * rr + p * r + q] = B[ia * rr + q * r + p];
    }
  }
  // C = (A + ridge)^{-1} B by Cholesky; D_k = sum_i L_ik C_i, so sum_ij A_ij C_i X C_j =
  // sum_k D_k X D_k.
  double* L = work;  // nb^2 (the knots are no longer needed)
  double* col = work + nb * nb;
  double trace = 0;
  for (std::size_t i = 0; i < nb; ++i) trace += A[i * nb + i];
  for (std::size_t e = 0; e < nb * nb; ++e) L[e] = A[e];
  for (std::size_t i = 0; i < nb; ++i) L[i * nb + i] += 1e-12 * trace / static_cast<double>(nb);
  if (!linalg::cholesky(L, nb, nb)) return false;
  for (std::size_t e = 0; e < rr; ++e) {
    for (std::size_t i = 0; i < nb; ++i) col[i] = B[i * rr + e];
    linalg::cholesky_solve(L, nb, nb, col);
    for (std::size_t i = 0; i < nb; ++i) out->C[i * rr + e] = col[i];
  }
  for (std::size_t k = 0; k < nb; ++k) {
    for (std::size_t e = 0; e < rr; ++e) {
      double sum = 0;
      for (std::size_t i = k; i < nb; ++i) sum += L[i * nb + k] * out->C[i * rr + e];
      out->D[k * rr + e] = sum;
    }
  }
  return true;
}

double ysplines_quad(const YSplines& s, double y, const double* v) noexcept {
  const std::size_t r = s.r, rr = r * r;
  double yc = y < s.U[3] ? s.U[3] : (y > s.U[s.n] ? s.U[s.n] : y);
  const std::size_t span = find_span(s, yc);
  double N[4];
  basis_funs(s.U, span, yc, N);
  double sum = 0;
  for (std::size_t a = 0; a < 4; ++a) {
    const double* C = s.C + (span - 3 + a) * rr;
    double q = 0;
    for (std::size_t i = 0; i < r; ++i) {
      for (std::size_t j = 0; j < r; ++j) q += v[i] * C[i * r + j] * v[j];
    }
    sum += N[a] * q;
  }
  return sum;
}

std::size_t tcells_capacity(std::size_t target) noexcept {
  return 3 * target + 320;
}

void build_tcells(const Grid& grid, const NodeKey* keys, std::size_t n, std::size_t target,
                  TCells* out) noexcept {
  out->r = grid.r;
  out->count = 0;
  if (n == 0) return;
  double z[Link::kMaxR + 1];
  const double tmin = keys[0].key, tmax = keys[n - 1].key;
  out->tmin = tmin;
  out->tmax = tmax;
  const double pmax = mass(grid, keys, 0, n, z) / static_cast<double>(target);
  const double range = tmax - tmin;
  const double wmax = range / static_cast<double>(target);
  const double wmin = range * kMinWidth;
  const std::size_t capacity = tcells_capacity(target);
  std::size_t start = 0;  // first node of the open cell; start == i means the cell is empty
  double cell_mass = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && keys[j].key == keys[i].key) ++j;
    const double v = keys[i].key;
    const double group = mass(grid, keys, i, j, z);
    const bool alone = i == 0 || j == n || group >= pmax;
    if (start < i) {
      const double width = v - keys[start].key;
      const bool too_wide =
          width > wmax || (width > wmin && (width > kRefine * (tmax - v) ||
                                            width > kRefine * (keys[start].key - tmin)));
      // A full buffer only loses refinement, never correctness: the cell just grows.
      if ((alone || too_wide) && out->count + 3 < capacity) {
        close_tcell(grid, keys, start, i, out);
        start = i;
        cell_mass = 0;
      }
    }
    cell_mass += group;
    if ((alone || cell_mass >= pmax) && out->count + 2 < capacity) {
      close_tcell(grid, keys, start, j, out);
      start = j;
      cell_mass = 0;
    }
    i = j;
  }
  if (start < n) close_tcell(grid, keys, start, n, out);
}

bool spec_is_bounded(const char* spec) noexcept {
  bool inside[65] = {};  // per open parenthesis: it belongs to sign(...)
  std::size_t depth = 0;
  bool pending_sign = false;
  for (const char* s = spec; *s != '\0';) {
    const unsigned char c = static_cast<unsigned char>(*s);
    if (std::isalpha(c)) {
      const char* w = s;
      while (std::isalnum(static_cast<unsigned char>(*s))) ++s;
      const std::size_t len = static_cast<std::size_t>(s - w);
      const bool variable =
          (w[0] == 'z' && len > 1 && std::isdigit(static_cast<unsigned char>(w[1]))) ||
          (len == 5 && std::strncmp(w, "norm2", 5) == 0);
      if (variable) {
        bool covered = false;
        for (std::size_t k = 0; k < depth; ++k) covered = covered || inside[k];
        if (!covered) return false;
      }
      pending_sign = len == 4 && std::strncmp(w, "sign", 4) == 0;
      continue;
    }
    if (std::isdigit(c) || c == '.') {
      while (std::isdigit(static_cast<unsigned char>(*s)) || *s == '.') ++s;
      if (*s == 'e' || *s == 'E') {
        ++s;
        if (*s == '+' || *s == '-') ++s;
        while (std::isdigit(static_cast<unsigned char>(*s))) ++s;
      }
      pending_sign = false;
      continue;
    }
    if (c == '(') {
      if (depth < 65) inside[depth++] = pending_sign;
    } else if (c == ')') {
      if (depth > 0) --depth;
    }
    if (!std::isspace(c)) pending_sign = false;
    ++s;
  }
  return true;
}

}  // namespace theory
}  // namespace mimkit
