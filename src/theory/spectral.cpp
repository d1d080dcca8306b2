// SpectralTheory's public API (docs/ALGORITHM.md sections 9.1-9.4): validate, plan, init (the
// laws, the summary and the thresholds), predict; the steps are in the files spectral_state.hpp
// lists.
#include <cmath>
#include <new>

#include "mimkit/theory.hpp"
#include "theory/quadrature.hpp"
#include "theory/spectral_state.hpp"

namespace mimkit {

namespace {

using theory::kInf;
using theory::kMinEnergy;
using theory::NodeKey;
using theory::R;
using theory::SpectralLaw;
using theory::SpectralState;

}  // namespace

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
  measure.allocate_bytes(sizeof(SpectralState), &mem, "theory state");
  SpectralState st;
  st.cfg = config;
  double* scratch = nullptr;
  NodeKey* keys = nullptr;
  if (!theory::carve(st, theory::sizes(config), measure, &scratch, &keys).ok()) return 0;
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
  MIMKIT_TRY(arena.allocate_bytes(sizeof(SpectralState), &mem, "theory state"));
  SpectralState& st = *new (mem) SpectralState();
  st.cfg = config;
  const theory::Sizes z = theory::sizes(config);
  double* scratch = nullptr;
  NodeKey* keys = nullptr;
  MIMKIT_TRY(theory::carve(st, z, arena, &scratch, &keys));
  for (int l = 0; l < 2; ++l)
    MIMKIT_TRY(theory::build_law(st, st.law[l], link, keys, scratch, l == 0));

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
  const SpectralLaw& fine = st.law[0];
  sum.mean_T = fine.mean_T;
  sum.sup_T = st.bounded_above ? fine.tc.tmax : kInf;
  sum.inf_T = st.bounded_below ? fine.tc.tmin : -kInf;
  for (std::size_t e = 0; e < config.r * config.r; ++e) sum.M[e] = fine.M[e];
  sum.alpha_opt_error = std::fabs(st.law[0].alpha_opt - st.law[1].alpha_opt);
  if (!std::isfinite(sum.alpha_opt_error)) sum.alpha_opt_error = 0;
  theory::directions(st);
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
  for (int l = 0; l < 2; ++l) theory::fill_tables(st, st.law[l]);
  const std::size_t r = config.r;
  for (std::size_t k = 0; k < r; ++k) {
    TheoryDirection& d = sum.dir[k];
    d.predicted = d.side != 0 && (d.side > 0 ? st.bounded_above : st.bounded_below);
    double coarse_mu = theory::quad_form(st.law[1].M, d.v, r);
    d.mu_error = std::fabs(d.mu - coarse_mu);
    if (d.side == 0) {
      d.alpha_c = kInf;
    } else if (!d.predicted) {
      d.alpha_c = NAN;
    } else {
      d.alpha_c = theory::threshold(st, st.law[0], k, d.side);
      const double coarse = theory::threshold(st, st.law[1], k, d.side);
      d.alpha_c_error =
          std::isfinite(d.alpha_c) && std::isfinite(coarse) ? std::fabs(d.alpha_c - coarse) : 0;
    }
    if (sum.fixed_eigenbasis) {
      const double e0 = theory::direction_energy(st.law[0].ys, r, d.v);
      const double e1 = theory::direction_energy(st.law[1].ys, r, d.v);
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
  return state_ != nullptr ? static_cast<const SpectralState*>(state_)->summary : kEmpty;
}

Status SpectralTheory::predict(double alpha, SpectralPrediction* out) const noexcept {
  if (state_ == nullptr) {
    return Status::error(Code::invalid_argument, "theory", "predict() before a successful init()");
  }
  if (!(alpha > 0) || !std::isfinite(alpha)) {
    return Status::error(Code::invalid_argument, "alpha",
                         "alpha = %g is not allowed (allowed: a finite number > 0)", alpha);
  }
  const SpectralState& st = *static_cast<const SpectralState*>(state_);
  const std::size_t r = st.cfg.r;
  SpectralPrediction p;
  p.alpha = alpha;
  double xbar[2][2] = {};  // [law][side]
  for (int l = 0; l < 2; ++l) {
    for (int si = 0; si < 2; ++si) {
      if (!(si == 0 ? st.bounded_above : st.bounded_below)) continue;
      xbar[l][si] = theory::lbar_offset(st, st.law[l], si, alpha);
    }
  }
  const SpectralLaw& fine = st.law[0];
  for (int si = 0; si < 2; ++si) {
    const int s = si == 0 ? 1 : -1;
    double edge = s * kInf;
    if (si == 0 ? st.bounded_above : st.bounded_below) {
      theory::Moments m;
      const double l = fine.tau[si] + xbar[0][si];
      theory::moments(fine.tc, s, l, false, &m);
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
    const int si = theory::side_index(d.side);
    const theory::Outlier o = theory::outlier(st, fine, k, d.side, alpha, xbar[0][si]);
    const theory::Outlier oc = theory::outlier(st, st.law[1], k, d.side, alpha, xbar[1][si]);
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
  const SpectralState& st = *static_cast<const SpectralState*>(state_);
  return st.cfg.T == Transform::optimal ? theory::optimal_T(st.law[0].ys, st.summary.v_opt, y)
                                        : theory::transform(st.cfg.T, st.cfg.delta, y);
}

}  // namespace mimkit
