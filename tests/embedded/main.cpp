// mimkit on a bare-metal Cortex-M, run under qemu-system-arm (tests/embedded/meson.build): the
// determinism contract checked on the board itself. It prints, through semihosting,
//  - the Philox4x32-10 known answers (the public function and the kernel the board runs),
//  - the golden data and weights digests of tests/golden.hpp, float and double (x86's bits),
//  - a small training run (d = 32, m = 8, n1 = 256, stream mode): its result and arena bytes,
//  - mimkit's code and data size (from the linker script's brackets around libmimkit.a),
//  - the stack used and the heap the C library was asked for (mimkit's working memory is one
//    static arena),
// and exits with status 0 only if every check passed.
#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include "golden.hpp"
#include "kernels/kernels.hpp"
#include "mimkit/mimkit.hpp"
#include "platform/fma.hpp"
#include "platform/format.hpp"
#include "semihosting.hpp"

using namespace mimkit;

extern "C" {
extern const char __mimkit_text_start[], __mimkit_text_end[], __mimkit_rodata_start[],
    __mimkit_rodata_end[], __mimkit_data_start[], __mimkit_data_end[], __mimkit_bss_start[],
    __mimkit_bss_end[], __text_end[], __heap_start[];
extern unsigned char __heap_end[], __stack_top[];  // the stack: [__heap_end, __stack_top)
void* _sbrk(std::ptrdiff_t increment);
}

namespace {

// The heap, for whoever calls malloc (mimkit never should: its arena is static). Counted.
std::size_t heap_bytes = 0;

// All of mimkit's working memory: a static block, no allocator needed (Arena over caller memory).
alignas(64) unsigned char arena_block[1 << 20];

// One report, reused by every run (it is a fixed-size struct of a few KiB).
Report report;

int failures = 0;

void print(const char* format, ...) __attribute__((format(printf, 1, 2)));
void print(const char* format, ...) {
  char line[256];
  std::va_list args;
  va_start(args, format);
  platform::vformat(line, sizeof line, format, args);
  va_end(args);
  semihosting::write(line);
}

void check(bool ok, const char* what, const char* got, const char* want) {
  print("%-34s %s (expected %s) %s\n", what, got, want, ok ? "ok" : "FAILED");
  if (!ok) ++failures;
}

bool same(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

// Random123's known answers for philox4x32-10 (as tests/test_rng.cpp).
void check_philox() {
  const std::uint32_t counter[4] = {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344};
  const std::uint32_t key[2] = {0xa4093822, 0x299f31d0};
  const std::uint32_t want[4] = {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1};
  const auto plain =
      philox4x32_10({counter[0], counter[1], counter[2], counter[3]}, {key[0], key[1]});
  std::uint32_t kernel[4];
  kernels::table<float>(Isa::scalar)->philox_words(kernel, 1, counter, key);
  bool ok = true;
  for (int w = 0; w < 4; ++w) ok = ok && plain[w] == want[w] && kernel[w] == want[w];
  char got[40];
  platform::format(got, sizeof got, "%08lx %08lx", static_cast<unsigned long>(kernel[0]),
                   static_cast<unsigned long>(kernel[3]));
  check(ok, "philox4x32-10 known answer", got, "d16cfe09 24126ea1");
}

// mimkit data --d 100 --r 3 --link "he2(z1)+z2*z3" --n 1000 --seed 7 --format hash: X row-major
// then y, generated 50 rows at a time into the arena.
template <class T>
void check_data_digest(const char* want) {
  Arena arena(arena_block, sizeof arena_block);
  ModelConfig mc;
  mc.d = 100;
  mc.r = 3;
  mc.seed = 7;
  Link link;
  Model<T> model;
  T* X = nullptr;
  T* y = nullptr;
  constexpr std::size_t kRows = 1000, kChunk = 50;
  Status s = Link::parse("he2(z1)+z2*z3", mc.r, &link);
  if (s.ok()) s = model.init(mc, link, isa_best(), arena);
  if (s.ok()) s = arena.allocate(kChunk * mc.d, &X, "X chunk");
  if (s.ok()) s = arena.allocate(kRows, &y, "y");
  Digest digest;
  for (std::size_t row = 0; s.ok() && row < kRows; row += kChunk) {
    s = model.generate(Dataset::fit1, row, kChunk, X, mc.d, y + row);
    digest.update(X, kChunk * mc.d * sizeof(T));
  }
  digest.update(y, kRows * sizeof(T));
  char got[17];
  digest.hex(got);
  check(s.ok() && same(got, want), sizeof(T) == 4 ? "data digest, float" : "data digest, double",
        s.ok() ? got : s.message(), want);
}

// golden.hpp's configuration: phase 1, the spectral estimator, phase 2 and the shard sums.
template <class T>
void check_weights_digest(const char* want) {
  const RunConfig c = mimkit_test::golden_weights_config();
  Execution exec;
  exec.isa = isa_best();
  Arena arena(arena_block, sizeof arena_block);
  const Status s = run<T>(c, exec, arena, &report);
  char got[17];
  Digest::to_hex(report.weights_digest, got);
  check(s.ok() && same(got, want),
        sizeof(T) == 4 ? "weights digest, float" : "weights digest, double",
        s.ok() ? got : s.message(), want);
}

// The run the README sizes: d = 32, r = 2, m = 8, n1 = 256 (float), datasets regenerated tile by
// tile (stream mode: the footprint does not grow with n).
void small_training_run() {
  RunConfig c;
  c.d = 32;
  c.m = 8;
  c.n1 = 256;
  c.mode = DataMode::stream;
  Execution exec;
  exec.isa = isa_best();
  const std::size_t bytes = plan<float>(c, 1);
  Arena arena(arena_block, sizeof arena_block);
  const Status s = run<float>(c, exec, arena, &report);
  print(
      "training run d = 32, m = 8, n1 = 256, stream: %s, arena %zu bytes (plan %zu), min cosine "
      "%.3f, "
      "test error %.3f, %.3f s (0 without a clock)\n",
      s.ok() ? "ok" : s.message(), report.footprint_bytes, bytes, report.phase1.subspace.min_cosine,
      report.phase2.test_error, report.timings.total_s);
  if (!s.ok() || report.footprint_bytes != bytes) ++failures;
}

// The stack is [__heap_end, __stack_top): painted below the current frame before the checks,
// its high-water mark is the lowest byte no longer painted afterwards.
constexpr unsigned char kPaint = 0xA5;
__attribute__((noinline)) void paint_stack() {
  // 1 KiB below this frame stays untouched: the loop's own spills live there.
  const auto limit = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0)) - 1024;
  for (volatile unsigned char* p = __heap_end; reinterpret_cast<std::uintptr_t>(p) < limit; ++p) {
    *p = kPaint;
  }
}
std::size_t stack_used() {
  const volatile unsigned char* p = __heap_end;
  while (p < __stack_top && *p == kPaint) ++p;
  return static_cast<std::size_t>(__stack_top - const_cast<const unsigned char*>(p));
}

std::size_t span(const char* begin, const char* end) {
  return static_cast<std::size_t>(end - begin);
}

}  // namespace

// Counts what the C library's malloc asks for; the heap lies between bss and the stack.
extern "C" void* _sbrk(std::ptrdiff_t increment) {
  static char* top = const_cast<char*>(__heap_start);
  if (increment > reinterpret_cast<char*>(__heap_end) - top) return reinterpret_cast<void*>(-1);
  char* old = top;
  top += increment;
  heap_bytes += static_cast<std::size_t>(increment);
  return old;
}

extern "C" int program() {
  paint_stack();
  print("mimkit %s on bare metal, kernels %s, fma in double: %s, in float: %s\n", version(),
        isa_name(isa_best()), platform::kSoftFmaDouble ? "software" : "hardware",
        platform::kSoftFmaFloat ? "software" : "hardware");
  check_philox();
  check_data_digest<float>(MIMKIT_GOLDEN_DATA_F32);
  check_data_digest<double>(MIMKIT_GOLDEN_DATA_F64);
  check_weights_digest<float>(MIMKIT_GOLDEN_WEIGHTS_F32);
  check_weights_digest<double>(MIMKIT_GOLDEN_WEIGHTS_F64);
  small_training_run();
  print(
      "mimkit size: .text %zu + .rodata %zu bytes, .data %zu, .bss %zu (the whole program's "
      "code and constants %zu)\n",
      span(__mimkit_text_start, __mimkit_text_end),
      span(__mimkit_rodata_start, __mimkit_rodata_end),
      span(__mimkit_data_start, __mimkit_data_end), span(__mimkit_bss_start, __mimkit_bss_end),
      static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(__text_end)));
  print("stack used: %zu bytes; heap requested through malloc: %zu bytes\n", stack_used(),
        heap_bytes);
  if (heap_bytes != 0) ++failures;
  print("%s\n", failures == 0 ? "all checks passed" : "SOME CHECKS FAILED");
  return failures == 0 ? 0 : 1;
}
