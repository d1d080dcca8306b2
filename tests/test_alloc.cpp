#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "alloc_counter.hpp"
#include "mimkit/mimkit.hpp"

using namespace mimkit;

TEST_CASE("the allocation counter sees malloc and new (so a zero below means something)") {
  // volatile: the compiler may otherwise elide a malloc/free or new/delete pair.
  mimkit_test::arm_allocation_counter();
  void* volatile p = std::malloc(16);
  int* volatile q = new int(3);
  const std::size_t seen = mimkit_test::disarm_allocation_counter();
  std::free(p);
  delete q;
  CHECK(seen == 2);
}

TEST_CASE_TEMPLATE("generating data performs zero heap allocations after setup", T, float, double) {
  ModelConfig c;
  c.d = 130;
  c.r = 3;
  c.noise = 0.2;
  c.seed = 1;
  c.tile_rows = 50;
  Link link;
  REQUIRE(Link::parse("he2(z1) + z2*z3", 3, &link).ok());
  Status st;
  Arena arena = Arena::owned(Model<T>::plan(c) + DataSet<T>::plan(c, 400, DataMode::materialize) +
                                 DataSet<T>::plan(c, 400, DataMode::stream, 2),
                             &st);
  REQUIRE(st.ok());
  Model<T> model;
  DataSet<T> mat, str;
  REQUIRE(model.init(c, link, isa_best(), arena).ok());
  REQUIRE(mat.init(model, Dataset::fit1, 400, DataMode::materialize, arena).ok());
  REQUIRE(str.init(model, Dataset::fit1, 400, DataMode::stream, arena, 2).ok());
  std::vector<T> X(7 * c.d), y(7);

  mimkit_test::arm_allocation_counter();
  double checksum = 0;
  for (int pass = 0; pass < 3; ++pass) {
    for (std::size_t t = 0; t < str.tile_count(); ++t) {
      Tile<T> a, b;
      st = mat.tile(t, &a);
      if (st.ok()) st = str.tile(t, &b, t % 2);
      if (!st.ok()) break;
      checksum += static_cast<double>(a.y[0]) + static_cast<double>(b.y[0]);
    }
    if (st.ok()) st = model.generate(Dataset::test, 12345, 7, X.data(), c.d, y.data());
    Link again;
    if (st.ok()) st = Link::parse("relu(z1) + sign(z2*z3)", 3, &again);
  }
  const std::size_t allocations = mimkit_test::disarm_allocation_counter();
  REQUIRE(st.ok());
  CHECK(allocations == 0);
  CHECK(checksum == checksum);  // the loop's results were used
}

TEST_CASE("training performs zero heap allocations after setup in every mode") {
  struct Mode {
    const char* name;
    DataMode data;
    Variant variant;
    bool spectral;
    Phase2Solver phase2;
  };
  const Mode modes[] = {
      {"materialize", DataMode::materialize, Variant::layerwise, false, Phase2Solver::exact},
      {"stream", DataMode::stream, Variant::layerwise, false, Phase2Solver::exact},
      {"online", DataMode::stream, Variant::online, false, Phase2Solver::gd},
      {"spectral", DataMode::materialize, Variant::dls22, true, Phase2Solver::exact},
  };
  for (const Mode& mode : modes) {
    CAPTURE(mode.name);
    RunConfig c;
    c.d = 24;
    c.n1 = 300;
    c.n2 = 200;
    c.ntest = 100;
    c.m = 8;
    c.T1 = 3;
    c.T2 = 5;
    c.batch = 50;
    c.tile_rows = 64;
    c.trace = 3;
    c.mode = mode.data;
    c.variant = mode.variant;
    c.spectral = mode.spectral;
    c.spectral_iters = 3;
    c.preprocess = mode.variant == Variant::dls22;
    c.phase2 = mode.phase2;
    Execution exec;
    exec.isa = isa_best();
    exec.threads = 2;
    Status st;
    Arena arena = Arena::owned(plan<float>(c, 2), &st);
    REQUIRE(st.ok());
    Trainer<float> trainer;
    REQUIRE(trainer.init(c, exec, arena).ok());
    Report* report = new Report;
    mimkit_test::arm_allocation_counter();
    st = trainer.train(report);
    const std::size_t allocations = mimkit_test::disarm_allocation_counter();
    delete report;
    REQUIRE_MESSAGE(st.ok(), st.message());
    CHECK(allocations == 0);
  }
}

TEST_CASE("the spectral theory's init and predict perform zero heap allocations") {
  // Label noise (a quadrature dimension more) and both sides bounded (clip); T = optimal also
  // runs the best-preprocessing path (F, the fixed eigenbasis, T*).
  for (Transform T : {Transform::clip, Transform::optimal}) {
    CAPTURE(transform_name(T));
    TheoryConfig c;
    c.r = 2;
    c.noise = 0.3;
    c.T = T;
    c.node_budget = std::size_t(1) << 14;
    Link link;
    REQUIRE(Link::parse("z1*z2 + 0.5*he2(z1)", 2, &link).ok());
    Status st;
    Arena arena = Arena::owned(SpectralTheory::plan(c), &st);
    REQUIRE(st.ok());
    SpectralTheory theory;
    SpectralPrediction p[3];
    double t = 0;

    mimkit_test::arm_allocation_counter();
    st = theory.init(link, c, arena);
    const double alphas[3] = {0.5, 4, 64};
    for (int i = 0; i < 3 && st.ok(); ++i) st = theory.predict(alphas[i], &p[i]);
    t = theory.transform(1.5);
    const std::size_t allocations = mimkit_test::disarm_allocation_counter();
    REQUIRE_MESSAGE(st.ok(), st.message());
    CHECK(allocations == 0);
    CHECK(p[2].overlap[0] > 0);  // the queries did the work: an outlier at alpha = 64
    CHECK(t == t);
  }
}

TEST_CASE("the phase-1 theory's init and predict perform zero heap allocations") {
  // Huber and logcosh: the cubic step has both the activation's and the output's terms.
  RunConfig c;
  std::strcpy(c.link, "he2(z1) + 0.5*he2(z2)");
  c.r = 2;
  c.d = 16;
  c.m = 8;
  c.T1 = 5;
  c.loss = Loss::huber;
  c.activation = Activation::logcosh;
  const std::size_t d = c.d;
  std::vector<double> U(2 * d, 0.0), W0(c.m * d);
  U[0] = 1;      // u_1 = e_1
  U[d + 1] = 1;  // u_2 = e_2
  for (std::size_t i = 0; i < W0.size(); ++i)
    W0[i] = 0.1 * std::sin(1.0 + 0.7 * static_cast<double>(i));
  Link link;
  REQUIRE(Link::parse(c.link, 2, &link).ok());
  Status st;
  Arena arena = Arena::owned(Phase1Theory::plan(c), &st);
  REQUIRE(st.ok());
  Phase1Theory theory;
  std::vector<Phase1TheoryPoint> linear(c.T1 + 1), cubic(c.T1 + 1);

  mimkit_test::arm_allocation_counter();
  st = theory.init(link, c, W0.data(), d, U.data(), arena);
  if (st.ok()) st = theory.predict(false, linear.data(), linear.size());
  if (st.ok()) st = theory.predict(true, cubic.data(), cubic.size());
  const std::size_t allocations = mimkit_test::disarm_allocation_counter();
  REQUIRE_MESSAGE(st.ok(), st.message());
  CHECK(allocations == 0);
  CHECK(cubic[1].cubic_share > 0);  // the cubic step ran
}
