// SpectralTheory's set-up: the quadrature rule of each resolution, the laws built on it and
// the directions of M_T (docs/ALGORITHM.md section 9.1).
#include <cmath>

#include "linalg.hpp"
#include "theory/quadrature.hpp"
#include "theory/spectral_state.hpp"

namespace mimkit {
namespace theory {

namespace {

constexpr std::size_t kTCellsFine = 1024;

// Nodes per dimension: the configured count, or the largest even q <= 512 with q^dims <= budget.
std::size_t fine_nodes(const TheoryConfig& c, std::size_t dims) {
  return c.nodes != 0 ? c.nodes : grid_nodes_within(c.node_budget, dims);
}

// The error-estimate rule: about 0.7 of the nodes per dimension (even, >= 2).
std::size_t coarse_nodes(std::size_t q) {
  std::size_t c = (q * 7 / 10) & ~std::size_t(1);
  return c < 2 ? 2 : (c >= q ? q - 2 : c);
}

// Knot intervals of the spline projection of E[z z^T | y] (fine, coarse): with a few hundred
// thousand nodes the projection has converged to 1e-5 at 64 (z1*z2: 0.59375), and the grid's
// quadrature noise shows from about 256 on.
constexpr std::size_t kSplineIntervals[2] = {64, 32};

}  // namespace

Sizes sizes(const TheoryConfig& c) {
  Sizes z;
  z.dims = c.r + (c.noise > 0 ? 1 : 0);
  z.q = fine_nodes(c, z.dims);
  z.qc = coarse_nodes(z.q);
  z.keys = grid_points(z.q, z.dims);
  const std::size_t nb = ysplines_basis(kSplineIntervals[0]);
  z.scratch = rule_scratch(z.q);
  if (z.scratch < nb * nb + nb) z.scratch = nb * nb + nb;
  z.tcap[0] = tcells_capacity(kTCellsFine);
  z.tcap[1] = tcells_capacity(kTCellsFine / 2);
  return z;
}

Status carve(SpectralState& st, const Sizes& z, Arena& arena, double** scratch, NodeKey** keys) {
  const std::size_t r = st.cfg.r;
  MIMKIT_TRY(arena.allocate(z.scratch, scratch, "theory rule scratch"));
  MIMKIT_TRY(arena.allocate(z.keys, keys, "theory nodes"));
  for (int l = 0; l < 2; ++l) {
    SpectralLaw& law = st.law[l];
    const std::size_t q = l == 0 ? z.q : z.qc;
    const std::size_t nb = ysplines_basis(kSplineIntervals[l]), nt = z.tcap[l];
    MIMKIT_TRY(arena.allocate(q, &law.x, "theory rule"));
    MIMKIT_TRY(arena.allocate(q, &law.w, "theory rule"));
    MIMKIT_TRY(arena.allocate(nb + 4, &law.ys.U, "theory splines"));
    MIMKIT_TRY(arena.allocate(nb * nb, &law.ys.A, "theory splines"));
    MIMKIT_TRY(arena.allocate(nb * r * r, &law.ys.B, "theory splines"));
    MIMKIT_TRY(arena.allocate(nb * r * r, &law.ys.C, "theory splines"));
    MIMKIT_TRY(arena.allocate(nb * r * r, &law.ys.D, "theory splines"));
    MIMKIT_TRY(arena.allocate(nt, &law.tc.p, "theory t cells"));
    MIMKIT_TRY(arena.allocate(nt, &law.tc.t, "theory t cells"));
    MIMKIT_TRY(arena.allocate(nt, &law.tc.p2, "theory t cells"));
    MIMKIT_TRY(arena.allocate(nt * r * r, &law.tc.M0, "theory t cells"));
    MIMKIT_TRY(arena.allocate(nt * r * r, &law.tc.M1, "theory t cells"));
    MIMKIT_TRY(arena.allocate(nt * r * r, &law.tc.M2, "theory t cells"));
    for (int s = 0; s < 2; ++s) {
      MIMKIT_TRY(arena.allocate(kTable, &law.table_B[s], "theory tables"));
      MIMKIT_TRY(arena.allocate(kTable * r, &law.table_gamma[s], "theory tables"));
    }
    law.grid = product_grid(r, z.dims, q, law.x, law.w);
    law.intervals = kSplineIntervals[l];
    law.ttarget = l == 0 ? kTCellsFine : kTCellsFine / 2;
  }
  return Status();
}

// The law of one resolution: labels, y cells (and F), the transform, t cells and M_T.
// `v_opt` is the fine law's best direction (T = optimal uses it on both laws).
Status build_law(SpectralState& st, SpectralLaw& law, const Link& link, NodeKey* keys,
                 double* scratch, bool fine) {
  const TheoryConfig& c = st.cfg;
  const std::size_t r = c.r;
  mirrored_rule(law.grid.q, law.x, law.w, scratch);
  std::size_t n = 0;
  MIMKIT_TRY(evaluate_labels(link, law.grid, c.noise, keys, &n));
  sort_keys(keys, n);
  double v_top[R];
  double fnorm = 0;
  if (build_ysplines(law.grid, keys, n, law.intervals, &law.ys, scratch)) {
    fnorm = f_operator(law.ys, r, v_top);
  } else {
    law.ys.n = 0;  // labels without spread: G-hat = 0
    for (std::size_t a = 0; a < r; ++a) v_top[a] = a == 0;
  }
  law.alpha_opt = fnorm > kMinEnergy ? 1.0 / fnorm : kInf;
  if (fine) {
    st.summary.alpha_opt = law.alpha_opt;
    for (std::size_t a = 0; a < r; ++a) st.summary.v_opt[a] = v_top[a];
    st.summary.fixed_eigenbasis = find_fixed_basis(law.ys, r, st.V);
  }
  for (std::size_t i = 0; i < n; ++i) {
    keys[i].key = c.T == Transform::optimal ? optimal_T(law.ys, st.summary.v_opt, keys[i].key)
                                            : transform(c.T, c.delta, keys[i].key);
  }
  sort_keys(keys, n);
  build_tcells(law.grid, keys, n, law.ttarget, &law.tc);
  double mean = 0;
  double EtZ[R * R] = {};
  for (std::size_t k = 0; k < law.tc.count; ++k) {
    mean += law.tc.p[k] * law.tc.t[k];
    for (std::size_t e = 0; e < r * r; ++e) {
      EtZ[e] += law.tc.t[k] * law.tc.M0[k * r * r + e] + law.tc.M1[k * r * r + e];
    }
  }
  law.mean_T = mean;
  for (std::size_t a = 0; a < r; ++a) {
    for (std::size_t b = 0; b < r; ++b) law.M[a * r + b] = EtZ[a * r + b] - (a == b) * mean;
  }
  return Status();
}

void directions(SpectralState& st) {
  const std::size_t r = st.cfg.r;
  TheorySummary& sum = st.summary;
  const SpectralLaw& fine = st.law[0];
  double mu[R], vec[R * R];
  if (sum.fixed_eigenbasis) {
    for (std::size_t k = 0; k < r; ++k) {
      double v[R];
      for (std::size_t a = 0; a < r; ++a) v[a] = st.V[a * r + k];
      mu[k] = quad_form(fine.M, v, r);
    }
    for (std::size_t e = 0; e < r * r; ++e) vec[e] = st.V[e];
  } else {
    double work[R * R];
    linalg::eigh(fine.M, r, r, mu, vec, r, work);
  }
  // Order by descending mu (stable for ties).
  std::size_t order[R];
  for (std::size_t k = 0; k < r; ++k) order[k] = k;
  for (std::size_t a = 1; a < r; ++a) {
    for (std::size_t b = a; b > 0 && mu[order[b]] > mu[order[b - 1]]; --b) {
      const std::size_t t = order[b];
      order[b] = order[b - 1];
      order[b - 1] = t;
    }
  }
  double V2[R * R];
  for (std::size_t k = 0; k < r; ++k) {
    for (std::size_t a = 0; a < r; ++a) V2[a * r + k] = vec[a * r + order[k]];
  }
  double tsq = 0;
  for (std::size_t c = 0; c < fine.tc.count; ++c) {
    tsq += fine.tc.p[c] * fine.tc.t[c] * fine.tc.t[c] + fine.tc.p2[c];
  }
  const double tol = 1e-9 * (std::sqrt(tsq) + 1e-300);
  std::size_t above = 0, below = 0;
  for (std::size_t k = 0; k < r; ++k) {
    TheoryDirection& d = sum.dir[k];
    for (std::size_t a = 0; a < r; ++a) {
      d.v[a] = V2[a * r + k];
      st.V[a * r + k] = V2[a * r + k];
    }
    d.mu = mu[order[k]];
    d.side = d.mu > tol ? 1 : (d.mu < -tol ? -1 : 0);
    if (d.side > 0) st.rank[k] = above++;
  }
  for (std::size_t k = r; k-- > 0;) {
    if (sum.dir[k].side < 0) st.rank[k] = below++;
  }
}

}  // namespace theory
}  // namespace mimkit
