// Throughput of the standard-normal kernels, in normals per second on one core, for float and
// double on every ISA this CPU runs, next to std::normal_distribution + std::mt19937_64 as a
// baseline measured in the same process (bench/run-normals adds numpy and prints the table).
//
// Each iteration fills one row of 4096 normals the way the data generator does (j0 = 0, one
// row per call, the row advancing every iteration), into a 64-byte aligned buffer that stays in
// L1/L2 (16 KiB of float, 32 KiB of double): this measures the generator, not memory bandwidth.
//
// The benchmarks are registered at static-initialisation time rather than in main() so that this
// file links with libbenchmark_main like any other file of the benchmark program.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <random>
#include <string>

#include "kernels/kernels.hpp"
#include "mimkit/isa.hpp"
#include "mimkit/rng.hpp"

namespace {

constexpr std::size_t kRowLength = 4096;
constexpr std::uint64_t kSeed = 20240607;
const std::uint32_t kStream = mimkit::stream_id(0, mimkit::StreamPurpose::inputs);

// 64-byte aligned like the library's Arena, so vector stores never split a cache line.
template <class T>
struct AlignedBuffer {
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T, Free> data;
  explicit AlignedBuffer(std::size_t n)
      : data(static_cast<T*>(std::aligned_alloc(64, ((n * sizeof(T) + 63) / 64) * 64))) {
    if (!data) throw std::bad_alloc();
  }
  T* get() const { return data.get(); }
};

void report_rate(benchmark::State& state) {
  const auto items =
      static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kRowLength);
  state.SetItemsProcessed(items);
  state.counters["normals_per_s"] =
      benchmark::Counter(static_cast<double>(items), benchmark::Counter::kIsRate);
}

template <class T>
void bm_mimkit(benchmark::State& state, const mimkit::kernels::Table<T>* table) {
  AlignedBuffer<T> buffer(kRowLength);
  T* out = buffer.get();
  std::uint64_t row = 0;
  for (auto _ : state) {
    table->normals(out, 0, kRowLength, kSeed, row, kStream);
    ++row;
    // The call is opaque (a function pointer into another library), but keep the compiler
    // honest in case link-time optimisation ever sees through it.
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  report_rate(state);
}

template <class T>
void bm_std(benchmark::State& state) {
  AlignedBuffer<T> buffer(kRowLength);
  T* out = buffer.get();
  std::mt19937_64 engine(kSeed);
  std::normal_distribution<T> normal;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kRowLength; ++i) out[i] = normal(engine);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  report_rate(state);
}

template <class T>
void register_mimkit(const char* type_name, mimkit::Isa isa) {
  const auto* table = mimkit::kernels::table<T>(isa);
  if (table == nullptr) return;
  const std::string name = std::string("normals/") + type_name + "/" + mimkit::isa_name(isa);
  benchmark::RegisterBenchmark(name.c_str(), bm_mimkit<T>, table);
}

bool register_all() {
  for (int i = 0; i < mimkit::kIsaCount; ++i) {
    const auto isa = static_cast<mimkit::Isa>(i);
    // A compiled-in ISA the CPU cannot run would die on an illegal instruction.
    if (!mimkit::isa_supported(isa)) continue;
    register_mimkit<float>("float", isa);
    register_mimkit<double>("double", isa);
  }
  benchmark::RegisterBenchmark("std_normal_distribution/float/mt19937_64", bm_std<float>);
  benchmark::RegisterBenchmark("std_normal_distribution/double/mt19937_64", bm_std<double>);
  benchmark::AddCustomContext("mimkit_compiled_isas", mimkit::isa_compiled_list());
  benchmark::AddCustomContext("mimkit_best_isa", mimkit::isa_name(mimkit::isa_best()));
  benchmark::AddCustomContext("normals_per_iteration", std::to_string(kRowLength));
  return true;
}

const bool registered = register_all();

}  // namespace
