#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "isa_list.hpp"
#include "kernels/kernels.hpp"
#include "mimkit/rng.hpp"

using mimkit::Isa;

namespace {

constexpr std::uint64_t kSeed = 0x5eed5eed12345678ull;
constexpr std::size_t kN = 1000000;

template <class T>
std::vector<T> draw(Isa isa, std::uint64_t seed, std::uint64_t row, std::uint32_t stream,
                    std::uint64_t j0, std::size_t n) {
  std::vector<T> v(n);
  mimkit::kernels::table<T>(isa)->normals(v.data(), j0, n, seed, row, stream);
  return v;
}

// 1e6 normals: 1000 rows of 1000 coordinates, the shape the data generator uses.
template <class T>
std::vector<double> sample(std::uint32_t stream) {
  std::vector<double> out;
  out.reserve(kN);
  for (std::uint64_t row = 0; row < 1000; ++row) {
    const auto v = draw<T>(mimkit::isa_best(), kSeed, row, stream, 0, 1000);
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= a.size();
  mb /= b.size();
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

}  // namespace

TEST_CASE_TEMPLATE("every ISA draws the same normal bits as the scalar reference", T, float,
                   double) {
  // Offsets and lengths that start and end inside blocks, span several blocks, and use
  // 64-bit rows and several streams.
  const std::uint64_t starts[] = {0, 1, 15, 31, 33, 63, 64, 100, 4095, 1u << 20};
  const std::size_t lengths[] = {1, 7, 16, 31, 64, 65, 257, 1000};
  const std::uint64_t rows[] = {0, 1, 123456789, 0xFFFFFFFFull + 7};
  for (Isa isa : mimkit_test::runnable_isas()) {
    const std::string isa_str = mimkit::isa_name(isa);
    CAPTURE(isa_str);
    for (std::uint64_t j0 : starts) {
      for (std::size_t n : lengths) {
        for (std::uint64_t row : rows) {
          const auto ref = draw<T>(Isa::scalar, kSeed, row, 513, j0, n);
          const auto got = draw<T>(isa, kSeed, row, 513, j0, n);
          REQUIRE(std::memcmp(ref.data(), got.data(), n * sizeof(T)) == 0);
        }
      }
    }
  }
}

TEST_CASE_TEMPLATE("a normal depends only on its coordinate, not on the range requested", T, float,
                   double) {
  const auto whole = draw<T>(mimkit::isa_best(), kSeed, 3, 0, 0, 300);
  for (std::uint64_t j0 = 0; j0 < 300; j0 += 37) {
    const auto part = draw<T>(mimkit::isa_best(), kSeed, 3, 0, j0, 300 - j0);
    REQUIRE(std::memcmp(part.data(), whole.data() + j0, (300 - j0) * sizeof(T)) == 0);
  }
}

TEST_CASE_TEMPLATE("normals have the moments of N(0, 1) on 1e6 samples", T, float, double) {
  const auto x = sample<T>(0);
  const double n = static_cast<double>(x.size());
  double m1 = 0;
  for (double v : x) m1 += v;
  m1 /= n;
  double m2 = 0, m3 = 0, m4 = 0;
  for (double v : x) {
    const double c = v - m1;
    m2 += c * c;
    m3 += c * c * c;
    m4 += c * c * c * c;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const double skew = m3 / std::pow(m2, 1.5);
  const double excess_kurtosis = m4 / (m2 * m2) - 3;
  // Five standard errors of each estimator under N(0, 1): sd(mean) = 1/sqrt(n),
  // sd(var) = sqrt(2/n), sd(skew) = sqrt(6/n), sd(kurtosis) = sqrt(24/n). With a fixed seed the
  // test is deterministic; a correct generator fails it with probability < 1e-5 per seed.
  CHECK(std::fabs(m1) < 5 / std::sqrt(n));
  CHECK(std::fabs(m2 - 1) < 5 * std::sqrt(2 / n));
  CHECK(std::fabs(skew) < 5 * std::sqrt(6 / n));
  CHECK(std::fabs(excess_kurtosis) < 5 * std::sqrt(24 / n));
}

TEST_CASE_TEMPLATE("normals pass a Kolmogorov-Smirnov test against N(0, 1) on 1e6 samples", T,
                   float, double) {
  auto x = sample<T>(256);
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double d_max = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double cdf = 0.5 * std::erfc(-x[i] / std::sqrt(2.0));
    d_max = std::max(d_max, std::max(cdf - i / n, (i + 1) / n - cdf));
  }
  // Critical value of the KS statistic at significance 0.001: 1.95 / sqrt(n).
  CHECK(d_max < 1.95 / std::sqrt(n));
  // And far tails exist: P(|z| > 4) = 6.3e-5, about 63 of 1e6.
  const auto tail = std::count_if(x.begin(), x.end(), [](double v) { return std::fabs(v) > 4; });
  CHECK(tail > 30);
  CHECK(tail < 110);
}

TEST_CASE_TEMPLATE("streams, datasets, rows and Box-Muller partners are uncorrelated", T, float,
                   double) {
  const auto base = sample<T>(mimkit::stream_id(0, mimkit::StreamPurpose::inputs));
  const auto other_dataset = sample<T>(mimkit::stream_id(1, mimkit::StreamPurpose::inputs));
  const auto noise = sample<T>(mimkit::stream_id(0, mimkit::StreamPurpose::noise));
  // 5 standard errors of a correlation of independent samples: 5 / sqrt(n).
  const double bound = 5 / std::sqrt(static_cast<double>(kN));
  CHECK(std::fabs(correlation(base, other_dataset)) < bound);
  CHECK(std::fabs(correlation(base, noise)) < bound);

  // Neighbouring rows (shift by one row of 1000) and neighbouring coordinates.
  std::vector<double> a(base.begin(), base.end() - 1000), b(base.begin() + 1000, base.end());
  CHECK(std::fabs(correlation(a, b)) < bound);
  std::vector<double> c(base.begin(), base.end() - 1), e(base.begin() + 1, base.end());
  CHECK(std::fabs(correlation(c, e)) < bound);

  // Box-Muller partners share a radius: their squares are uncorrelated only if the transform
  // is right. Float partners are 16 coordinates apart, double partners 8 (see rng.hpp).
  const std::size_t partner = sizeof(T) == 4 ? 16 : 8;
  std::vector<double> s0, s1;
  for (std::size_t row = 0; row < 1000; ++row) {
    for (std::size_t j = 0; j + partner < 1000; ++j) {
      if ((j / partner) % 2 != 0) continue;
      s0.push_back(base[row * 1000 + j] * base[row * 1000 + j]);
      s1.push_back(base[row * 1000 + j + partner] * base[row * 1000 + j + partner]);
    }
  }
  CHECK(std::fabs(correlation(s0, s1)) < 5 / std::sqrt(static_cast<double>(s0.size())));
}
