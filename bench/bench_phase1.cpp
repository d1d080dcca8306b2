// The FMA peak of every ISA and type, and the phase-1 step (forward + gradient over fit1, the
// 4 n1 d m flops of docs/ALGORITHM.md section 3) rated against it in the same run.
//
//   bench-phase1 --benchmark_filter=...   (build with -Dbench=true; see bench/run-phase1)
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "kernels/kernels.hpp"
#include "mimkit/mimkit.hpp"
#include "peak.hpp"

namespace {

using mimkit::Isa;

template <class T>
void BM_fma_peak(benchmark::State& state, Isa isa) {
  const auto* k = mimkit::kernels::table<T>(isa);
  const std::size_t iters = 1 << 20;
  for (auto _ : state) benchmark::DoNotOptimize(k->fma_peak(iters));
  state.counters["flops"] =
      benchmark::Counter(2.0 * static_cast<double>(iters * k->fma_chains * k->lanes),
                         benchmark::Counter::kIsIterationInvariantRate);
}

struct StepCase {
  std::size_t d, n1, m, threads;
  mimkit::DataMode mode;
};

template <class T>
void BM_phase1_step(benchmark::State& state, Isa isa, StepCase sc) {
  mimkit::RunConfig c;
  c.d = sc.d;
  c.n1 = sc.n1;
  c.m = sc.m;
  c.mode = sc.mode;
  c.n2 = 64;
  c.ntest = 64;
  mimkit::Execution exec;
  exec.isa = isa;
  exec.threads = sc.threads;
  mimkit::Status st;
  mimkit::Arena arena = mimkit::Arena::owned(mimkit::plan<T>(c, sc.threads), &st);
  mimkit::Trainer<T> trainer;
  if (st.ok()) st = trainer.init(c, exec, arena);
  if (!st.ok()) {
    state.SkipWithError(st.message());
    return;
  }
  std::vector<T> G(sc.m * sc.d);
  double loss = 0;
  for (auto _ : state) {
    st = trainer.phase1_objective(&loss, G.data(), sc.d);
    benchmark::DoNotOptimize(loss);
  }
  const double flops = 4.0 * static_cast<double>(sc.n1 * sc.d * sc.m);
  state.counters["flops"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  // The peak of this ISA and type, measured now, on the same (possibly busy) machine.
  state.counters["peak_flops"] =
      mimkit_bench::measure_peak<T>(isa) * static_cast<double>(sc.threads);
}

void register_all() {
  for (int i = 0; i < mimkit::kIsaCount; ++i) {
    const auto isa = static_cast<Isa>(i);
    if (!mimkit::isa_supported(isa)) continue;
    const std::string name = mimkit::isa_name(isa);
    benchmark::RegisterBenchmark(("fma_peak/float/" + name).c_str(), BM_fma_peak<float>, isa);
    benchmark::RegisterBenchmark(("fma_peak/double/" + name).c_str(), BM_fma_peak<double>, isa);
    if (isa == Isa::scalar) continue;  // the reference path is not meant to be fast
    const StepCase cases[] = {
        {1024, 16384, 256, 1, mimkit::DataMode::materialize},
        {1024, 16384, 32, 1, mimkit::DataMode::materialize},
        {1024, 16384, 256, 2, mimkit::DataMode::materialize},
        {1024, 16384, 256, 1, mimkit::DataMode::stream},
    };
    for (const StepCase& sc : cases) {
      const std::string label = "d=" + std::to_string(sc.d) + "/n1=" + std::to_string(sc.n1) +
                                "/m=" + std::to_string(sc.m) +
                                "/threads=" + std::to_string(sc.threads) + "/" +
                                mimkit::data_mode_name(sc.mode);
      benchmark::RegisterBenchmark(("phase1_step/float/" + name + "/" + label).c_str(),
                                   BM_phase1_step<float>, isa, sc)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
      benchmark::RegisterBenchmark(("phase1_step/double/" + name + "/" + label).c_str(),
                                   BM_phase1_step<double>, isa, sc)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
  }
}

const bool registered = (register_all(), true);

}  // namespace
