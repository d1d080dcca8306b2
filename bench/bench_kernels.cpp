// Each kernel of the phase-1 step on its own, at the shapes the step gives it (one 256-row tile
// at d = 1024, m = 256 or 32), rated against the FMA peak measured in the same run:
//   Z = X W^T       gemm_nn  M = tile, N = m, K = d (and gemm_nn_packed, W^T packed once, as
//                   the step runs it)
//   G += D^T X      gemm_tn  M = m, N = d, K = tile
//   sigma, sigma'   activation (logcosh) over the tile x m block
// and gemm_nn with every operand in L1, the micro-kernel's own ceiling.
//
//   bench-kernels --benchmark_filter=...   (build with -Dbench=true)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/kernels.hpp"
#include "mimkit/mimkit.hpp"
#include "peak.hpp"

namespace {

using mimkit::Isa;

template <class T>
std::vector<T> normals(const mimkit::kernels::Table<T>* k, std::size_t n, std::uint64_t row) {
  std::vector<T> v(n);
  k->normals(v.data(), 0, n, 7, row, 0);
  return v;
}

struct Shape {
  std::size_t M, N, K;
};

// Which product a gemm benchmark times: gemm_nn, gemm_nn_packed (B packed once, outside the
// timed loop, as the step does with W^T), or gemm_tn accumulating onto C (as G += D^T X).
enum class Product { nn, nn_packed, tn };

template <class T>
void BM_gemm(benchmark::State& state, Isa isa, Product product, Shape sh) {
  const auto* k = mimkit::kernels::table<T>(isa);
  // gemm_nn: A is M x K; gemm_tn: A is K x M. B is K x N, C is M x N.
  const std::vector<T> A = normals(k, sh.M * sh.K, 1);
  const std::vector<T> B = normals(k, sh.K * sh.N, 2);
  std::vector<T> C(sh.M * sh.N), store(sh.K * sh.N + 64 / sizeof(T));
  T* Bp = store.data();  // 64-byte aligned, as pack_b requires
  while (reinterpret_cast<std::uintptr_t>(Bp) % 64 != 0) ++Bp;
  if (product == Product::nn_packed) k->pack_b(sh.K, sh.N, B.data(), sh.N, false, sh.N, Bp);
  for (auto _ : state) {
    if (product == Product::tn) {
      k->gemm_tn(sh.M, sh.N, sh.K, A.data(), sh.M, B.data(), sh.N, C.data(), sh.N, true);
    } else if (product == Product::nn_packed) {
      k->gemm_nn_packed(sh.M, sh.N, sh.K, A.data(), sh.K, Bp, C.data(), sh.N, false);
    } else {
      k->gemm_nn(sh.M, sh.N, sh.K, A.data(), sh.K, B.data(), sh.N, C.data(), sh.N, false);
    }
    benchmark::DoNotOptimize(C.data());
    benchmark::ClobberMemory();
  }
  const double flops = 2.0 * static_cast<double>(sh.M * sh.N * sh.K);
  state.counters["flops"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_flops"] = mimkit_bench::measure_peak<T>(isa);
}

template <class T>
void BM_activation(benchmark::State& state, Isa isa, std::size_t rows, std::size_t cols) {
  const auto* k = mimkit::kernels::table<T>(isa);
  const std::vector<T> Z = normals(k, rows * cols, 3);
  const std::vector<T> b = normals(k, cols, 4);
  std::vector<T> S(rows * cols), Dp(rows * cols);
  for (auto _ : state) {
    k->activation(0, rows, cols, Z.data(), cols, b.data(), S.data(), Dp.data(), cols);
    benchmark::DoNotOptimize(S.data());
    benchmark::DoNotOptimize(Dp.data());
    benchmark::ClobberMemory();
  }
  state.counters["elements"] = benchmark::Counter(static_cast<double>(rows * cols),
                                                  benchmark::Counter::kIsIterationInvariantRate);
}

template <class T>
void register_type(Isa isa, const std::string& isa_name, const std::string& type) {
  constexpr std::size_t tile = 256, d = 1024;
  for (std::size_t m : {std::size_t{256}, std::size_t{32}}) {
    const std::string sz = "/m=" + std::to_string(m);
    benchmark::RegisterBenchmark(("gemm_nn/" + type + "/" + isa_name + sz).c_str(), BM_gemm<T>, isa,
                                 Product::nn, Shape{tile, m, d})
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("gemm_nn_packed/" + type + "/" + isa_name + sz).c_str(),
                                 BM_gemm<T>, isa, Product::nn_packed, Shape{tile, m, d})
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("gemm_tn/" + type + "/" + isa_name + sz).c_str(), BM_gemm<T>, isa,
                                 Product::tn, Shape{m, d, tile})
        ->Unit(benchmark::kMicrosecond);
  }
  // The micro-kernel's ceiling: A, B, C and the packed panel together about 36 KiB, in a 48 KiB
  // L1 (float 24 x 64, 64 x 48, 24 x 48; double with K = 32).
  benchmark::RegisterBenchmark(("gemm_nn/" + type + "/" + isa_name + "/in-L1").c_str(), BM_gemm<T>,
                               isa, Product::nn, Shape{24, 48, sizeof(T) == 4 ? 64u : 32u})
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark(("activation/logcosh/" + type + "/" + isa_name).c_str(),
                               BM_activation<T>, isa, tile, std::size_t{256})
      ->Unit(benchmark::kMicrosecond);
}

void register_all() {
  for (int i = 0; i < mimkit::kIsaCount; ++i) {
    const auto isa = static_cast<Isa>(i);
    if (!mimkit::isa_supported(isa) || isa == Isa::scalar) continue;
    const std::string name = mimkit::isa_name(isa);
    register_type<float>(isa, name, "float");
    register_type<double>(isa, name, "double");
  }
}

const bool registered = (register_all(), true);

}  // namespace
