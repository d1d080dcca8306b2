// The state of SpectralTheory and its internal steps (docs/ALGORITHM.md sections 9.1-9.4),
// one file per concept:
//   spectral_setup.cpp       the quadrature laws (fine and coarse rule) and the directions of M_T
//   spectral_equations.cpp   the per-direction threshold and outlier equations (section 9.2)
//   best_preprocessing.cpp   the operator F, the fixed eigenbasis and T* (section 9.3)
//   transform.cpp            the label transforms (T(y) itself: src/train/loss.cpp)
//   spectral.cpp             the public API: validate, plan, init, predict
#pragma once

#include <cmath>
#include <cstddef>

#include "mimkit/arena.hpp"
#include "mimkit/link.hpp"
#include "mimkit/status.hpp"
#include "mimkit/theory.hpp"
#include "theory/law.hpp"

namespace mimkit {
namespace theory {

constexpr std::size_t R = kTheoryMaxR;
constexpr double kInf = HUGE_VAL;
// The l - sup T axis of the tables: scale * 2^(j/8 - 40), j < kTable (1e-12 .. 1e6 x scale).
constexpr std::size_t kTable = 480;
// E[G(y)^2] below this is quadrature noise (a link with E[z z^T | y] = I gives about 1e-17, lifted
// by the projection's 1e-12 ridge): alpha_opt above 1e10 is reported as infinity.
constexpr double kMinEnergy = 1e-10;

// One resolution of the quadrature and everything built from it.
struct SpectralLaw {
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

struct SpectralState {
  TheoryConfig cfg;
  bool bounded_above = false, bounded_below = false;
  SpectralLaw law[2];  // fine, coarse
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

struct Outlier {
  bool exists = false;
  double value = NAN;  // eigenvalue of S_T
  double overlap = 0;  // squared overlap with span U
};

// ----- spectral_setup.cpp

/// Nodes and buffer sizes of one configuration.
struct Sizes {
  std::size_t dims, q, qc, keys, scratch, tcap[2];
};
Sizes sizes(const TheoryConfig& c);
/// Carves every buffer of st's laws (the same calls for plan() and init()).
Status carve(SpectralState& st, const Sizes& z, Arena& arena, double** scratch, NodeKey** keys);
/// The law of one resolution: labels, y splines (and F), the transform, t cells and M_T. The
/// fine law (fine = true) comes first: it sets summary.v_opt, which T = optimal uses on both.
Status build_law(SpectralState& st, SpectralLaw& law, const Link& link, NodeKey* keys,
                 double* scratch, bool fine);
/// The eigen-directions of the fine M_T into st.summary (by descending mu), their sides and
/// side ranks.
void directions(SpectralState& st);

// ----- spectral_equations.cpp

/// The moments of side s at l (E1 and B; Gamma and C too when `matrices`).
void moments(const TCells& tc, int s, double l, bool matrices, Moments* out);
/// v^T A v, A r x r row-major.
double quad_form(const double* A, const double* v, std::size_t r);
/// Per side (+1, -1) the index into SpectralLaw's per-side arrays.
int side_index(int side);
/// The tables of B and gamma over l - sup T, per bounded side.
void fill_tables(SpectralState& st, SpectralLaw& law);
/// alpha_c of direction k on side s (section 9.2).
double threshold(const SpectralState& st, const SpectralLaw& law, std::size_t k, int s);
/// lbar - sup T on side si at alpha: the bulk edge's l.
double lbar_offset(const SpectralState& st, const SpectralLaw& law, int si, double alpha);
/// The outlier of direction k (side s) at alpha, above lbar = sup T + xbar.
Outlier outlier(const SpectralState& st, const SpectralLaw& law, std::size_t k, int s, double alpha,
                double xbar);

// ----- best_preprocessing.cpp

/// ||F|| and the leading direction of F's top eigen-matrix.
double f_operator(const YSplines& ys, std::size_t r, double* v_top);
/// E[(v . G(y) v)^2], from the projection.
double direction_energy(const YSplines& ys, std::size_t r, const double* v);
/// True when E[z z^T | y] has one eigenbasis for all y; V (r x r, column k = v_k) is that basis.
bool find_fixed_basis(const YSplines& ys, std::size_t r, double* V);
/// T*(y) = 1 - 1/E[(v . z)^2 | y] from the spline projection, floored at -10.
double optimal_T(const YSplines& ys, const double* v, double y);

// ----- transform.cpp

/// T(y) for every Transform but optimal (src/train/loss.cpp computes it), clip level delta.
double transform(Transform T, double delta, double y);

}  // namespace theory
}  // namespace mimkit
