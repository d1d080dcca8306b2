#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "golden.hpp"
#include "isa_list.hpp"
#include "mimkit/data.hpp"
#include "mimkit/digest.hpp"

using mimkit::Arena;
using mimkit::Code;
using mimkit::DataMode;
using mimkit::DataSet;
using mimkit::Dataset;
using mimkit::dataset_name;
using mimkit::Isa;
using mimkit::isa_best;
using mimkit::Link;
using mimkit::Model;
using mimkit::ModelConfig;
using mimkit::parse_dataset;
using mimkit::Status;
using mimkit::Tile;

namespace {

Link parse_link(const char* spec, std::size_t r) {
  Link link;
  const Status s = Link::parse(spec, r, &link);
  REQUIRE_MESSAGE(s.ok(), s.message());
  return link;
}

template <class T>
struct Fixture {
  ModelConfig config;
  Link link;
  Arena arena;
  Model<T> model;

  Fixture(ModelConfig c, const char* spec, Isa isa = mimkit::isa_best(),
          const double* subspace = nullptr)
      : config(c), link(parse_link(spec, c.r)) {
    Status st;
    arena = Arena::owned(Model<T>::plan(c) + (std::size_t(1) << 20), &st);
    REQUIRE(st.ok());
    const Status s = model.init(config, link, isa, arena, subspace);
    REQUIRE_MESSAGE(s.ok(), s.message());
  }

  // n rows of a dataset, row-major with stride d.
  void rows(Dataset ds, std::uint64_t row0, std::size_t n, std::vector<T>& X, std::vector<T>& y) {
    X.assign(n * config.d, T(0));
    y.assign(n, T(0));
    const Status s = model.generate(ds, row0, n, X.data(), config.d, y.data());
    REQUIRE_MESSAGE(s.ok(), s.message());
  }
};

struct Moments {
  double mean = 0, second = 0;
};

template <class T>
Moments label_moments(const ModelConfig& c, const char* spec, std::size_t n) {
  Fixture<T> f(c, spec);
  std::vector<T> X, y;
  f.rows(Dataset::fit1, 0, n, X, y);
  Moments m;
  for (T v : y) {
    m.mean += v;
    m.second += static_cast<double>(v) * v;
  }
  m.mean /= n;
  m.second /= n;
  return m;
}

}  // namespace

TEST_CASE_TEMPLATE("the Haar subspace has orthonormal rows to rounding", T, float, double) {
  ModelConfig c;
  c.d = 300;
  c.r = 5;
  c.seed = 11;
  Fixture<T> f(c, "z1");
  const T* u = f.model.subspace();
  // Gram-Schmidt twice in double leaves ~d eps; rounding U to T adds ~2 eps(T) per product.
  const double tol = sizeof(T) == 4 ? 1e-6 : 1e-13;
  for (std::size_t k = 0; k < c.r; ++k) {
    for (std::size_t l = 0; l < c.r; ++l) {
      double dot = 0;
      for (std::size_t j = 0; j < c.d; ++j) dot += double(u[k * c.d + j]) * u[l * c.d + j];
      CHECK(std::fabs(dot - (k == l ? 1.0 : 0.0)) < tol);
    }
  }
}

TEST_CASE("the subspace is a function of the seed alone, and differs between seeds") {
  ModelConfig c;
  c.d = 50;
  c.r = 2;
  c.seed = 5;
  Fixture<double> a(c, "z1*z2"), b(c, "z1*z2", Isa::scalar);
  CHECK(std::memcmp(a.model.subspace(), b.model.subspace(), c.r * c.d * sizeof(double)) == 0);
  c.seed = 6;
  Fixture<double> other(c, "z1*z2");
  CHECK(std::memcmp(a.model.subspace(), other.model.subspace(), c.r * c.d * sizeof(double)) != 0);
}

TEST_CASE("labels equal the link at U x computed independently in double") {
  ModelConfig c;
  c.d = 40;
  c.r = 3;
  c.seed = 3;
  Fixture<double> f(c, "he2(z1) + z2*z3");
  std::vector<double> X, y;
  f.rows(Dataset::test, 1000, 200, X, y);
  const double* u = f.model.subspace();
  for (std::size_t i = 0; i < 200; ++i) {
    double z[3] = {0, 0, 0};
    for (std::size_t k = 0; k < 3; ++k) {
      for (std::size_t j = 0; j < c.d; ++j) z[k] += u[k * c.d + j] * X[i * c.d + j];
    }
    const double want = (z[0] * z[0] - 1) + z[1] * z[2];
    // Both sums run over 40 terms in the same order; fma vs separate rounding differs by a
    // few ulps of the partial sums (|terms| < 10).
    CHECK(y[i] == doctest::Approx(want).epsilon(1e-12).scale(10));
  }
}

TEST_CASE_TEMPLATE("label moments match closed forms within Monte-Carlo error", T, float, double) {
  constexpr std::size_t n = 200000;
  ModelConfig c;
  c.d = 20;
  c.seed = 99;
  // Bounds are 5 standard errors: sd(mean) = sqrt(Var y / n), sd(second) = sqrt(Var y^2 / n).
  SUBCASE("he2(z1) + 0.5*he2(z2): E y = 0, E y^2 = 2.5, Var y^2 = 63.5") {
    c.r = 2;
    const Moments m = label_moments<T>(c, "he2(z1) + 0.5*he2(z2)", n);
    CHECK(std::fabs(m.mean) < 5 * std::sqrt(2.5 / n));
    CHECK(std::fabs(m.second - 2.5) < 5 * std::sqrt(63.5 / n));
  }
  SUBCASE("z1*z2: E y = 0, E y^2 = 1, Var y^2 = 8") {
    c.r = 2;
    const Moments m = label_moments<T>(c, "z1*z2", n);
    CHECK(std::fabs(m.mean) < 5 * std::sqrt(1.0 / n));
    CHECK(std::fabs(m.second - 1) < 5 * std::sqrt(8.0 / n));
  }
  SUBCASE("relu(z1): E y = 1/sqrt(2 pi), E y^2 = 1/2") {
    c.r = 1;
    const Moments m = label_moments<T>(c, "relu(z1)", n);
    CHECK(std::fabs(m.mean - 0.3989422804014327) < 5 * std::sqrt(0.5 / n));
    CHECK(std::fabs(m.second - 0.5) < 5 * std::sqrt(1.25 / n));
  }
  SUBCASE("norm2 with r = 4: E y = 1, E y^2 = 1 + 2/r") {
    c.r = 4;
    const Moments m = label_moments<T>(c, "norm2", n);
    // Var y = 2/r; E y^4 = (r^4 + 12 r^3 + 44 r^2 + 48 r) / r^4 for chi^2_r / r.
    const double r = 4,
                 ey4 = (r * r * r * r + 12 * r * r * r + 44 * r * r + 48 * r) / (r * r * r * r);
    CHECK(std::fabs(m.mean - 1) < 5 * std::sqrt(0.5 / n));
    CHECK(std::fabs(m.second - 1.5) < 5 * std::sqrt((ey4 - 1.5 * 1.5) / n));
  }
  SUBCASE("label noise adds tau^2 to E y^2: z1 with tau = 0.5 gives 1.25") {
    c.r = 1;
    c.noise = 0.5;
    const Moments m = label_moments<T>(c, "z1", n);
    CHECK(std::fabs(m.mean) < 5 * std::sqrt(1.25 / n));
    CHECK(std::fabs(m.second - 1.25) < 5 * std::sqrt(2 * 1.25 * 1.25 / n));
  }
}

TEST_CASE_TEMPLATE("rows are a pure function of (seed, dataset, row) whatever the tiling", T, float,
                   double) {
  ModelConfig c;
  c.d = 70;
  c.r = 2;
  c.noise = 0.3;
  c.seed = 42;
  Fixture<T> f(c, "he2(z1) + 0.5*he2(z2)");
  std::vector<T> X, y;
  f.rows(Dataset::fit2, 0, 300, X, y);
  // Any sub-range, generated later and alone, reproduces the same bytes.
  const std::size_t starts[] = {0, 1, 17, 150, 299};
  for (std::size_t s : starts) {
    std::vector<T> Xs, ys;
    f.rows(Dataset::fit2, s, 300 - s, Xs, ys);
    REQUIRE(std::memcmp(Xs.data(), X.data() + s * c.d, Xs.size() * sizeof(T)) == 0);
    REQUIRE(std::memcmp(ys.data(), y.data() + s, ys.size() * sizeof(T)) == 0);
  }
  // The three datasets are different draws.
  std::vector<T> X1, y1;
  f.rows(Dataset::fit1, 0, 300, X1, y1);
  CHECK(std::memcmp(X1.data(), X.data(), X.size() * sizeof(T)) != 0);
}

TEST_CASE_TEMPLATE("stream and materialize modes serve identical tiles", T, float, double) {
  ModelConfig c;
  c.d = 33;
  c.r = 3;
  c.seed = 8;
  c.tile_rows = 64;
  c.noise = 0.1;
  Fixture<T> f(c, "z1*z2*z3");
  const std::uint64_t n = 1000;
  Status st;
  Arena mat_arena = Arena::owned(DataSet<T>::plan(c, n, DataMode::materialize), &st);
  Arena str_arena = Arena::owned(DataSet<T>::plan(c, n, DataMode::stream, 2), &st);
  DataSet<T> mat, str;
  REQUIRE(mat.init(f.model, Dataset::fit1, n, DataMode::materialize, mat_arena).ok());
  REQUIRE(str.init(f.model, Dataset::fit1, n, DataMode::stream, str_arena, 2).ok());
  CHECK(mat.tile_count() == 16);
  // Stream tiles in reverse order on alternating workers.
  for (std::size_t t = mat.tile_count(); t-- > 0;) {
    Tile<T> a, b;
    REQUIRE(mat.tile(t, &a).ok());
    REQUIRE(str.tile(t, &b, t % 2).ok());
    REQUIRE(a.rows == b.rows);
    CHECK(a.row0 == t * 64);
    for (std::size_t i = 0; i < a.rows; ++i) {
      REQUIRE(std::memcmp(a.X + i * a.ldx, b.X + i * b.ldx, c.d * sizeof(T)) == 0);
    }
    REQUIRE(std::memcmp(a.y, b.y, a.rows * sizeof(T)) == 0);
  }
  Tile<T> last;
  REQUIRE(str.tile(15, &last).ok());
  CHECK(last.rows == 1000 - 15 * 64);
}

TEST_CASE("the stream footprint does not grow with n, materialize grows linearly") {
  ModelConfig c;
  c.d = 100;
  c.r = 2;
  CHECK(DataSet<float>::plan(c, 1000, DataMode::stream) ==
        DataSet<float>::plan(c, 1000000, DataMode::stream));
  CHECK(DataSet<float>::plan(c, 1024, DataMode::materialize) ==
        1024 * mimkit::padded_stride<float>(100) * 4 + 1024 * 4);
}

TEST_CASE_TEMPLATE("plan() is exact: its bytes suffice and one byte fewer does not", T, float,
                   double) {
  ModelConfig c;
  c.d = 77;
  c.r = 3;
  const Link link = parse_link("z1+z2+z3", 3);
  const std::size_t need = Model<T>::plan(c) + DataSet<T>::plan(c, 500, DataMode::materialize);
  std::vector<unsigned char> block(need + 64);
  void* base =
      reinterpret_cast<void*>((reinterpret_cast<std::uintptr_t>(block.data()) + 63) / 64 * 64);
  {
    Arena arena(base, need);
    Model<T> model;
    DataSet<T> data;
    REQUIRE(model.init(c, link, mimkit::isa_best(), arena).ok());
    REQUIRE(data.init(model, Dataset::fit1, 500, DataMode::materialize, arena).ok());
    CHECK(arena.used() == need);
  }
  {
    Arena arena(base, need - 1);
    Model<T> model;
    DataSet<T> data;
    Status s = model.init(c, link, mimkit::isa_best(), arena);
    if (s.ok()) s = data.init(model, Dataset::fit1, 500, DataMode::materialize, arena);
    CHECK(s.code() == Code::arena_too_small);
  }
}

TEST_CASE("bad model parameters get a Status naming the field and the allowed range") {
  const Link link2 = parse_link("z1*z2", 2);
  Status st;
  Arena arena = Arena::owned(1 << 20, &st);
  Model<float> model;
  struct Case {
    ModelConfig config;
    const char* field;
    const char* fragment;
  };
  ModelConfig base;
  base.d = 10;
  base.r = 2;
  std::vector<Case> cases;
  ModelConfig c = base;
  c.d = 0;
  cases.push_back({c, "d", "1.."});
  c = base;
  c.d = 1;
  cases.push_back({c, "r", "at most d"});
  c = base;
  c.noise = std::nan("");
  cases.push_back({c, "noise", "finite"});
  c = base;
  c.noise = -1;
  cases.push_back({c, "noise", ">= 0"});
  c = base;
  c.tile_rows = 0;
  cases.push_back({c, "tile_rows", "1.."});
  for (const Case& k : cases) {
    CAPTURE(k.field);
    const Status s = model.init(k.config, link2, Isa::scalar, arena);
    CHECK(s.code() == Code::invalid_argument);
    CHECK(std::string(s.field()) == k.field);
    CHECK(std::string(s.message()).find(k.fragment) != std::string::npos);
  }
  ModelConfig three = base;
  three.r = 3;
  const Status mismatch = model.init(three, link2, Isa::scalar, arena);
  CHECK(std::string(mismatch.field()) == "link");
  CHECK(std::string(mismatch.message()).find("r = 3") != std::string::npos);
}

TEST_CASE("a given subspace is used as is, and a non-orthonormal one is rejected") {
  ModelConfig c;
  c.d = 4;
  c.r = 2;
  const double good[] = {1, 0, 0, 0, 0, 0, 1, 0};
  Fixture<double> f(c, "z1 + 10*z2", Isa::scalar, good);
  std::vector<double> X, y;
  f.rows(Dataset::fit1, 0, 10, X, y);
  for (std::size_t i = 0; i < 10; ++i) CHECK(y[i] == X[i * 4] + 10 * X[i * 4 + 2]);

  const double bad[] = {1, 0, 0, 0, 0.5, 0, 1, 0};
  Status st;
  Arena arena = Arena::owned(1 << 16, &st);
  Model<double> model;
  const Status s = model.init(c, f.link, Isa::scalar, arena, bad);
  CHECK(s.code() == Code::invalid_argument);
  CHECK(std::string(s.field()) == "subspace");
}

TEST_CASE("a link that evaluates to NaN stops generation with a numerical_error") {
  ModelConfig c;
  c.d = 5;
  c.r = 1;
  Fixture<double> f(c, "sqrt(z1)");
  std::vector<double> X(100 * 5), y(100);
  const Status s = f.model.generate(Dataset::fit1, 0, 100, X.data(), 5, y.data());
  CHECK(s.code() == Code::numerical_error);
  CHECK(std::string(s.field()) == "link");
}

namespace {

// The digest the CLI prints for `mimkit data --format hash`: X row-major, then y.
template <class T>
std::string golden_digest(Isa isa) {
  ModelConfig c;
  c.d = 100;
  c.r = 3;
  c.seed = 7;
  Fixture<T> f(c, "he2(z1)+z2*z3", isa);
  std::vector<T> X, y;
  f.rows(Dataset::fit1, 0, 1000, X, y);
  mimkit::Digest d;
  d.update(X.data(), X.size() * sizeof(T));
  d.update(y.data(), y.size() * sizeof(T));
  char hex[17];
  d.hex(hex);
  return hex;
}

}  // namespace

TEST_CASE_TEMPLATE("the golden dataset digest is the same on every ISA", T, float, double) {
  // mimkit data --d 100 --r 3 --link "he2(z1)+z2*z3" --n 1000 --seed 7 --format hash
  const std::string golden = sizeof(T) == 4 ? MIMKIT_GOLDEN_DATA_F32 : MIMKIT_GOLDEN_DATA_F64;
  for (Isa isa : mimkit_test::runnable_isas()) {
    const std::string isa_str = mimkit::isa_name(isa);
    CAPTURE(isa_str);
    CHECK(golden_digest<T>(isa) == golden);
  }
}

TEST_CASE("the validation set is its own stream: independent of fit1, fit2, test and online") {
  ModelConfig mc;
  mc.d = 32;
  mc.r = 2;
  mc.seed = 9;
  Link link;
  REQUIRE(Link::parse("he2(z1)+z2", mc.r, &link).ok());
  Status st;
  Arena arena = Arena::owned(Model<double>::plan(mc), &st);
  Model<double> model;
  REQUIRE(model.init(mc, link, isa_best(), arena).ok());
  const std::size_t n = 2000, d = mc.d;
  const Dataset all[] = {Dataset::fit1, Dataset::fit2, Dataset::test, Dataset::online,
                         Dataset::validation};
  std::vector<std::vector<double>> X(5, std::vector<double>(n * d)), y(5, std::vector<double>(n));
  for (std::size_t k = 0; k < 5; ++k) {
    REQUIRE(model.generate(all[k], 0, n, X[k].data(), d, y[k].data()).ok());
  }
  // Same model, so the same label law; but no shared rows, and (for independent N(0, 1)
  // entries) a sample correlation of n d pairs within 5 standard errors, 5 / sqrt(n d).
  const std::size_t v = 4;
  for (std::size_t k = 0; k < 4; ++k) {
    CAPTURE(dataset_name(all[k]));
    CHECK(X[k][0] != X[v][0]);
    double xy = 0;
    for (std::size_t i = 0; i < n * d; ++i) xy += X[k][i] * X[v][i];
    CHECK(std::fabs(xy / static_cast<double>(n * d)) < 5 / std::sqrt(static_cast<double>(n * d)));
    double yy = 0, ya = 0, yb = 0;
    for (std::size_t i = 0; i < n; ++i) {
      yy += y[k][i] * y[v][i];
      ya += y[k][i];
      yb += y[v][i];
    }
    const double cov = yy / n - (ya / n) * (yb / n);
    // Var(he2(z1) + z2) = 3; the covariance of independent labels is 0 within 5 sd (3 / sqrt n).
    CHECK(std::fabs(cov) < 5 * 3 / std::sqrt(static_cast<double>(n)));
  }
  Dataset parsed = Dataset::fit1;
  REQUIRE(parse_dataset("validation", "--dataset", &parsed).ok());
  CHECK(parsed == Dataset::validation);
}
