// The per-direction equations of the spectral estimator (docs/ALGORITHM.md section 9.2): the
// moments of the law at l > sup T, the weak-recovery threshold, the bulk edge and the outlier.
#include <cmath>

#include "linalg.hpp"
#include "theory/spectral_state.hpp"

namespace mimkit {
namespace theory {

namespace {

constexpr std::size_t kBisections = 80;

// gamma of the direction with side rank j, and its unit vector: in a fixed eigenbasis the
// quadratic form on v_k; otherwise the j-th largest eigenvalue of Gamma.
double gamma_of(const SpectralState& st, const Moments& m, std::size_t k, std::size_t j,
                double* v) {
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

double table_x(const SpectralState& st, int si, std::size_t j) {
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

}  // namespace

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

int side_index(int side) {
  return side > 0 ? 0 : 1;
}

// Threshold of direction k (side s, rank j) on one law (docs/ALGORITHM.md section 9.2):
// alpha_c = 1/B(l_c), l_c the last l with gamma(l) = B(l); 1/gamma(sup T+) in the boundary case.
double threshold(const SpectralState& st, const SpectralLaw& law, std::size_t k, int s) {
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

// lbar - sup T on one side at alpha (B decreasing in l).
double lbar_offset(const SpectralState& st, const SpectralLaw& law, int si, double alpha) {
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

Outlier outlier(const SpectralState& st, const SpectralLaw& law, std::size_t k, int s, double alpha,
                double xbar) {
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

void fill_tables(SpectralState& st, SpectralLaw& law) {
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

}  // namespace theory
}  // namespace mimkit
