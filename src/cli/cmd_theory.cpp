// mimkit theory: the proportional-limit predictions of docs/ALGORITHM.md section 9 (the spectral
// estimator's thresholds and overlap curve; with --phase1, the population dynamics of a run).
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "mimkit/mimkit.hpp"
#include "sweep_grid.hpp"

namespace mimkit {
namespace cli {

namespace {

const char kTheoryHelp[] =
    "usage: mimkit theory [--link SPEC] [--r R] [--T T] [options]\n"
    "       mimkit theory --phase1 [--preset NAME] [--config FILE] [--set key=value ...]\n"
    "\n"
    "Predictions for n1, d -> infinity at alpha = n1/d (docs/ALGORITHM.md section 9).\n"
    "By default: the population matrix M_T = E[T(y)(z z^T - I)] (eigenvalues and directions),\n"
    "each direction's weak-recovery threshold alpha_c of the spectral estimator S_T, the best\n"
    "threshold any T reaches (alpha_opt), and over the alpha grid the bulk edges of S_T, each\n"
    "direction's outlier and squared overlap with span U, and the principal cosines mimkit's\n"
    "estimator should report. Numbers carry an error estimate (a coarser quadrature); alpha_c\n"
    "is not predicted on a side where T is unbounded (T = y or abs with polynomial links).\n"
    "\n"
    "options:\n"
    "  --link SPEC     the link g (default he2(z1)+0.5*he2(z2))\n"
    "  --r R           hidden directions, 1..8 (default: the largest zK in SPEC; 2 for norm2)\n"
    "  --T T           y | identity | sign | clip | abs | optimal, or a loss: squared |\n"
    "                  absolute | huber (its T: y, sign, clip); default y\n"
    "  --delta D       clip level of T = clip (default 1, as huber_delta)\n"
    "  --noise TAU     label noise (default 0)\n"
    "  --alpha LIST    v1,v2,... or lo:hi:count or lo:hi:count:log (default 0.25:16:9:log)\n"
    "  --nodes Q       quadrature nodes per dimension, even, 4..512 (default: the most that fit\n"
    "                  2^20 nodes)\n"
    "  --eta1 E, --beta1 B  phase 1's step and weight decay for what phase 1 can grow\n"
    "                  (section 9.6): per alpha, how much faster than S_T's bulk (both shifted\n"
    "                  by E[T]) a small-weight step grows each direction; per direction, the\n"
    "                  alpha from which that rate exceeds 1 (which does not depend on E and B).\n"
    "                  Default 1 and 1, pure power iteration as in the E7/E8 presets (mimkit\n"
    "                  run's defaults are 0.5 and 0.8)\n"
    "  --json          one JSON object instead of text: M_T, directions (alpha_c, alpha_opt,\n"
    "                  alpha_phase1), eta1, beta1 and the curve (per alpha: bulk, outliers,\n"
    "                  overlaps, cosines, phase1_rate, phase1_min_cosine); non-finite numbers\n"
    "                  as null, except a threshold never reached: \"infinity\"\n"
    "  --jsonl         one JSON line per alpha: grid {alpha, d = infinity, and loss when T is\n"
    "                  a loss's T},\n"
    "                  theory {min_cosine, cosines, overlap, outlier, bulk_top, bulk_bottom,\n"
    "                  phase1_rate, phase1_min_cosine}.\n"
    "                  Appended to a sweep's JSONL, mimkit plot --y\n"
    "                  spectral.min_cosine,theory.min_cosine draws prediction and measurement\n"
    "  --phase1        the n1 = infinity dynamics of phase 1 for the run configuration given by\n"
    "                  --preset, --config and --set, from that run's own start: per step the\n"
    "                  mass along each eigen-direction of M_T (the loss's T) and outside span U,\n"
    "                  alignment and smallest cosine, at linear and cubic order\n";

// Non-finite numbers as JSON null.
std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string array(const double* v, std::size_t n) {
  std::string s = "[";
  for (std::size_t i = 0; i < n; ++i) s += (i ? ", " : "") + num(v[i]);
  return s + "]";
}

// The largest k with "zk" in the spec (0 when there is none).
std::size_t largest_variable(const std::string& spec) {
  std::size_t r = 0;
  for (std::size_t i = 0; i + 1 < spec.size(); ++i) {
    const bool word_start = i == 0 || !std::isalnum(static_cast<unsigned char>(spec[i - 1]));
    if (spec[i] != 'z' || !word_start || !std::isdigit(static_cast<unsigned char>(spec[i + 1]))) {
      continue;
    }
    std::size_t k = 0;
    for (std::size_t j = i + 1;
         j < spec.size() && std::isdigit(static_cast<unsigned char>(spec[j])); ++j) {
      k = k * 10 + static_cast<std::size_t>(spec[j] - '0');
      if (k > 1000) break;
    }
    if (k > r) r = k;
  }
  return r;
}

// "v1,v2,..." or "lo:hi:count[:log]", every value > 0.
Status parse_alphas(const std::string& text, std::vector<double>* out) {
  if (text.find(':') != std::string::npos) {
    Range range;
    if (!parse_range(text, &range) || range.lo <= 0 || range.hi <= 0) {
      return Status::error(Code::invalid_argument, "--alpha",
                           "'%s' is not v1,v2,... or lo:hi:count[:log] (allowed: values > 0, "
                           "count 1..10000)",
                           text.c_str());
    }
    *out = range.values();
    return Status();
  }
  std::stringstream ss(text);
  std::string p;
  while (std::getline(ss, p, ',')) {
    double v = 0;
    if (!parse_f64(p, &v) || !(v > 0)) {
      return Status::error(Code::invalid_argument, "--alpha",
                           "'%s' in '%s' is not a number > 0 (allowed: v1,v2,... or "
                           "lo:hi:count[:log])",
                           p.c_str(), text.c_str());
    }
    out->push_back(v);
  }
  return Status();
}

const char* side_name(int side) {
  return side > 0 ? "above" : (side < 0 ? "below" : "none");
}

int spectral(const Args& args) {
  std::string spec, t_name, alpha_text;
  if (int code = report(args.get_string("link", "he2(z1)+0.5*he2(z2)", &spec))) return code;
  if (int code = report(args.get_string("T", "y", &t_name))) return code;
  if (int code = report(args.get_string("alpha", "0.25:16:9:log", &alpha_text))) return code;
  TheoryConfig c;
  const std::size_t inferred = largest_variable(spec);
  std::uint64_t r = 0, nodes = 0;
  if (int code = report(args.get_size("r", inferred > 0 ? inferred : 2, 1, kTheoryMaxR, &r))) {
    return code;
  }
  if (int code = report(args.get_size("nodes", 0, 0, 512, &nodes))) return code;
  c.r = r;
  c.nodes = nodes;
  if (int code = report(args.get_double("delta", 1.0, 1e-300, 1e300, &c.delta))) return code;
  if (int code = report(args.get_double("noise", 0.0, 0.0, 1e300, &c.noise))) return code;
  double eta1 = 1, beta1 = 1;
  if (int code = report(args.get_double("eta1", 1.0, 1e-300, 1e300, &eta1))) return code;
  if (int code = report(args.get_double("beta1", 1.0, 0.0, 1e300, &beta1))) return code;
  if (int code = report(parse_transform(t_name.c_str(), "--T", &c.T))) return code;
  std::vector<double> alphas;
  if (int code = report(parse_alphas(alpha_text, &alphas))) return code;
  Link link;
  if (int code = report(Link::parse(spec.c_str(), c.r, &link))) return code;
  if (int code = report(validate(c))) return code;
  Status st;
  Arena arena = Arena::owned(SpectralTheory::plan(c), &st);
  if (int code = report(st)) return code;
  SpectralTheory theory;
  if (int code = report(theory.init(link, c, arena))) return code;
  const TheorySummary& s = theory.summary();
  std::vector<SpectralPrediction> curve(alphas.size());
  std::vector<Phase1Growth> growth(alphas.size());
  for (std::size_t i = 0; i < alphas.size(); ++i) {
    if (int code = report(theory.predict(alphas[i], &curve[i]))) return code;
    if (int code = report(phase1_growth(s, curve[i], eta1, beta1, &growth[i]))) return code;
  }
  double grow_from[kTheoryMaxR] = {};
  for (std::size_t k = 0; k < c.r && !args.has("jsonl"); ++k) {
    if (int code = report(phase1_growth_threshold(theory, k, &grow_from[k]))) {
      return code;
    }
  }

  if (args.has("jsonl")) {
    // The loss whose T this is, so a sweep's --where loss=... or --group loss keeps these lines;
    // d = infinity labels the prediction's series when a plot groups by d.
    const char* loss = c.T == Transform::y      ? ", \"loss\": \"squared\""
                       : c.T == Transform::sign ? ", \"loss\": \"absolute\""
                       : c.T == Transform::clip ? ", \"loss\": \"huber\""
                                                : "";
    for (std::size_t i = 0; i < curve.size(); ++i) {
      const SpectralPrediction& p = curve[i];
      std::printf(
          "{\"grid\": {\"alpha\": %s%s, \"d\": \"infinity\"}, \"link\": \"%s\", \"T\": "
          "\"%s\", \"theory\": "
          "{\"min_cosine\": %s, \"cosines\": %s, \"overlap\": %s, \"outlier\": %s, "
          "\"bulk_top\": %s, \"bulk_bottom\": %s, \"phase1_rate\": %s, "
          "\"phase1_min_cosine\": %s}}\n",
          num(p.alpha).c_str(), loss, spec.c_str(), transform_name(c.T),
          num(p.cosines[c.r - 1]).c_str(), array(p.cosines, c.r).c_str(),
          array(p.overlap, c.r).c_str(), array(p.outlier, c.r).c_str(), num(p.bulk_top).c_str(),
          num(p.bulk_bottom).c_str(), array(growth[i].rate, c.r).c_str(),
          num(growth[i].min_cosine).c_str());
    }
    return kExitOk;
  }
  if (args.has("json")) {
    std::string o = "{\"link\": \"" + spec + "\", \"r\": " + std::to_string(c.r) + ", \"T\": \"" +
                    transform_name(c.T) + "\", \"delta\": " + num(c.delta) +
                    ", \"noise\": " + num(c.noise) + ", \"nodes\": " + std::to_string(s.nodes) +
                    ", \"coarse_nodes\": " + std::to_string(s.coarse_nodes) +
                    ", \"mean_T\": " + num(s.mean_T) + ", \"sup_T\": " + num(s.sup_T) +
                    ", \"inf_T\": " + num(s.inf_T) + ", \"M\": [";
    for (std::size_t a = 0; a < c.r; ++a) o += (a ? ", " : "") + array(s.M + a * c.r, c.r);
    o += "], \"fixed_eigenbasis\": " + std::string(s.fixed_eigenbasis ? "true" : "false") +
         ", \"alpha_opt\": " + num(s.alpha_opt) +
         ", \"alpha_opt_error\": " + num(s.alpha_opt_error) +
         ", \"v_opt\": " + array(s.v_opt, c.r) + ", \"directions\": [";
    for (std::size_t k = 0; k < c.r; ++k) {
      const TheoryDirection& d = s.dir[k];
      o += std::string(k ? ", " : "") + "{\"mu\": " + num(d.mu) +
           ", \"mu_error\": " + num(d.mu_error) + ", \"v\": " + array(d.v, c.r) +
           ", \"side\": " + std::to_string(d.side) +
           ", \"predicted\": " + (d.predicted ? "true" : "false") +
           ", \"alpha_c\": " + num(d.alpha_c) + ", \"alpha_c_error\": " + num(d.alpha_c_error) +
           ", \"alpha_opt\": " + num(d.alpha_opt) +
           ", \"alpha_opt_error\": " + num(d.alpha_opt_error) + ", \"alpha_phase1\": " +
           (std::isinf(grow_from[k]) ? std::string("\"infinity\"") : num(grow_from[k])) + "}";
    }
    o += "], \"eta1\": " + num(eta1) + ", \"beta1\": " + num(beta1) + ", \"curve\": [";
    for (std::size_t i = 0; i < curve.size(); ++i) {
      const SpectralPrediction& p = curve[i];
      double kept[kTheoryMaxR];
      for (std::size_t k = 0; k < c.r; ++k) kept[k] = p.selected_by_abs[k] ? 1 : 0;
      o += std::string(i ? ", " : "") + "{\"alpha\": " + num(p.alpha) +
           ", \"bulk_top\": " + num(p.bulk_top) + ", \"bulk_bottom\": " + num(p.bulk_bottom) +
           ", \"outlier\": " + array(p.outlier, c.r) + ", \"overlap\": " + array(p.overlap, c.r) +
           ", \"overlap_error\": " + array(p.overlap_error, c.r) +
           ", \"selected_by_abs\": " + array(kept, c.r) +
           ", \"cosines\": " + array(p.cosines, c.r) +
           ", \"phase1_rate\": " + array(growth[i].rate, c.r) +
           ", \"phase1_min_cosine\": " + num(growth[i].min_cosine) + "}";
    }
    std::printf("%s]}\n", o.c_str());
    return kExitOk;
  }

  std::printf("link %s, r = %zu, T = %s", spec.c_str(), c.r, transform_name(c.T));
  if (c.T == Transform::clip) std::printf(" (delta = %g)", c.delta);
  std::printf(", noise = %g\n", c.noise);
  std::printf("quadrature: %zu nodes per dimension in %zu dimensions (error estimates: %zu)\n",
              s.nodes, s.dims, s.coarse_nodes);
  std::printf("E[T] = %.6g, T in [%g, %g]; E[zz^T | y] has a fixed eigenbasis: %s\n", s.mean_T,
              s.inf_T, s.sup_T, s.fixed_eigenbasis ? "yes" : "no");
  std::printf("best threshold of any T (alpha_opt): %.6g (+- %.2g)\n\n", s.alpha_opt,
              s.alpha_opt_error);
  std::printf("%-4s %-10s %-6s %-21s %-14s %-14s %s\n", "dir", "mu of M_T", "side", "alpha_c",
              "alpha_opt", "phase 1 from", "v");
  for (std::size_t k = 0; k < c.r; ++k) {
    const TheoryDirection& d = s.dir[k];
    char ac[48];
    if (d.side == 0) {
      std::snprintf(ac, sizeof ac, "never (mu = 0)");
    } else if (!d.predicted) {
      std::snprintf(ac, sizeof ac, "not predicted");
    } else {
      std::snprintf(ac, sizeof ac, "%.6g (+- %.1g)", d.alpha_c, d.alpha_c_error);
    }
    char grow[32];
    if (std::isnan(grow_from[k])) {
      std::snprintf(grow, sizeof grow, "not predicted");
    } else if (std::isinf(grow_from[k])) {
      std::snprintf(grow, sizeof grow, "> 1e6");
    } else if (grow_from[k] <= 0.01) {
      std::snprintf(grow, sizeof grow, "<= 0.01");
    } else {
      std::snprintf(grow, sizeof grow, "%.6g", grow_from[k]);
    }
    std::printf("%-4zu %+-10.6f %-6s %-21s %-14.6g %-14s (", k, d.mu, side_name(d.side), ac,
                d.alpha_opt, grow);
    for (std::size_t a = 0; a < c.r; ++a) std::printf("%s%+.4f", a ? ", " : "", d.v[a]);
    std::printf(")\n");
  }
  std::printf("\n%-9s %-22s", "alpha", "bulk of S_T");
  for (std::size_t k = 0; k < c.r; ++k) std::printf(" overlap_%zu outlier_%zu ", k, k);
  std::printf(" cosines (what mimkit's estimator should report)  phase-1 rates\n");
  for (std::size_t i = 0; i < curve.size(); ++i) {
    const SpectralPrediction& p = curve[i];
    char bulk[48];
    std::snprintf(bulk, sizeof bulk, "[%.4g, %.4g]", p.bulk_bottom, p.bulk_top);
    std::printf("%-9.4g %-22s", p.alpha, bulk);
    for (std::size_t k = 0; k < c.r; ++k) {
      char out[24];
      if (std::isnan(p.outlier[k])) {
        std::snprintf(out, sizeof out, "-");
      } else {
        std::snprintf(out, sizeof out, "%.4f%s", p.outlier[k], p.selected_by_abs[k] ? "" : "*");
      }
      std::printf(" %-9.4f %-10s", p.overlap[k], out);
    }
    std::printf(" ");
    for (std::size_t k = 0; k < c.r; ++k) std::printf(" %.4f", p.cosines[k]);
    std::printf(" ");
    for (std::size_t k = 0; k < c.r; ++k) std::printf(" %.3f", growth[i].rate[k]);
    std::printf("\n");
  }
  std::printf(
      "(* an outlier inside |bulk edge|: the |eigenvalue| selection keeps a bulk edge "
      "instead)\n"
      "phase 1 (eta1 = %g, beta1 = %g): a small-weight step multiplies S_T + E[T] I; a "
      "direction's rate is\nhow much faster than the bulk it grows per step (> 1: it can "
      "dominate; section 9.6)\n",
      eta1, beta1);
  return kExitOk;
}

int phase1(const Args& args) {
  RunConfig config;
  if (int code = report(build_config(args, &config))) return code;
  // The run's own start: init (stream mode allocates no dataset) gives W0, the model gives U.
  RunConfig c = config;
  c.mode = DataMode::stream;
  Execution exec;
  if (int code = report(select_isa(args, &exec.isa))) return code;
  Status st;
  Arena arena = Arena::owned(plan<double>(c, 1), &st);
  if (int code = report(st)) return code;
  Trainer<double> trainer;
  if (int code = report(trainer.init(c, exec, arena))) return code;
  const TwoLayerNet<double> net = trainer.network();
  Link link;
  if (int code = report(Link::parse(c.link, c.r, &link))) return code;
  const ModelConfig mc = model_config(c);
  Arena model_arena = Arena::owned(Model<double>::plan(mc), &st);
  if (int code = report(st)) return code;
  Model<double> model;
  if (int code = report(model.init(mc, link, exec.isa, model_arena))) return code;
  Arena theory_arena = Arena::owned(Phase1Theory::plan(c), &st);
  if (int code = report(st)) return code;
  Phase1Theory theory;
  if (int code = report(theory.init(link, c, net.W, net.ldw, model.subspace(), theory_arena))) {
    return code;
  }
  std::vector<Phase1TheoryPoint> cubic(c.T1 + 1), linear(c.T1 + 1);
  if (int code = report(theory.predict(false, linear.data(), linear.size()))) return code;
  if (int code = report(theory.predict(true, cubic.data(), cubic.size()))) return code;
  const double* mu = theory.eigenvalues();
  const double* V = theory.directions();
  const std::size_t r = c.r;
  if (args.has("json")) {
    std::vector<char> cfg(to_json(c, nullptr, 0) + 1);
    to_json(c, cfg.data(), cfg.size());
    std::string o = "{\"config\": " + std::string(cfg.data()) + ", \"T\": \"" +
                    transform_name(loss_transform(c.loss)) + "\", \"mu\": " + array(mu, r) +
                    ", \"directions\": [";
    for (std::size_t k = 0; k < r; ++k) o += (k ? ", " : "") + array(V + k * r, r);
    o += "], \"steps\": [";
    for (std::size_t i = 0; i <= c.T1; ++i) {
      const Phase1TheoryPoint& p = cubic[i];
      const Phase1TheoryPoint& l = linear[i];
      o += std::string(i ? ", " : "") + "{\"step\": " + std::to_string(i) +
           ", \"mass\": " + array(p.mass, r) + ", \"mass_perp\": " + num(p.mass_perp) +
           ", \"alignment\": " + num(p.alignment) +
           ", \"min_cosine\": " + num(p.subspace.min_cosine) +
           ", \"per_direction\": " + array(p.subspace.per_direction, r) +
           ", \"cubic_share\": " + num(p.cubic_share) +
           ", \"linear\": {\"mass\": " + array(l.mass, r) + ", \"mass_perp\": " + num(l.mass_perp) +
           ", \"alignment\": " + num(l.alignment) +
           ", \"min_cosine\": " + num(l.subspace.min_cosine) + "}}";
    }
    std::printf("%s]}\n", o.c_str());
    return kExitOk;
  }
  std::printf(
      "phase 1 at n1 = infinity: link %s, loss %s (T = %s), %s, m = %zu, eta1 = %g, "
      "beta1 = %g, eps0 = %g, d = %zu\n",
      c.link, loss_name(c.loss), transform_name(loss_transform(c.loss)),
      activation_name(c.activation), c.m, c.eta1, c.beta1, c.eps0, c.d);
  for (std::size_t k = 0; k < r; ++k) {
    std::printf("v_%zu: mu = %+.6f (", k, mu[k]);
    for (std::size_t a = 0; a < r; ++a) std::printf("%s%+.4f", a ? ", " : "", V[k * r + a]);
    std::printf(")\n");
  }
  std::printf("\n%-6s %-10s %-10s %-10s %-10s %-9s", "step", "alignment", "(linear)", "min_cos",
              "(linear)", "cubic/lin");
  for (std::size_t k = 0; k < r; ++k) std::printf(" mass_%-6zu", k);
  std::printf(" mass_perp\n");
  for (std::size_t i = 0; i <= c.T1; ++i) {
    const Phase1TheoryPoint& p = cubic[i];
    std::printf("%-6zu %-10.4f %-10.4f %-10.4f %-10.4f %-9.3f", i, p.alignment, linear[i].alignment,
                p.subspace.min_cosine, linear[i].subspace.min_cosine, p.cubic_share);
    for (std::size_t k = 0; k < r; ++k) std::printf(" %-11.4g", p.mass[k]);
    std::printf(" %.4g\n", p.mass_perp);
  }
  return kExitOk;
}

}  // namespace

int cmd_theory(int argc, char** argv) {
  Args args;
  Status st = args.parse(argc, argv, 2,
                         {"link", "r", "T", "delta", "noise", "alpha", "nodes", "eta1", "beta1",
                          "preset", "config", "set", "arch"},
                         {"help", "json", "jsonl", "phase1"});
  if (!st.ok()) return report(st);
  if (args.has("help")) {
    std::fputs(kTheoryHelp, stdout);
    return kExitOk;
  }
  if (args.has("phase1")) {
    for (const char* spectral_only :
         {"link", "r", "T", "delta", "noise", "alpha", "nodes", "eta1", "beta1"}) {
      if (args.has(spectral_only)) {
        return report(Status::error(Code::invalid_argument, "--phase1",
                                    "--%s does not apply to --phase1 (allowed: --preset, "
                                    "--config, --set)",
                                    spectral_only));
      }
    }
    return phase1(args);
  }
  for (const char* run_only : {"preset", "config", "set"}) {
    if (args.has(run_only)) {
      return report(Status::error(Code::invalid_argument, "--phase1",
                                  "--%s applies to --phase1 only (the spectral theory takes "
                                  "--link, --r, --T, --delta, --noise)",
                                  run_only));
    }
  }
  return spectral(args);
}

}  // namespace cli
}  // namespace mimkit
