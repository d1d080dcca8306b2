// Phase1Theory: the population (n1 = infinity) dynamics of phase 1 to cubic order in the weights
// (docs/ALGORITHM.md section 9.5).
//
// Write w_j = U^T p_j + sum_i q_ji b_i with p_j in R^r and b_i an orthonormal basis of the start's
// components outside span U. At n1 = infinity the gradient only involves x through z = U x and
// zeta_i = b_i . x, independent standard normals, so the weights stay in span(U, b) and the
// state is (P, Q), m x (r + k). With u_j = w_j . x, loss'(f, y) = -T(y) + c(y) f + ..., f = sum_l
// a_l u_l^2 / 2 + ... and sigma'(u) = u - gamma u^3 + ..., the gradient of unit j is a_j G_j with
//   G_j = -E[T u_j x] + gamma E[T u_j^3 x] + (1/2) sum_l a_l E[c u_l^2 u_j x] + O(w^5),
// and Gaussian integration by parts over zeta gives, with A = E[T z z^T], K = E[T z^(x4)],
// Mc = E[c z z^T], Kc = E[c z^(x4)], S = sum_l a_l p_l p_l^T, s1 = sum_l a_l |q_l|^2,
// s2 = sum_l a_l (p_l^T Mc p_l + E[c] |q_l|^2):
//   z part:    -A p_j + gamma (K(p_j, p_j, p_j) + 3 |q_j|^2 A p_j)
//              + Kc(S, p_j)/2 + Mc sum_l a_l (q_l . q_j) p_l + s1 Mc p_j / 2
//   zeta part: -E[T] q_j + 3 gamma (p_j^T A p_j + E[T] |q_j|^2) q_j
//              + sum_l a_l (p_l^T Mc p_j + E[c] q_l . q_j) q_l + s2 q_j / 2.
#include <cmath>
#include <new>

#include "linalg.hpp"
#include "mimkit/theory.hpp"
#include "theory/law.hpp"
#include "theory/quadrature.hpp"
#include "train/loss.hpp"

namespace mimkit {

namespace {

constexpr std::size_t R = kTheoryMaxR;
constexpr std::size_t kMaxUnits = 1024;
constexpr std::size_t kMomentNodes = std::size_t(1) << 18;

struct State {
  RunConfig cfg;
  std::size_t m = 0, r = 0, k = 0, d = 0;
  double gamma = 0;     // sigma'(u) = u - gamma u^3
  bool output = false;  // the c(y) f term (squared and Huber losses)
  double ET = 0, Ec = 0;
  double A[R * R] = {}, Mc[R * R] = {};
  double* K = nullptr;   // r^4
  double* Kc = nullptr;  // r^4
  double mu[R] = {};
  double V[R * R] = {};     // row k = v_k
  double* P0 = nullptr;     // m x r
  double* Q0 = nullptr;     // m x k
  double* W = nullptr;      // m x (r + k): [P | Q], the state
  double* G = nullptr;      // m x (r + k): the step
  double* L = nullptr;      // m x (r + k): the linear part of the step
  double* QQ = nullptr;     // m x m
  double* PMP = nullptr;    // m x m
  double* Ured = nullptr;   // r x (r + k): [I | 0]
  double* mwork = nullptr;  // metrics workspace
  double* basis = nullptr;  // m x d, setup only
};

std::size_t sizes(const RunConfig& c, std::size_t* dims, std::size_t* q) {
  *dims = c.r + (c.noise > 0 ? 1 : 0);
  *q = theory::grid_nodes_within(kMomentNodes, *dims);
  return theory::grid_points(*q, *dims);
}

Status carve(State& st, Arena& arena) {
  const std::size_t m = st.m, r = st.r, n = st.r + st.m, d = st.d;
  std::size_t dims = 0, q = 0;
  sizes(st.cfg, &dims, &q);
  MIMKIT_TRY(arena.allocate(r * r * r * r, &st.K, "phase-1 theory moments"));
  MIMKIT_TRY(arena.allocate(r * r * r * r, &st.Kc, "phase-1 theory moments"));
  MIMKIT_TRY(arena.allocate(m * r, &st.P0, "phase-1 theory start"));
  MIMKIT_TRY(arena.allocate(m * m, &st.Q0, "phase-1 theory start"));
  MIMKIT_TRY(arena.allocate(m * n, &st.W, "phase-1 theory state"));
  MIMKIT_TRY(arena.allocate(m * n, &st.G, "phase-1 theory state"));
  MIMKIT_TRY(arena.allocate(m * n, &st.L, "phase-1 theory state"));
  MIMKIT_TRY(arena.allocate(m * m, &st.QQ, "phase-1 theory state"));
  MIMKIT_TRY(arena.allocate(m * m, &st.PMP, "phase-1 theory state"));
  MIMKIT_TRY(arena.allocate(r * n, &st.Ured, "phase-1 theory state"));
  MIMKIT_TRY(arena.allocate(metrics_workspace(m, n, r), &st.mwork, "phase-1 theory metrics"));
  // Setup scratch: the perp basis (m x d), or the quadrature rule and its scratch.
  const std::size_t setup =
      m * d > 2 * q + theory::rule_scratch(q) ? m * d : 2 * q + theory::rule_scratch(q);
  MIMKIT_TRY(arena.allocate(setup, &st.basis, "phase-1 theory setup"));
  return Status();
}

Status check(const RunConfig& c) {
  MIMKIT_TRY(validate(c));
  if (c.r > kTheoryMaxR) {
    return Status::error(Code::invalid_argument, "r",
                         "r = %zu is out of range for the theory (allowed: 1..%zu)", c.r,
                         kTheoryMaxR);
  }
  if (c.m > kMaxUnits) {
    return Status::error(Code::invalid_argument, "m",
                         "m = %zu is out of range for the phase-1 theory (allowed: 2..%zu)", c.m,
                         kMaxUnits);
  }
  if (c.variant != Variant::layerwise && c.variant != Variant::online) {
    return Status::error(Code::invalid_argument, "variant",
                         "variant = %s has no population dynamics here (allowed: layerwise, "
                         "online)",
                         variant_name(c.variant));
  }
  return Status();
}

// E[T], A = E[T z z^T], K = E[T z^(x4)], and the same with c(y), by the mirrored rule.
Status moments(State& st, const Link& link) {
  const RunConfig& c = st.cfg;
  const std::size_t r = st.r, r2 = r * r, r4 = r2 * r2;
  std::size_t dims = 0, q = 0;
  sizes(c, &dims, &q);
  const train::LossFn loss = train::make_loss(c, nullptr);
  double* x = st.basis;
  double* w = x + q;
  theory::mirrored_rule(q, x, w, w + q);
  const theory::Grid grid = theory::product_grid(r, dims, q, x, w);
  for (std::size_t e = 0; e < r4; ++e) st.K[e] = st.Kc[e] = 0;
  double z[R + 1];
  for (std::uint64_t idx = 0; idx < grid.count; ++idx) {
    const double weight = grid.node(idx, z);
    if (!(weight > 0)) continue;
    double y = 0;
    MIMKIT_TRY(theory::label_at(link, grid, c.noise, z, &y));
    // T(y) = -loss'(0, y) and c(y) = d loss'(t, y) / dt at t = 0, from the training code.
    const double t = weight * train::spectral_transform(SpectralTransform::loss, loss, y);
    const double cc = weight * loss.curvature(0.0, y);
    st.ET += t;
    st.Ec += cc;
    for (std::size_t a = 0; a < r; ++a) {
      for (std::size_t b = 0; b < r; ++b) {
        const double zab = z[a] * z[b];
        st.A[a * r + b] += t * zab;
        st.Mc[a * r + b] += cc * zab;
        for (std::size_t e = 0; e < r2; ++e) {
          const double z4 = zab * z[e / r] * z[e % r];
          st.K[(a * r + b) * r2 + e] += t * z4;
          st.Kc[(a * r + b) * r2 + e] += cc * z4;
        }
      }
    }
  }
  // Directions: eigenvectors of M_T = A - E[T] I, descending.
  double M[R * R], vec[R * R], work[R * R];
  for (std::size_t a = 0; a < r; ++a) {
    for (std::size_t b = 0; b < r; ++b) M[a * r + b] = st.A[a * r + b] - (a == b) * st.ET;
  }
  if (!linalg::eigh(M, r, r, st.mu, vec, r, work)) {
    return Status::error(Code::numerical_error, "link", "the moments of '%s' are not finite",
                         link.spec());
  }
  for (std::size_t k = 0; k < r; ++k) {
    for (std::size_t a = 0; a < r; ++a) st.V[k * r + a] = vec[a * r + k];
  }
  return Status();
}

// P0 = W0 U^T, and Q0 = the components outside span U in an orthonormal basis of their span.
void start(State& st, const double* W0, std::size_t ldw, const double* U) {
  const std::size_t m = st.m, r = st.r, d = st.d;
  double* B = st.basis;
  for (std::size_t j = 0; j < m; ++j) {
    const double* w = W0 + j * ldw;
    for (std::size_t a = 0; a < r; ++a) {
      double dot = 0;
      for (std::size_t i = 0; i < d; ++i) dot += w[i] * U[a * d + i];
      st.P0[j * r + a] = dot;
    }
    for (std::size_t i = 0; i < d; ++i) {
      double v = w[i];
      for (std::size_t a = 0; a < r; ++a) v -= st.P0[j * r + a] * U[a * d + i];
      B[j * d + i] = v;
    }
  }
  // The rows of B that stay nonzero after orthonormalisation are the basis (pairs of units
  // start equal, so about m/2 of them).
  linalg::orthonormalize_rows(B, m, d, d);
  st.k = 0;
  std::size_t kept[kMaxUnits];
  for (std::size_t j = 0; j < m; ++j) {
    double norm = 0;
    for (std::size_t i = 0; i < d; ++i) norm += B[j * d + i] * B[j * d + i];
    if (norm > 0.5) kept[st.k++] = j;
  }
  for (std::size_t j = 0; j < m; ++j) {
    const double* w = W0 + j * ldw;
    for (std::size_t b = 0; b < m; ++b) st.Q0[j * m + b] = 0;
    for (std::size_t b = 0; b < st.k; ++b) {
      const double* e = B + kept[b] * d;
      double dot = 0;
      for (std::size_t i = 0; i < d; ++i) dot += w[i] * e[i];  // e is orthogonal to U
      st.Q0[j * m + b] = dot;
    }
  }
}

// K(x, y, z)_e = sum_abc K[abce] x_a y_b z_c.
void contract3(const double* K, std::size_t r, const double* x, const double* y, const double* z,
               double* out) {
  for (std::size_t e = 0; e < r; ++e) out[e] = 0;
  for (std::size_t a = 0; a < r; ++a) {
    for (std::size_t b = 0; b < r; ++b) {
      const double xy = x[a] * y[b];
      if (xy == 0) continue;
      for (std::size_t c = 0; c < r; ++c) {
        const double xyz = xy * z[c];
        const double* row = K + ((a * r + b) * r + c) * r;
        for (std::size_t e = 0; e < r; ++e) out[e] += xyz * row[e];
      }
    }
  }
}

// K(S, p)_e = sum_abc K[abce] S_ab p_c.
void contract_matrix(const double* K, std::size_t r, const double* S, const double* p,
                     double* out) {
  for (std::size_t e = 0; e < r; ++e) out[e] = 0;
  for (std::size_t a = 0; a < r; ++a) {
    for (std::size_t b = 0; b < r; ++b) {
      for (std::size_t c = 0; c < r; ++c) {
        const double f = S[a * r + b] * p[c];
        const double* row = K + ((a * r + b) * r + c) * r;
        for (std::size_t e = 0; e < r; ++e) out[e] += f * row[e];
      }
    }
  }
}

// out = A x, A r x r row-major.
void matvec(const double* A, const double* x, std::size_t r, double* out) {
  for (std::size_t a = 0; a < r; ++a) {
    double s = 0;
    for (std::size_t b = 0; b < r; ++b) s += A[a * r + b] * x[b];
    out[a] = s;
  }
}

double unit_sign(const State& st, std::size_t j) {
  return j < st.m / 2 ? 1.0 : -1.0;
}

// The step direction G (m x (r + k), the z part then the zeta part) and its linear part L.
void gradient(State& st, bool cubic) {
  const std::size_t m = st.m, r = st.r, k = st.k, n = r + k;
  const double* W = st.W;
  for (std::size_t j = 0; j < m; ++j) {
    const double* p = W + j * n;
    const double* q = p + r;
    double* g = st.G + j * n;
    double* l = st.L + j * n;
    double ap[R];
    matvec(st.A, p, r, ap);
    for (std::size_t a = 0; a < r; ++a) l[a] = -ap[a];
    for (std::size_t i = 0; i < k; ++i) l[r + i] = -st.ET * q[i];
    for (std::size_t e = 0; e < n; ++e) g[e] = l[e];
  }
  if (!cubic) return;
  double S[R * R] = {};
  double s1 = 0, s2 = 0;
  for (std::size_t l = 0; l < m; ++l) {
    const double al = unit_sign(st, l);
    const double* p = W + l * n;
    const double* q = p + r;
    double qn = 0;
    for (std::size_t i = 0; i < k; ++i) qn += q[i] * q[i];
    s1 += al * qn;
    double pmp = 0;
    for (std::size_t a = 0; a < r; ++a) {
      for (std::size_t b = 0; b < r; ++b) pmp += p[a] * st.Mc[a * r + b] * p[b];
    }
    s2 += al * (pmp + st.Ec * qn);
    for (std::size_t a = 0; a < r; ++a) {
      for (std::size_t b = 0; b < r; ++b) S[a * r + b] += al * p[a] * p[b];
    }
  }
  // QQ = Q Q^T, PMP = P Mc P^T.
  for (std::size_t j = 0; j < m; ++j) {
    const double* pj = W + j * n;
    double mcp[R];
    matvec(st.Mc, pj, r, mcp);
    for (std::size_t l = 0; l < m; ++l) {
      const double* pl = W + l * n;
      double qq = 0, pmp = 0;
      for (std::size_t i = 0; i < k; ++i) qq += pl[r + i] * pj[r + i];
      for (std::size_t a = 0; a < r; ++a) pmp += pl[a] * mcp[a];
      st.QQ[l * m + j] = qq;
      st.PMP[l * m + j] = pmp;
    }
  }
  for (std::size_t j = 0; j < m; ++j) {
    const double* p = W + j * n;
    const double* q = p + r;
    double* g = st.G + j * n;
    double qn = 0;
    for (std::size_t i = 0; i < k; ++i) qn += q[i] * q[i];
    double tmp[R];
    if (st.gamma != 0) {
      double ap[R];
      matvec(st.A, p, r, ap);
      double pap = 0;
      for (std::size_t a = 0; a < r; ++a) pap += p[a] * ap[a];
      contract3(st.K, r, p, p, p, tmp);
      for (std::size_t a = 0; a < r; ++a) g[a] += st.gamma * (tmp[a] + 3 * qn * ap[a]);
      const double f = 3 * st.gamma * (pap + st.ET * qn);
      for (std::size_t i = 0; i < k; ++i) g[r + i] += f * q[i];
    }
    if (st.output) {
      contract_matrix(st.Kc, r, S, p, tmp);
      double mcp[R];
      matvec(st.Mc, p, r, mcp);
      double cross[R] = {};
      for (std::size_t l = 0; l < m; ++l) {
        const double f = unit_sign(st, l) * st.QQ[l * m + j];
        const double* pl = W + l * n;
        for (std::size_t a = 0; a < r; ++a) cross[a] += f * pl[a];
      }
      double mc_cross[R];
      matvec(st.Mc, cross, r, mc_cross);
      for (std::size_t a = 0; a < r; ++a) g[a] += 0.5 * tmp[a] + mc_cross[a] + 0.5 * s1 * mcp[a];
      for (std::size_t l = 0; l < m; ++l) {
        const double f = unit_sign(st, l) * (st.PMP[l * m + j] + st.Ec * st.QQ[l * m + j]);
        const double* ql = W + l * n + r;
        for (std::size_t i = 0; i < k; ++i) g[r + i] += f * ql[i];
      }
      for (std::size_t i = 0; i < k; ++i) g[r + i] += 0.5 * s2 * q[i];
    }
  }
}

}  // namespace

std::size_t Phase1Theory::plan(const RunConfig& config) noexcept {
  RunConfig c = config;
  resolve(&c);
  if (!check(c).ok()) return 0;
  Arena measure = Arena::measure();
  void* mem = nullptr;
  measure.allocate_bytes(sizeof(State), &mem, "phase-1 theory state");
  State st;
  st.cfg = c;
  st.m = c.m;
  st.r = c.r;
  st.d = c.d;
  if (!carve(st, measure).ok()) return 0;
  return measure.used();
}

Status Phase1Theory::init(const Link& link, const RunConfig& config, const double* W0,
                          std::size_t ldw, const double* U, Arena& arena) noexcept {
  if (state_ != nullptr) {
    return Status::error(Code::invalid_argument, "theory", "init() was already called");
  }
  RunConfig c = config;
  resolve(&c);
  MIMKIT_TRY(check(c));
  if (!link.valid() || link.r() != c.r) {
    return Status::error(Code::invalid_argument, "link",
                         "the link has r = %zu but the run has r = %zu (allowed: equal)", link.r(),
                         c.r);
  }
  if (W0 == nullptr || U == nullptr || ldw < c.d) {
    return Status::error(Code::invalid_argument, "W0",
                         "the start W0 (m x d, ldw >= d) and U (r x d) are required");
  }
  const std::size_t need = plan(c);
  if (arena.capacity() - arena.used() < need) {
    return Status::error(Code::arena_too_small, "arena",
                         "the phase-1 theory needs %zu bytes (plan()) but the arena has %zu free",
                         need, arena.capacity() - arena.used());
  }
  void* mem = nullptr;
  MIMKIT_TRY(arena.allocate_bytes(sizeof(State), &mem, "phase-1 theory state"));
  State& st = *new (mem) State();
  st.cfg = c;
  st.m = c.m;
  st.r = c.r;
  st.d = c.d;
  st.gamma = c.activation == Activation::logcosh ? 1.0 / 3.0 : 0.0;
  st.output = c.loss != Loss::absolute;
  MIMKIT_TRY(carve(st, arena));
  MIMKIT_TRY(moments(st, link));
  start(st, W0, ldw, U);
  state_ = mem;
  return Status();
}

const double* Phase1Theory::directions() const noexcept {
  return state_ != nullptr ? static_cast<const State*>(state_)->V : nullptr;
}

const double* Phase1Theory::eigenvalues() const noexcept {
  return state_ != nullptr ? static_cast<const State*>(state_)->mu : nullptr;
}

Status Phase1Theory::predict(bool cubic, Phase1TheoryPoint* out, std::size_t capacity) noexcept {
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "theory", "predict() before a successful init()");
  }
  State& st = *static_cast<State*>(state_);
  const RunConfig& c = st.cfg;
  if (out == nullptr || capacity < c.T1 + 1) {
    return Status::error(Code::invalid_argument, "capacity",
                         "capacity = %zu points is too small (allowed: >= T1 + 1 = %zu)", capacity,
                         c.T1 + 1);
  }
  const std::size_t m = st.m, r = st.r, k = st.k, n = r + k;
  for (std::size_t j = 0; j < m; ++j) {
    for (std::size_t a = 0; a < r; ++a) st.W[j * n + a] = st.P0[j * r + a];
    for (std::size_t i = 0; i < k; ++i) st.W[j * n + r + i] = st.Q0[j * m + i];
  }
  for (std::size_t a = 0; a < r; ++a) {
    for (std::size_t e = 0; e < n; ++e) st.Ured[a * n + e] = e == a;
  }
  for (std::size_t step = 0; step <= c.T1; ++step) {
    Phase1TheoryPoint& pt = out[step];
    pt = Phase1TheoryPoint();
    pt.step = step;
    double in = 0;
    for (std::size_t j = 0; j < m; ++j) {
      const double* p = st.W + j * n;
      for (std::size_t kk = 0; kk < r; ++kk) {
        double dot = 0;
        for (std::size_t a = 0; a < r; ++a) dot += p[a] * st.V[kk * r + a];
        pt.mass[kk] += dot * dot;
      }
      for (std::size_t i = 0; i < k; ++i) pt.mass_perp += p[r + i] * p[r + i];
    }
    for (std::size_t kk = 0; kk < r; ++kk) in += pt.mass[kk];
    pt.alignment = in + pt.mass_perp > 0 ? in / (in + pt.mass_perp) : 0;
    MIMKIT_TRY(weight_metrics<double>(st.W, m, n, n, st.Ured, r, st.mwork, &pt.subspace));
    if (step == c.T1) break;
    gradient(st, cubic);
    double lin = 0, cub = 0;
    for (std::size_t j = 0; j < m; ++j) {
      const double a = unit_sign(st, j);
      for (std::size_t e = 0; e < n; ++e) {
        const double g = st.G[j * n + e];
        lin += st.L[j * n + e] * st.L[j * n + e];
        cub += (g - st.L[j * n + e]) * (g - st.L[j * n + e]);
        double& w = st.W[j * n + e];
        w = w - c.eta1 * (a * g + c.beta1 * w);
        if (!std::isfinite(w)) {
          return Status::error(Code::numerical_error, "phase1",
                               "the population dynamics diverges at step %zu (lower eta1)",
                               step + 1);
        }
      }
    }
    pt.cubic_share = lin > 0 ? std::sqrt(cub / lin) : 0;
  }
  return Status();
}

}  // namespace mimkit
