// SpectralTheory: M_T, thresholds and overlap curves of the spectral estimator, the best
// preprocessing (docs/ALGORITHM.md sections 9.1-9.4).
#include <cmath>
#include <cstring>
#include <new>

#include "linalg.hpp"
#include "mimkit/theory.hpp"
#include "theory/law.hpp"
#include "theory/quadrature.hpp"
#include "train/loss.hpp"

namespace mimkit {

namespace {

using theory::Grid;
using theory::NodeKey;
using theory::TCells;
using theory::YSplines;

constexpr std::size_t R = kTheoryMaxR;
constexpr double kInf = HUGE_VAL;
// T*(y) = 1 - 1/max(E[s^2 | y], kOptimalFloor) >= -10: finite expectations, negligible mass.
constexpr double kOptimalFloor = 1.0 / 11.0;
// The l - sup T axis of the tables: scale * 2^(j/8 - 40), j < kTable (1e-12 .. 1e6 x scale).
constexpr std::size_t kTable = 480;
constexpr std::size_t kTCellsFine = 1024;
constexpr std::size_t kBisections = 80;
// E[G(y)^2] below this is quadrature noise (a link with E[z z^T | y] = I gives about 1e-17, lifted
// by the projection's 1e-12 ridge): alpha_opt above 1e10 is reported as infinity.
constexpr double kMinEnergy = 1e-10;

std::size_t ipow(std::size_t q, std::size_t d) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < d; ++i) n *= q;
  return n;
}

// Nodes per dimension: the configured count, or the largest even q <= 512 with q^dims <= budget.
std::size_t fine_nodes(const TheoryConfig& c, std::size_t dims) {
  if (c.nodes != 0) return c.nodes;
  std::size_t q = 4;
  while (q + 2 <= theory::kMaxRuleNodes && ipow(q + 2, dims) <= c.node_budget) q += 2;
  return q;
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

// One resolution of the quadrature and everything built from it.
struct Law {
  Grid grid;
  double* x = nullptr;
  double* w = nullptr;
  std::size_t ttarget = 0, intervals = 0;
  YSplines ys;
  TCells tc;
  double mean_T = 0;
  double M[R * R] = {};  // M_T
  double tau[2] = {};    // per side: sup of s T on this law's nodes
  double alpha_opt = kInf;
  double* table_B[2] = {};      // per side: B at the table's l values
  double* table_gamma[2] = {};  // per side: kTable x r, gamma of each side rank
};

struct State {
  TheoryConfig cfg;
  bool bounded_above = false, bounded_below = false;
  Law law[2];  // fine, coarse
  TheorySummary summary;
  double V[R * R] = {};  // fixed eigenbasis: column k = v_k (only when summary.fixed_eigenbasis)
  // Side ranks: rank[k] = position of direction k among the directions on its side.
  std::size_t rank[R] = {};
  double scale[2] = {1, 1};  // per side: the unit of l - sup T
};

// Moments of one side (s T) at l > sup(s T): E1 = E[t/(l-t)], B = E[t^2/(l-t)^2],
// Gamma = E[t (z z^T - I)/(l - t)], C = E[t^2 z z^T/(l - t)^2], each to third order in the cell
// width (docs/ALGORITHM.md section 9.2; the cells: src/theory/law.hpp).
struct Moments {
  double E1 = 0, B = 0;
  double Gamma[R * R] = {};
  double C[R * R] = {};
};

void moments(const TCells& tc, int s, double l, bool matrices, Moments* out) {
  const std::size_t r = tc.r, rr = r * r;
  double E1 = 0, B = 0;
  if (matrices) {
    for (std::size_t e = 0; e < rr; ++e) out->Gamma[e] = out->C[e] = 0;
  }
  for (std::size_t c = 0; c < tc.count; ++c) {
    const double t = s * tc.t[c];
    const double u = 1.0 / (l - t);
    const double lu = l * u;
    const double f1 = lu - 1, d1 = lu * u, dd1 = 2 * lu * u * u;
    const double f2 = f1 * f1, d2 = 2 * f1 * lu * u,
                 dd2 = 2 * lu * lu * u * u + 4 * lu * u * u * f1;
    E1 += tc.p[c] * f1 + 0.5 * tc.p2[c] * dd1;
    B += tc.p[c] * f2 + 0.5 * tc.p2[c] * dd2;
    if (!matrices) continue;
    const double* M0 = tc.M0 + c * rr;
    const double* M1 = tc.M1 + c * rr;
    const double* M2 = tc.M2 + c * rr;
    for (std::size_t e = 0; e < rr; ++e) {
      out->Gamma[e] += f1 * M0[e] + s * d1 * M1[e] + 0.5 * dd1 * M2[e];
      out->C[e] += f2 * M0[e] + s * d2 * M1[e] + 0.5 * dd2 * M2[e];
    }
  }
  out->E1 = E1;
  out->B = B;
  if (matrices) {
    for (std::size_t a = 0; a < r; ++a) out->Gamma[a * r + a] -= E1;
  }
}

double quad_form(const double* A, const double* v, std::size_t r) {
  double sum = 0;
  for (std::size_t a = 0; a < r; ++a) {
    double row = 0;
    for (std::size_t b = 0; b < r; ++b) row += A[a * r + b] * v[b];
    sum += v[a] * row;
  }
  return sum;
}

// gamma of the direction with side rank j, and its unit vector: in a fixed eigenbasis the
// quadratic form on v_k; otherwise the j-th largest eigenvalue of Gamma.
double gamma_of(const State& st, const Moments& m, std::size_t k, std::size_t j, double* v) {
  const std::size_t r = st.cfg.r;
  if (st.summary.fixed_eigenbasis) {
    for (std::size_t a = 0; a < r; ++a) v[a] = st.V[a * r + k];
    return quad_form(m.Gamma, v, r);
  }
  double w[R], E[R * R], work[R * R];
  if (!linalg::eigh(m.Gamma, r, r, w, E, r, work)) {
    for (std::size_t a = 0; a < r; ++a) v[a] = NAN;
    return NAN;
  }
  for (std::size_t a = 0; a < r; ++a) v[a] = E[a * r + j];
  return w[j];
}

int side_index(int side) {
  return side > 0 ? 0 : 1;
}

double table_x(const State& st, int si, std::size_t j) {
  static const double kEighths[8] = {1.0,
                                     1.0905077326652577,
                                     1.189207115002721,
                                     1.2968395546510096,
                                     1.4142135623730951,
                                     1.5422108254079407,
                                     1.681792830507429,
                                     1.8340080864093424};  // 2^(k/8)
  return st.scale[si] * std::ldexp(kEighths[j % 8], static_cast<int>(j / 8) - 40);
}

// F(x) on a bracket [lo, hi] with F(lo) and F(hi) of opposite signs (or F(hi) <= 0 < F(lo)):
// bisection in log x to the last representable midpoint.
template <class F>
double bisect_log(double lo, double hi, F f) {
  const bool rising = f(hi) > f(lo);
  for (std::size_t it = 0; it < kBisections; ++it) {
    const double mid = std::sqrt(lo * hi);
    if (!(mid > lo && mid < hi)) break;
    if ((f(mid) > 0) == rising) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return std::sqrt(lo * hi);
}

// Threshold of direction k (side s, rank j) on one law (docs/ALGORITHM.md section 9.2):
// alpha_c = 1/B(l_c), l_c the last l with gamma(l) = B(l); 1/gamma(sup T+) in the boundary case.
double threshold(const State& st, const Law& law, std::size_t k, int s) {
  const int si = side_index(s);
  const std::size_t r = st.cfg.r, j = st.rank[k];
  const double tau = law.tau[si];
  auto F = [&](double x) {
    Moments m;
    moments(law.tc, s, tau + x, true, &m);
    double v[R];
    return gamma_of(st, m, k, j, v) - m.B;
  };
  auto Fi = [&](std::size_t i) { return law.table_gamma[si][i * r + j] - law.table_B[si][i]; };
  std::size_t i = kTable - 1;
  if (!(Fi(i) > 0)) return kInf;  // no transition below alpha ~ 1e12
  while (i > 0 && Fi(i - 1) > 0) --i;
  if (i == 0) {  // F > 0 down to sup T: the boundary case
    Moments m;
    moments(law.tc, s, tau + table_x(st, si, 0), true, &m);
    double v[R];
    return 1.0 / gamma_of(st, m, k, j, v);
  }
  const double xc = bisect_log(table_x(st, si, i - 1), table_x(st, si, i), F);
  Moments m;
  moments(law.tc, s, tau + xc, false, &m);
  return 1.0 / m.B;
}

struct Outlier {
  bool exists = false;
  double value = NAN;  // eigenvalue of S_T
  double overlap = 0;  // squared overlap with span U
};

// lbar - sup T on one side at alpha (B decreasing in l).
double lbar_offset(const State& st, const Law& law, int si, double alpha) {
  const double target = 1.0 / alpha;
  const int s = si == 0 ? 1 : -1;
  const double tau = law.tau[si];
  if (!(law.table_B[si][0] > target)) return table_x(st, si, 0);  // boundary: lbar = sup T
  auto f = [&](double x) {
    Moments m;
    moments(law.tc, s, tau + x, false, &m);
    return m.B - target;
  };
  std::size_t i = 0;
  while (i + 1 < kTable && law.table_B[si][i + 1] > target) ++i;
  double hi = table_x(st, si, i + 1 < kTable ? i + 1 : i);
  while (f(hi) > 0) hi *= 2;  // alpha beyond the table
  return bisect_log(table_x(st, si, i), hi, f);
}

Outlier outlier(const State& st, const Law& law, std::size_t k, int s, double alpha, double xbar) {
  const int si = side_index(s);
  const std::size_t r = st.cfg.r, j = st.rank[k];
  const double tau = law.tau[si], target = 1.0 / alpha;
  Outlier out;
  auto h = [&](double x) {
    Moments m;
    moments(law.tc, s, tau + x, true, &m);
    double v[R];
    return gamma_of(st, m, k, j, v) - target;
  };
  // The largest root of gamma(l) = 1/alpha above lbar: walk down from large l.
  double top = table_x(st, si, kTable - 1);
  while (h(top) >= 0) top *= 2;
  // Invariant: h < 0 at upper(i), the table point i (or `top` for the last one).
  auto upper = [&](std::size_t i) { return i + 1 == kTable ? top : table_x(st, si, i); };
  std::size_t i = kTable - 1;
  double lo = -1, hi = top;
  while (i > 0) {
    const double x = table_x(st, si, i - 1);
    if (x <= xbar) break;
    if (law.table_gamma[si][(i - 1) * r + j] - target >= 0) {
      lo = x;
      hi = upper(i);
      break;
    }
    --i;
  }
  if (lo < 0) {
    if (h(xbar) < 0) return out;
    lo = xbar;
    hi = upper(i);
  }
  const double xs = bisect_log(lo, hi, h);
  const double l = tau + xs;
  Moments m;
  moments(law.tc, s, l, true, &m);
  double v[R];
  gamma_of(st, m, k, j, v);
  const double dpsi = target - m.B;
  out.exists = true;
  out.value = s * l * (target + m.E1) - law.mean_T;
  out.overlap = dpsi / (dpsi + quad_form(m.C, v, r));
  return out;
}

// F(M) = E[G(y) M G(y)] ~ sum_k D_k M D_k on symmetric r x r matrices (orthonormal basis E_ab,
// a <= b): its largest eigenvalue, and the leading eigenvector of its top eigen-matrix
// (docs/ALGORITHM.md section 9.3).
double f_operator(const YSplines& ys, std::size_t r, double* v_top) {
  constexpr std::size_t kS = R * (R + 1) / 2;
  std::size_t ia[kS], ib[kS], ns = 0;
  for (std::size_t a = 0; a < r; ++a) {
    for (std::size_t b = a; b < r; ++b) {
      ia[ns] = a;
      ib[ns] = b;
      ++ns;
    }
  }
  double F[kS * kS] = {};
  const double rt2 = std::sqrt(2.0);
  for (std::size_t k = 0; k < ys.n; ++k) {
    const double* G = ys.D + k * r * r;
    for (std::size_t u = 0; u < ns; ++u) {
      const std::size_t cu = ia[u], du = ib[u];
      for (std::size_t t = 0; t < ns; ++t) {
        const std::size_t a = ia[t], b = ib[t];
        // X = G E_u G with E_u = e_c e_d^T (c = d) or (e_c e_d^T + e_d e_c^T)/sqrt 2.
        double x_ab = G[a * r + cu] * G[du * r + b];
        if (cu != du) x_ab = (x_ab + G[a * r + du] * G[cu * r + b]) / rt2;
        F[t * ns + u] += a == b ? x_ab : rt2 * x_ab;
      }
    }
  }
  double w[kS], E[kS * kS], work[kS * kS];
  if (!linalg::eigh(F, ns, ns, w, E, ns, work) || !(w[0] > 0)) {
    for (std::size_t a = 0; a < r; ++a) v_top[a] = a == 0;
    return 0;
  }
  double Mtop[R * R];
  for (std::size_t t = 0; t < ns; ++t) {
    const double e = E[t * ns + 0];
    const std::size_t a = ia[t], b = ib[t];
    Mtop[a * r + b] = Mtop[b * r + a] = a == b ? e : e / rt2;
  }
  double mw[R], mv[R * R], mwork[R * R];
  linalg::eigh(Mtop, r, r, mw, mv, r, mwork);
  const std::size_t top = std::fabs(mw[0]) >= std::fabs(mw[r - 1]) ? 0 : r - 1;
  for (std::size_t a = 0; a < r; ++a) v_top[a] = mv[a * r + top];
  return w[0];
}

// E[(v . G(y) v)^2], from the projection.
double direction_energy(const YSplines& ys, std::size_t r, const double* v) {
  double sum = 0;
  for (std::size_t k = 0; k < ys.n; ++k) {
    const double g = quad_form(ys.D + k * r * r, v, r);
    sum += g * g;
  }
  return sum;
}

// E[z z^T | y] has one eigenbasis for all y: diagonalise a generic combination of the
// projections B_i = E[phi_i(y) (z z^T - I)], then check that every B_i is diagonal in it.
bool find_fixed_basis(const YSplines& ys, std::size_t r, double* V) {
  const std::size_t rr = r * r;
  double A[R * R] = {}, w[R], work[R * R];
  double bmax = 0;
  for (std::size_t i = 0; i < ys.n; ++i) {
    const double h = std::fmod(static_cast<double>(i) * 0.6180339887498949, 1.0) - 0.5;
    for (std::size_t e = 0; e < rr; ++e) {
      A[e] += h * ys.B[i * rr + e];
      bmax = std::fmax(bmax, std::fabs(ys.B[i * rr + e]));
    }
  }
  if (!(bmax > kMinEnergy)) {  // G = 0 (E[z z^T | y] = I): every basis is an eigenbasis
    for (std::size_t e = 0; e < rr; ++e) V[e] = e % (r + 1) == 0;
    return true;
  }
  if (!linalg::eigh(A, r, r, w, V, r, work)) return false;
  for (std::size_t i = 0; i < ys.n; ++i) {
    for (std::size_t k = 0; k < r; ++k) {
      for (std::size_t l = 0; l < k; ++l) {
        double off = 0;
        for (std::size_t a = 0; a < r; ++a) {
          for (std::size_t b = 0; b < r; ++b)
            off += V[a * r + k] * ys.B[i * rr + a * r + b] * V[b * r + l];
        }
        if (std::fabs(off) > 1e-9 * (bmax + 1e-300)) return false;
      }
    }
  }
  return true;
}

// The transforms the training code also applies, and its name for each (T = optimal is the
// theory's own).
struct SharedTransform {
  Transform theory;
  SpectralTransform train;
};
constexpr SharedTransform kShared[] = {{Transform::y, SpectralTransform::identity},
                                       {Transform::sign, SpectralTransform::sign},
                                       {Transform::clip, SpectralTransform::clip},
                                       {Transform::abs, SpectralTransform::abs}};

// T(y) as the spectral estimator computes it (src/train/loss.cpp), clip level delta.
double transform(Transform T, double delta, double y) {
  for (const SharedTransform& s : kShared) {
    if (s.theory != T) continue;
    train::LossFn clip;
    clip.delta = delta;
    return train::spectral_transform(s.train, clip, y);
  }
  return y;
}

// T*(y) = 1 - 1/E[(v . z)^2 | y] from the spline projection, floored.
double optimal_T(const YSplines& ys, const double* v, double y) {
  const double s2 = 1.0 + theory::ysplines_quad(ys, y, v);
  return 1.0 - 1.0 / (s2 > kOptimalFloor ? s2 : kOptimalFloor);
}

struct Sizes {
  std::size_t dims, q, qc, keys, scratch, tcap[2];
};

Sizes sizes(const TheoryConfig& c) {
  Sizes z;
  z.dims = c.r + (c.noise > 0 ? 1 : 0);
  z.q = fine_nodes(c, z.dims);
  z.qc = coarse_nodes(z.q);
  z.keys = ipow(z.q, z.dims);
  const std::size_t nb = theory::ysplines_basis(kSplineIntervals[0]);
  z.scratch = theory::rule_scratch(z.q);
  if (z.scratch < nb * nb + nb) z.scratch = nb * nb + nb;
  z.tcap[0] = theory::tcells_capacity(kTCellsFine);
  z.tcap[1] = theory::tcells_capacity(kTCellsFine / 2);
  return z;
}

Status carve(State& st, const Sizes& z, Arena& arena, double** scratch, NodeKey** keys) {
  const std::size_t r = st.cfg.r;
  MIMKIT_TRY(arena.allocate(z.scratch, scratch, "theory rule scratch"));
  MIMKIT_TRY(arena.allocate(z.keys, keys, "theory nodes"));
  for (int l = 0; l < 2; ++l) {
    Law& law = st.law[l];
    const std::size_t q = l == 0 ? z.q : z.qc;
    const std::size_t nb = theory::ysplines_basis(kSplineIntervals[l]), nt = z.tcap[l];
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
    law.grid.r = r;
    law.grid.dims = z.dims;
    law.grid.q = q;
    law.grid.x = law.x;
    law.grid.w = law.w;
    law.grid.count = ipow(q, z.dims);
    law.intervals = kSplineIntervals[l];
    law.ttarget = l == 0 ? kTCellsFine : kTCellsFine / 2;
  }
  return Status();
}

// The law of one resolution: labels, y cells (and F), the transform, t cells and M_T.
// `v_opt` is the fine law's best direction (T = optimal uses it on both laws).
Status build_law(State& st, Law& law, const Link& link, NodeKey* keys, double* scratch, bool fine) {
  const TheoryConfig& c = st.cfg;
  const std::size_t r = c.r;
  theory::mirrored_rule(law.grid.q, law.x, law.w, scratch);
  std::size_t n = 0;
  MIMKIT_TRY(theory::evaluate_labels(link, law.grid, c.noise, keys, &n));
  theory::sort_keys(keys, n);
  double v_top[R];
  double fnorm = 0;
  if (theory::build_ysplines(law.grid, keys, n, law.intervals, &law.ys, scratch)) {
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
  theory::sort_keys(keys, n);
  theory::build_tcells(law.grid, keys, n, law.ttarget, &law.tc);
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

void fill_tables(State& st, Law& law) {
  const std::size_t r = st.cfg.r;
  for (int si = 0; si < 2; ++si) {
    const int s = si == 0 ? 1 : -1;
    if (!(si == 0 ? st.bounded_above : st.bounded_below)) continue;
    for (std::size_t i = 0; i < kTable; ++i) {
      Moments m;
      moments(law.tc, s, law.tau[si] + table_x(st, si, i), true, &m);
      law.table_B[si][i] = m.B;
      for (std::size_t k = 0; k < r; ++k) {
        const int side = st.summary.dir[k].side;
        if (side != s) continue;
        double v[R];
        law.table_gamma[si][i * r + st.rank[k]] = gamma_of(st, m, k, st.rank[k], v);
      }
    }
  }
}

void directions(State& st) {
  const std::size_t r = st.cfg.r;
  TheorySummary& sum = st.summary;
  const Law& fine = st.law[0];
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

}  // namespace

const char* transform_name(Transform t) noexcept {
  switch (t) {
    case Transform::y:
      return "y";
    case Transform::sign:
      return "sign";
    case Transform::clip:
      return "clip";
    case Transform::abs:
      return "abs";
    case Transform::optimal:
      return "optimal";
  }
  return "unknown";
}

Status parse_transform(const char* text, const char* field, Transform* out) noexcept {
  struct Name {
    const char* name;
    Transform t;
  };
  static const Name kNames[] = {
      {"y", Transform::y},       {"identity", Transform::y},    {"sign", Transform::sign},
      {"clip", Transform::clip}, {"abs", Transform::abs},       {"optimal", Transform::optimal},
      {"squared", Transform::y}, {"absolute", Transform::sign}, {"huber", Transform::clip}};
  for (const Name& n : kNames) {
    if (text != nullptr && std::strcmp(text, n.name) == 0) {
      *out = n.t;
      return Status();
    }
  }
  return Status::error(Code::invalid_argument, field,
                       "unknown transform '%s' (allowed: y, identity, sign, clip, abs, optimal, "
                       "squared, absolute, huber)",
                       text ? text : "");
}

Transform loss_transform(Loss loss) noexcept {
  switch (loss) {
    case Loss::squared:
      return Transform::y;
    case Loss::absolute:
      return Transform::sign;
    case Loss::huber:
      return Transform::clip;
  }
  return Transform::y;
}

Transform spectral_transform_of(const RunConfig& config) noexcept {
  if (config.spectral_T == SpectralTransform::loss) return loss_transform(config.loss);
  for (const SharedTransform& s : kShared) {
    if (s.train == config.spectral_T) return s.theory;
  }
  return Transform::y;
}

Status validate(const TheoryConfig& c) noexcept {
  if (c.r < 1 || c.r > kTheoryMaxR) {
    return Status::error(Code::invalid_argument, "r", "r = %zu is out of range (allowed: 1..%zu)",
                         c.r, kTheoryMaxR);
  }
  if (!(c.noise >= 0) || !std::isfinite(c.noise)) {
    return Status::error(Code::invalid_argument, "noise",
                         "noise = %g is not allowed (allowed: a finite number >= 0)", c.noise);
  }
  if (!(c.delta > 0) || !std::isfinite(c.delta)) {
    return Status::error(Code::invalid_argument, "delta",
                         "delta = %g is not allowed (allowed: a finite number > 0)", c.delta);
  }
  if (c.node_budget < 16 || c.node_budget > (std::size_t(1) << 26)) {
    return Status::error(Code::invalid_argument, "node_budget",
                         "node_budget = %zu is out of range (allowed: 16..2^26)", c.node_budget);
  }
  if (c.nodes != 0) {
    const std::size_t dims = c.r + (c.noise > 0 ? 1 : 0);
    if (c.nodes < 4 || c.nodes > theory::kMaxRuleNodes || c.nodes % 2 != 0) {
      return Status::error(Code::invalid_argument, "nodes",
                           "nodes = %zu is out of range (allowed: 4..%zu, even; 0 = automatic)",
                           c.nodes, theory::kMaxRuleNodes);
    }
    const double total = std::pow(static_cast<double>(c.nodes), static_cast<double>(dims));
    if (total > static_cast<double>(std::size_t(1) << 26)) {
      return Status::error(Code::invalid_argument, "nodes",
                           "nodes = %zu gives %g quadrature nodes in %zu dimensions (allowed: at "
                           "most 2^26)",
                           c.nodes, total, dims);
    }
  }
  return Status();
}

std::size_t SpectralTheory::plan(const TheoryConfig& config) noexcept {
  if (!validate(config).ok()) return 0;
  Arena measure = Arena::measure();
  void* mem = nullptr;
  measure.allocate_bytes(sizeof(State), &mem, "theory state");
  State st;
  st.cfg = config;
  double* scratch = nullptr;
  NodeKey* keys = nullptr;
  if (!carve(st, sizes(config), measure, &scratch, &keys).ok()) return 0;
  return measure.used();
}

Status SpectralTheory::init(const Link& link, const TheoryConfig& config, Arena& arena) noexcept {
  if (state_ != nullptr) {
    return Status::error(Code::invalid_argument, "theory", "init() was already called");
  }
  MIMKIT_TRY(validate(config));
  if (!link.valid() || link.r() != config.r) {
    return Status::error(Code::invalid_argument, "link",
                         "the link has r = %zu but the theory has r = %zu (allowed: equal)",
                         link.r(), config.r);
  }
  const std::size_t need = plan(config);
  if (arena.capacity() - arena.used() < need) {
    return Status::error(Code::arena_too_small, "arena",
                         "the theory needs %zu bytes (plan()) but the arena has %zu free", need,
                         arena.capacity() - arena.used());
  }
  void* mem = nullptr;
  MIMKIT_TRY(arena.allocate_bytes(sizeof(State), &mem, "theory state"));
  State& st = *new (mem) State();
  st.cfg = config;
  const Sizes z = sizes(config);
  double* scratch = nullptr;
  NodeKey* keys = nullptr;
  MIMKIT_TRY(carve(st, z, arena, &scratch, &keys));
  for (int l = 0; l < 2; ++l) MIMKIT_TRY(build_law(st, st.law[l], link, keys, scratch, l == 0));

  const bool link_bounded = config.link_bounded || theory::spec_is_bounded(link.spec());
  const bool labels_bounded = link_bounded && config.noise == 0;
  switch (config.T) {
    case Transform::y:
      st.bounded_above = st.bounded_below = labels_bounded;
      break;
    case Transform::abs:
      st.bounded_above = labels_bounded;
      st.bounded_below = true;
      break;
    case Transform::sign:
    case Transform::clip:
    case Transform::optimal:
      st.bounded_above = st.bounded_below = true;
      break;
  }
  TheorySummary& sum = st.summary;
  sum.r = config.r;
  sum.dims = z.dims;
  sum.nodes = z.q;
  sum.coarse_nodes = z.qc;
  const Law& fine = st.law[0];
  sum.mean_T = fine.mean_T;
  sum.sup_T = st.bounded_above ? fine.tc.tmax : kInf;
  sum.inf_T = st.bounded_below ? fine.tc.tmin : -kInf;
  for (std::size_t e = 0; e < config.r * config.r; ++e) sum.M[e] = fine.M[e];
  sum.alpha_opt_error = std::fabs(st.law[0].alpha_opt - st.law[1].alpha_opt);
  if (!std::isfinite(sum.alpha_opt_error)) sum.alpha_opt_error = 0;
  directions(st);
  double tsq = 0;
  for (std::size_t c = 0; c < fine.tc.count; ++c) tsq += fine.tc.p[c] * fine.tc.t[c] * fine.tc.t[c];
  for (int l = 0; l < 2; ++l) {
    st.law[l].tau[0] = st.law[l].tc.tmax;
    st.law[l].tau[1] = -st.law[l].tc.tmin;
  }
  for (int si = 0; si < 2; ++si) {
    st.scale[si] = std::fmax(std::fabs(fine.tau[si]), std::sqrt(tsq));
    if (!(st.scale[si] > 0)) st.scale[si] = 1;
  }
  for (int l = 0; l < 2; ++l) fill_tables(st, st.law[l]);
  const std::size_t r = config.r;
  for (std::size_t k = 0; k < r; ++k) {
    TheoryDirection& d = sum.dir[k];
    d.predicted = d.side != 0 && (d.side > 0 ? st.bounded_above : st.bounded_below);
    double coarse_mu = quad_form(st.law[1].M, d.v, r);
    d.mu_error = std::fabs(d.mu - coarse_mu);
    if (d.side == 0) {
      d.alpha_c = kInf;
    } else if (!d.predicted) {
      d.alpha_c = NAN;
    } else {
      d.alpha_c = threshold(st, st.law[0], k, d.side);
      const double coarse = threshold(st, st.law[1], k, d.side);
      d.alpha_c_error =
          std::isfinite(d.alpha_c) && std::isfinite(coarse) ? std::fabs(d.alpha_c - coarse) : 0;
    }
    if (sum.fixed_eigenbasis) {
      const double e0 = direction_energy(st.law[0].ys, r, d.v);
      const double e1 = direction_energy(st.law[1].ys, r, d.v);
      d.alpha_opt = e0 > kMinEnergy ? 1.0 / e0 : kInf;
      const double a1 = e1 > kMinEnergy ? 1.0 / e1 : kInf;
      d.alpha_opt_error =
          std::isfinite(d.alpha_opt) && std::isfinite(a1) ? std::fabs(d.alpha_opt - a1) : 0;
    } else {
      d.alpha_opt = NAN;
    }
  }
  state_ = mem;
  return Status();
}

const TheorySummary& SpectralTheory::summary() const noexcept {
  static const TheorySummary kEmpty;
  return state_ != nullptr ? static_cast<const State*>(state_)->summary : kEmpty;
}

Status SpectralTheory::predict(double alpha, SpectralPrediction* out) const noexcept {
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "theory", "predict() before a successful init()");
  }
  if (!(alpha > 0) || !std::isfinite(alpha)) {
    return Status::error(Code::invalid_argument, "alpha",
                         "alpha = %g is not allowed (allowed: a finite number > 0)", alpha);
  }
  const State& st = *static_cast<const State*>(state_);
  const std::size_t r = st.cfg.r;
  SpectralPrediction p;
  p.alpha = alpha;
  double xbar[2][2] = {};  // [law][side]
  for (int l = 0; l < 2; ++l) {
    for (int si = 0; si < 2; ++si) {
      if (!(si == 0 ? st.bounded_above : st.bounded_below)) continue;
      xbar[l][si] = lbar_offset(st, st.law[l], si, alpha);
    }
  }
  const Law& fine = st.law[0];
  for (int si = 0; si < 2; ++si) {
    const int s = si == 0 ? 1 : -1;
    double edge = s * kInf;
    if (si == 0 ? st.bounded_above : st.bounded_below) {
      Moments m;
      const double l = fine.tau[si] + xbar[0][si];
      moments(fine.tc, s, l, false, &m);
      edge = s * l * (1.0 / alpha + m.E1) - fine.mean_T;
    }
    (si == 0 ? p.bulk_top : p.bulk_bottom) = edge;
  }
  const double edge_abs = std::fmax(std::fabs(p.bulk_top), std::fabs(p.bulk_bottom));
  bool all_predicted = true;
  double cos[R];
  for (std::size_t k = 0; k < r; ++k) {
    const TheoryDirection& d = st.summary.dir[k];
    p.outlier[k] = NAN;
    if (d.side == 0) {
      p.overlap[k] = 0;
      cos[k] = 0;
      continue;
    }
    if (!d.predicted) {
      p.overlap[k] = NAN;
      all_predicted = false;
      continue;
    }
    const int si = side_index(d.side);
    const Outlier o = outlier(st, fine, k, d.side, alpha, xbar[0][si]);
    const Outlier oc = outlier(st, st.law[1], k, d.side, alpha, xbar[1][si]);
    p.outlier[k] = o.value;
    p.overlap[k] = o.exists ? o.overlap : 0;
    p.overlap_error[k] = std::fabs(p.overlap[k] - (oc.exists ? oc.overlap : 0));
    p.selected_by_abs[k] = o.exists && std::fabs(o.value) > edge_abs;
    cos[k] = p.selected_by_abs[k] ? std::sqrt(p.overlap[k]) : 0;
  }
  if (all_predicted) {
    for (std::size_t a = 1; a < r; ++a) {
      for (std::size_t b = a; b > 0 && cos[b] > cos[b - 1]; --b) {
        const double t = cos[b];
        cos[b] = cos[b - 1];
        cos[b - 1] = t;
      }
    }
  }
  for (std::size_t k = 0; k < r; ++k) p.cosines[k] = all_predicted ? cos[k] : NAN;
  *out = p;
  return Status();
}

double SpectralTheory::transform(double y) const noexcept {
  if (state_ == nullptr) return NAN;
  const State& st = *static_cast<const State*>(state_);
  return st.cfg.T == Transform::optimal ? optimal_T(st.law[0].ys, st.summary.v_opt, y)
                                        : mimkit::transform(st.cfg.T, st.cfg.delta, y);
}

}  // namespace mimkit
