// What phase 1 can grow at finite alpha (docs/ALGORITHM.md section 9.6): S_T's predicted
// spectrum shifted by mean(T), seen through one small-weight step of each sign of a_j.
#include <cmath>

#include "mimkit/theory.hpp"

namespace mimkit {

namespace {

Status check_step(double eta1, double beta1) {
  if (!(eta1 > 0) || !std::isfinite(eta1)) {
    return Status::error(Code::invalid_argument, "eta1",
                         "eta1 = %g is not allowed (allowed: a finite number > 0)", eta1);
  }
  if (!(beta1 >= 0) || !std::isfinite(beta1)) {
    return Status::error(Code::invalid_argument, "beta1",
                         "beta1 = %g is not allowed (allowed: a finite number >= 0)", beta1);
  }
  return Status();
}

}  // namespace

Status phase1_growth(const TheorySummary& summary, const SpectralPrediction& p, double eta1,
                     double beta1, Phase1Growth* out) noexcept {
  MIMKIT_TRY(check_step(eta1, beta1));
  Phase1Growth g;
  const double c = summary.mean_T;
  const bool edges = std::isfinite(p.bulk_top) && std::isfinite(p.bulk_bottom);
  for (std::size_t k = 0; k < summary.r; ++k) {
    if (!edges || (summary.dir[k].side != 0 && !summary.dir[k].predicted)) {
      g.rate[k] = NAN;
      continue;
    }
    if (!std::isfinite(p.outlier[k])) {
      g.rate[k] = 0;  // no outlier: the direction is spread over the bulk
      continue;
    }
    // max over s of |b + s eta1 l| is |b| + eta1 |l|: the better sign for the direction, and the
    // faster of both signs and both edges for the bulk.
    const double b = std::fabs(1 - eta1 * beta1);
    const double own = b + eta1 * std::fabs(p.outlier[k] + c);
    const double bulk =
        b + eta1 * std::fmax(std::fabs(p.bulk_top + c), std::fabs(p.bulk_bottom + c));
    g.rate[k] = bulk > 0 ? own / bulk : (own > 0 ? INFINITY : 0);
    g.grows[k] = g.rate[k] > 1;
  }
  g.min_cosine = INFINITY;
  for (std::size_t k = 0; k < summary.r; ++k) {
    const double cos = g.grows[k] ? std::sqrt(p.overlap[k]) : 0;
    if (std::isnan(g.rate[k]) || std::isnan(cos)) {
      g.min_cosine = NAN;
      break;
    }
    g.min_cosine = std::fmin(g.min_cosine, cos);
  }
  *out = g;
  return Status();
}

Status phase1_growth_threshold(const SpectralTheory& theory, std::size_t k,
                               double* alpha) noexcept {
  const TheorySummary& s = theory.summary();
  if (s.r == 0) {
    return Status::error(Code::invalid_argument, "theory",
                         "the SpectralTheory has not been initialised (call init first)");
  }
  if (k >= s.r) {
    return Status::error(Code::invalid_argument, "k",
                         "direction %zu does not exist (allowed: 0..%zu)", k, s.r - 1);
  }
  // grows(a): 1 grows, 0 does not, -1 not predicted.
  auto grows = [&](double x, int* out) -> Status {
    SpectralPrediction p;
    Phase1Growth g;
    MIMKIT_TRY(theory.predict(x, &p));
    MIMKIT_TRY(phase1_growth(s, p, 1, 1, &g));  // grows does not depend on eta1, beta1
    *out = std::isnan(g.rate[k]) ? -1 : (g.grows[k] ? 1 : 0);
    return Status();
  };
  // 5 points per decade from 0.01 to 1e6, by repeated multiplication (not pow, whose last bit
  // may differ between C libraries: the answer must be the same bytes everywhere).
  const double kStep = 1.5848931924611136;  // 10^(1/5)
  constexpr int kPoints = 5 * 8;
  double last_no = -1;  // largest grid alpha where it does not grow
  double a = 0.01;
  for (int i = 0; i <= kPoints; ++i, a *= kStep) {
    int g = 0;
    MIMKIT_TRY(grows(a, &g));
    if (g < 0) {
      *alpha = NAN;
      return Status();
    }
    if (g == 0) last_no = a;
  }
  if (last_no < 0) {
    *alpha = 0.01;
    return Status();
  }
  double lo = last_no, hi = last_no * kStep;
  if (lo >= 0.99e6) {
    *alpha = INFINITY;
    return Status();
  }
  while (hi - lo > 1e-6 * lo) {
    const double mid = std::sqrt(lo * hi);
    int g = 0;
    MIMKIT_TRY(grows(mid, &g));
    (g == 1 ? hi : lo) = mid;
  }
  *alpha = hi;
  return Status();
}

}  // namespace mimkit
