#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "golden.hpp"
#include "isa_list.hpp"
#include "linalg.hpp"
#include "mimkit/mimkit.hpp"

using namespace mimkit;

namespace {

using mimkit_test::small_config;

template <class T>
struct Run {
  Arena arena;
  Trainer<T> trainer;
  Report report;
  Status init_status;

  explicit Run(const RunConfig& c, Isa isa = isa_best(), std::size_t threads = 1) {
    Execution exec;
    exec.isa = isa;
    exec.threads = threads;
    Status st;
    arena = Arena::owned(plan<T>(c, threads), &st);
    REQUIRE(st.ok());
    init_status = trainer.init(c, exec, arena);
    REQUIRE_MESSAGE(init_status.ok(), init_status.message());
  }
  Status train() { return trainer.train(&report); }
};

// The fit1 dataset of a configuration, as the trainer sees it (same model, same bits).
template <class T>
void fit1_rows(const RunConfig& config, std::vector<double>& X, std::vector<double>& y,
               std::vector<double>& U) {
  RunConfig c = config;
  resolve(&c);
  ModelConfig mc;
  mc.d = c.d;
  mc.r = c.r;
  mc.seed = c.seed;
  mc.noise = c.noise;
  Link link;
  REQUIRE(Link::parse(c.link, c.r, &link).ok());
  Status st;
  Arena arena = Arena::owned(Model<T>::plan(mc), &st);
  Model<T> model;
  REQUIRE(model.init(mc, link, isa_best(), arena).ok());
  std::vector<T> Xt(c.n1 * c.d), yt(c.n1);
  REQUIRE(model.generate(Dataset::fit1, 0, c.n1, Xt.data(), c.d, yt.data()).ok());
  X.assign(Xt.begin(), Xt.end());
  y.assign(yt.begin(), yt.end());
  U.assign(model.subspace(), model.subspace() + c.r * c.d);
}

}  // namespace

TEST_CASE("phase-1 gradients match central finite differences for every loss and activation") {
  const Loss losses[] = {Loss::squared, Loss::absolute, Loss::huber};
  const Activation acts[] = {Activation::logcosh, Activation::quadratic};
  for (Loss loss : losses) {
    for (Activation act : acts) {
      CAPTURE(loss_name(loss));
      CAPTURE(activation_name(act));
      RunConfig c = small_config();
      c.d = 6;
      c.m = 4;
      c.n1 = 60;
      c.loss = loss;
      c.huber_delta = 0.7;
      c.activation = act;
      c.eps0 = 0.6;  // away from f = 0, so every term of the gradient matters
      Run<double> run(c);
      // Non-trivial biases and output weights exercise the full chain rule.
      const TwoLayerNet<double> net = run.trainer.network();
      std::vector<double> W(net.m * c.d), b(net.m), a(net.m);
      for (std::size_t i = 0; i < net.m; ++i) {
        for (std::size_t j = 0; j < c.d; ++j)
          W[i * c.d + j] = net.W[i * net.ldw + j] * (1 + 0.1 * i);
        b[i] = 0.1 * (static_cast<double>(i) - 1.5);
        a[i] = net.a[i] * (1 + 0.25 * i);
      }
      REQUIRE(run.trainer.set_network(W.data(), c.d, b.data(), a.data()).ok());
      std::vector<double> G(net.m * c.d);
      double loss0 = 0;
      REQUIRE(run.trainer.phase1_objective(&loss0, G.data(), c.d).ok());
      const double h = 1e-6;
      for (std::size_t i = 0; i < net.m; ++i) {
        for (std::size_t j = 0; j < c.d; ++j) {
          double lp = 0, lm = 0;
          W[i * c.d + j] += h;
          REQUIRE(run.trainer.set_network(W.data(), c.d, b.data(), a.data()).ok());
          REQUIRE(run.trainer.phase1_objective(&lp, nullptr, 0).ok());
          W[i * c.d + j] -= 2 * h;
          REQUIRE(run.trainer.set_network(W.data(), c.d, b.data(), a.data()).ok());
          REQUIRE(run.trainer.phase1_objective(&lm, nullptr, 0).ok());
          W[i * c.d + j] += h;
          const double fd = (lp - lm) / (2 * h);
          // Truncation O(h^2 |L'''|) ~ 1e-12 and rounding ~ 1e-16 |L| / h ~ 1e-10; the absolute
          // loss is piecewise linear, exact unless a sample sits within h of a kink.
          CHECK(std::fabs(fd - G[i * c.d + j]) <= 1e-7 * (1 + std::fabs(fd)));
        }
      }
    }
  }
}

TEST_CASE("with the quadratic activation and tiny eps0, phase 1 is power iteration") {
  RunConfig c = small_config();
  c.activation = Activation::quadratic;
  c.eps0 = 1e-7;
  c.eta1 = 0.3;
  c.beta1 = 0.5;
  c.T1 = 6;
  c.n1 = 500;
  std::vector<double> X, y, U;
  fit1_rows<double>(c, X, y, U);
  const std::size_t d = c.d;
  // S = (1/n) sum y_i x_i x_i^T, dense, in double.
  std::vector<double> S(d * d, 0.0);
  for (std::size_t i = 0; i < c.n1; ++i) {
    for (std::size_t p = 0; p < d; ++p) {
      for (std::size_t q = 0; q < d; ++q) S[p * d + q] += y[i] * X[i * d + p] * X[i * d + q];
    }
  }
  for (double& v : S) v /= static_cast<double>(c.n1);

  Run<double> run(c);
  const TwoLayerNet<double> net0 = run.trainer.network();
  std::vector<double> W0(net0.m * d), a(net0.m);
  for (std::size_t j = 0; j < net0.m; ++j) {
    a[j] = net0.a[j];
    for (std::size_t q = 0; q < d; ++q) W0[j * d + q] = net0.W[j * net0.ldw + q];
  }
  REQUIRE(run.train().ok());
  const TwoLayerNet<double> net = run.trainer.network();
  // Phase 2 normalises the rows; compare directions: w_j(T) ∝ ((1 - eta beta) I + eta a_j S)^T
  // w_j(0).
  for (std::size_t j = 0; j < net.m; ++j) {
    std::vector<double> w(W0.begin() + j * d, W0.begin() + (j + 1) * d), next(d);
    for (std::size_t t = 0; t < c.T1; ++t) {
      for (std::size_t p = 0; p < d; ++p) {
        double sw = 0;
        for (std::size_t q = 0; q < d; ++q) sw += S[p * d + q] * w[q];
        next[p] = (1 - c.eta1 * c.beta1) * w[p] + c.eta1 * a[j] * sw;
      }
      w = next;
    }
    double norm = 0, dot = 0;
    for (double v : w) norm += v * v;
    for (std::size_t q = 0; q < d; ++q) dot += w[q] * net.W[j * net.ldw + q];
    // f is O(eps0^2) = 1e-14 against labels of size 1, so the two agree to rounding; the
    // trainer's rows are unit vectors after phase 2.
    CHECK(dot / std::sqrt(norm) == doctest::Approx(1.0).epsilon(1e-9));
  }
}

TEST_CASE("exact and gradient-descent phase 2 reach the same outer layer") {
  RunConfig c = small_config();
  c.m = 8;
  c.lambda2 = 0.1;
  Run<double> exact(c);
  REQUIRE(exact.train().ok());
  c.phase2 = Phase2Solver::gd;
  c.T2 = 3000;
  Run<double> gd(c);
  REQUIRE(gd.train().ok());
  const TwoLayerNet<double> a = exact.trainer.network(), b = gd.trainer.network();
  for (std::size_t j = 0; j < c.m; ++j) {
    // GD contracts by at least (1 - eta2 lambda2) ~ 0.99 per step: 3000 steps leave < 1e-10.
    CHECK(b.a[j] == doctest::Approx(a.a[j]).epsilon(1e-8).scale(1));
  }
  CHECK(gd.report.phase2.test_error ==
        doctest::Approx(exact.report.phase2.test_error).epsilon(1e-8));
  CHECK(gd.report.phase2.train_loss ==
        doctest::Approx(exact.report.phase2.train_loss).epsilon(1e-8));
}

TEST_CASE("the spectral estimator agrees with a dense eigensolver of S_T") {
  RunConfig c = small_config();
  c.d = 24;
  c.n1 = 2000;
  c.spectral = true;
  c.spectral_iters = 300;
  c.link[0] = '\0';
  std::strcpy(c.link, "he2(z1) - 0.6*he2(z2)");  // one positive and one negative eigenvalue
  std::vector<double> X, y, U;
  fit1_rows<double>(c, X, y, U);
  const std::size_t d = c.d;
  double ymean = 0;
  for (double v : y) ymean += v;
  ymean /= static_cast<double>(c.n1);
  std::vector<double> S(d * d, 0.0);
  for (std::size_t i = 0; i < c.n1; ++i) {
    for (std::size_t p = 0; p < d; ++p) {
      for (std::size_t q = 0; q < d; ++q) S[p * d + q] += y[i] * X[i * d + p] * X[i * d + q];
    }
  }
  for (std::size_t p = 0; p < d; ++p) {
    for (std::size_t q = 0; q < d; ++q) {
      S[p * d + q] = S[p * d + q] / static_cast<double>(c.n1) - (p == q ? ymean : 0.0);
    }
  }
  std::vector<double> w(d), V(d * d), work(d * d);
  REQUIRE(linalg::eigh(S.data(), d, d, w.data(), V.data(), d, work.data()));
  // Top 2 by |eigenvalue|.
  std::vector<std::size_t> idx(d);
  for (std::size_t i = 0; i < d; ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(),
            [&](std::size_t p, std::size_t q) { return std::fabs(w[p]) > std::fabs(w[q]); });
  std::vector<double> est(2 * d);
  for (std::size_t k = 0; k < 2; ++k) {
    for (std::size_t j = 0; j < d; ++j) est[k * d + j] = V[j * d + idx[k]];
  }
  const SubspaceMetrics dense = compare_subspaces(U.data(), est.data(), 2, d);

  Run<double> run(c);
  REQUIRE(run.train().ok());
  REQUIRE(run.report.spectral.ran);
  for (std::size_t k = 0; k < 2; ++k) {
    CHECK(run.report.spectral.eigenvalues[k] == doctest::Approx(w[idx[k]]).epsilon(1e-6));
    CHECK(run.report.spectral.subspace.cosines[k] ==
          doctest::Approx(dense.cosines[k]).epsilon(1e-6));
  }
  CHECK(run.report.spectral.eigenvalues[0] * run.report.spectral.eigenvalues[1] < 0);
}

TEST_CASE_TEMPLATE("weights are bit-identical for every thread count and ISA", T, float, double) {
  const RunConfig c = mimkit_test::golden_weights_config();
  std::uint64_t ref = 0;
  bool have = false;
  for (Isa isa : mimkit_test::runnable_isas()) {
    for (std::size_t threads : {1, 2, 3, 7}) {
      const std::string isa_str = isa_name(isa);
      CAPTURE(isa_str);
      CAPTURE(threads);
      Run<T> run(c, isa, threads);
      REQUIRE(run.train().ok());
      if (!have) {
        ref = run.report.weights_digest;
        have = true;
      }
      CHECK(run.report.weights_digest == ref);
    }
  }
  char hex[17];
  Digest::to_hex(ref, hex);
  const std::string golden = sizeof(T) == 4 ? MIMKIT_GOLDEN_WEIGHTS_F32 : MIMKIT_GOLDEN_WEIGHTS_F64;
  CHECK(std::string(hex) == golden);
}

TEST_CASE("stream and materialize modes train to the same weights") {
  RunConfig c = small_config();
  Run<float> mat(c);
  REQUIRE(mat.train().ok());
  c.mode = DataMode::stream;
  Run<float> str(c);
  REQUIRE(str.train().ok());
  CHECK(str.report.weights_digest == mat.report.weights_digest);
  CHECK(str.report.footprint_bytes < mat.report.footprint_bytes);
}

TEST_CASE(
    "defaults at d = 128, alpha = 16 recover both directions and beat the trivial predictor") {
  RunConfig c;
  c.alpha = 16;
  Run<float> run(c);
  REQUIRE(run.train().ok());
  CHECK(run.report.phase1.subspace.min_cosine >= 0.8);
  CHECK(run.report.phase2.test_error < 0.6);
}

TEST_CASE("past the sweet spot every neuron collapses onto the top direction (calibration run)") {
  // docs/ALGORITHM.md section 8: d = 256, alpha = 8, beta1 = 1: the smallest cosine is about
  // 0.75-0.85 for T1 in 20..80 and about 0.03 by T1 = 120.
  RunConfig c;
  REQUIRE(apply_preset(&c, "calibration").ok());
  c.spectral = false;
  c.m = 16;  // the same dynamics with a quarter of the work (keeps the qemu run short)
  c.T1 = 60;
  Run<float> sweet(c);
  REQUIRE(sweet.train().ok());
  c.T1 = 200;
  Run<float> longer(c);
  REQUIRE(longer.train().ok());
  CHECK(sweet.report.phase1.subspace.min_cosine > 0.6);
  CHECK(longer.report.phase1.subspace.min_cosine < 0.2);
  CHECK(longer.report.phase1.subspace.cosines[0] > 0.8);  // the top direction survives
}

TEST_CASE("E4: absolute and Huber losses find both directions where the squared loss finds one") {
  RunConfig c;
  // At alpha = 64 the squared loss still picks up u1 from the heavy-tailed finite-sample noise
  // (about 0.5); at alpha = 128 the contrast is clean (docs/ALGORITHM.md section 7, E4).
  c.d = 64;
  c.alpha = 128;
  c.m = 16;
  std::strcpy(c.link, "he4(z1)/sqrt(24) + he2(z2)/sqrt(2)");
  c.T1 = 40;
  c.beta1 = 0.6;
  c.huber_delta = 0.5;
  double min_cos[3] = {};
  const Loss losses[] = {Loss::squared, Loss::absolute, Loss::huber};
  for (int i = 0; i < 3; ++i) {
    c.loss = losses[i];
    Run<float> run(c);
    REQUIRE(run.train().ok());
    min_cos[i] = run.report.phase1.subspace.min_cosine;
    CAPTURE(loss_name(losses[i]));
    CHECK(run.report.phase1.subspace.cosines[0] > 0.8);
  }
  CHECK(min_cos[0] < 0.3);
  CHECK(min_cos[1] > 0.8);
  CHECK(min_cos[2] > 0.8);
}

TEST_CASE("an arena smaller than plan() and a diverging run are clean Status errors") {
  RunConfig c = small_config();
  Execution exec;
  exec.isa = isa_best();
  Status st;
  Arena small = Arena::owned(plan<float>(c) - 64, &st);
  Trainer<float> t;
  CHECK(t.init(c, exec, small).code() == Code::arena_too_small);

  c.eta1 = 1e6;
  c.eps0 = 1;
  c.T1 = 40;
  Run<float> run(c);
  const Status s = run.train();
  CHECK(s.code() == Code::numerical_error);
  CHECK(std::string(s.message()).find("step") != std::string::npos);
}

namespace {

void quadratic_activation(double z, double* value, double* slope, void*) {
  *value = 0.5 * (z * z);
  *slope = z;
}
void squared_loss(double t, double y, double* value, double* slope, void*) {
  const double e = t - y;
  *value = 0.5 * e * e;
  *slope = e;
}
// A loss with no built-in twin: log cosh of the residual (smooth, robust).
void logcosh_loss(double t, double y, double* value, double* slope, void* user) {
  ++*static_cast<int*>(user);
  *value = std::log(std::cosh(t - y));
  *slope = std::tanh(t - y);
}
void softplus_like(double z, double* value, double* slope, void*) {
  // sigma(z) = log cosh(z) through libm: an independent implementation of the default.
  *value = std::log(std::cosh(z));
  *slope = std::tanh(z);
}

}  // namespace

TEST_CASE("callable activation and loss reproduce the built-ins bit for bit (double)") {
  RunConfig c = small_config();
  c.activation = Activation::quadratic;
  c.activation2 = Activation::quadratic;
  c.eps0 = 0.05;
  Run<double> builtin(c);
  REQUIRE(builtin.train().ok());

  CustomFunctions custom;
  custom.activation = &quadratic_activation;
  custom.activation_in_phase2 = true;
  custom.loss = &squared_loss;
  RunConfig other = c;
  other.activation = Activation::logcosh;  // must be ignored: the callable replaces it
  other.activation2 = Activation::relu;
  Execution exec;
  exec.isa = isa_best();
  Status st;
  Arena arena = Arena::owned(plan<double>(other), &st);
  Report report;
  REQUIRE(run<double>(other, exec, arena, &report, &custom).ok());
  CHECK(report.weights_digest == builtin.report.weights_digest);
  CHECK(report.custom_activation);
  CHECK(report.custom_loss);
}

TEST_CASE("gradients with callable activation and loss match finite differences") {
  RunConfig c = small_config();
  c.d = 5;
  c.m = 4;
  c.n1 = 40;
  c.eps0 = 0.7;
  int calls = 0;
  CustomFunctions custom;
  custom.activation = &softplus_like;
  custom.loss = &logcosh_loss;
  custom.user = &calls;
  Execution exec;
  exec.isa = isa_best();
  Status st;
  Arena arena = Arena::owned(plan<double>(c), &st);
  Trainer<double> trainer;
  REQUIRE(trainer.init(c, exec, arena, &custom).ok());
  const TwoLayerNet<double> net = trainer.network();
  std::vector<double> W(net.m * c.d), b(net.m, 0.2), a(net.a, net.a + net.m);
  for (std::size_t i = 0; i < net.m; ++i) {
    for (std::size_t j = 0; j < c.d; ++j) W[i * c.d + j] = net.W[i * net.ldw + j];
  }
  std::vector<double> G(net.m * c.d);
  double loss = 0;
  REQUIRE(trainer.set_network(W.data(), c.d, b.data(), a.data()).ok());
  REQUIRE(trainer.phase1_objective(&loss, G.data(), c.d).ok());
  CHECK(calls > 0);
  const double h = 1e-6;
  for (std::size_t k = 0; k < W.size(); ++k) {
    double lp = 0, lm = 0;
    W[k] += h;
    REQUIRE(trainer.set_network(W.data(), c.d, b.data(), a.data()).ok());
    REQUIRE(trainer.phase1_objective(&lp, nullptr, 0).ok());
    W[k] -= 2 * h;
    REQUIRE(trainer.set_network(W.data(), c.d, b.data(), a.data()).ok());
    REQUIRE(trainer.phase1_objective(&lm, nullptr, 0).ok());
    W[k] += h;
    // Smooth functions: central differences are accurate to O(h^2) + rounding / h ~ 1e-10.
    CHECK(std::fabs((lp - lm) / (2 * h) - G[k]) <= 1e-7 * (1 + std::fabs(G[k])));
  }
}

TEST_CASE(
    "trace_every records every k-th step, and each point is what a run of that length "
    "measures, bit for bit") {
  RunConfig c = small_config();
  c.T1 = 10;
  c.trace_every = 3;
  Run<float> traced(c);
  REQUIRE(traced.train().ok());
  const Report& rep = traced.report;
  REQUIRE(rep.trace_count == 5);  // steps 0, 3, 6, 9 and T1 = 10
  const std::size_t steps[] = {0, 3, 6, 9, 10};
  for (std::size_t i = 0; i < 5; ++i) CHECK(rep.trace[i].step == steps[i]);
  RunConfig shorter = small_config();
  shorter.T1 = 6;
  Run<float> six(shorter);
  REQUIRE(six.train().ok());
  const TracePoint& at6 = rep.trace[2];
  CHECK(at6.min_cosine == six.report.phase1.subspace.min_cosine);
  CHECK(at6.alignment == six.report.phase1.alignment);
  for (std::size_t k = 0; k < c.r; ++k) {
    CHECK(at6.mass[k] == six.report.phase1.mechanism.mass[k]);
    CHECK(at6.rank[k] == six.report.phase1.mechanism.rank[k]);
  }
  CHECK(at6.singular_values[0] == six.report.phase1.mechanism.singular_values[0]);
  // The last point is the final W's metrics.
  CHECK(rep.trace[4].min_cosine == rep.phase1.subspace.min_cosine);
}

TEST_CASE(
    "the validation error is measured on its own data: close to, not equal to, the test "
    "error") {
  RunConfig c = small_config();
  c.ntest = 2000;
  c.nval = 2000;
  Run<double> run(c);
  REQUIRE(run.train().ok());
  const double test = run.report.phase2.test_error, val = run.report.phase2.validation_error;
  CHECK(val != test);
  // Both estimate the same risk from 2000 samples; heavy-tailed squared errors still agree to
  // well within a factor of two here.
  CHECK(val > 0.5 * test);
  CHECK(val < 2 * test);
}
