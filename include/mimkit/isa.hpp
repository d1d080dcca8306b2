// Instruction sets: which kernels are compiled in, which the CPU runs, and choosing one.
#pragma once

#include "mimkit/status.hpp"

namespace mimkit {

/// A kernel implementation. Every one gives bit-identical results; they differ in speed only.
enum class Isa : int {
  scalar = 0,  ///< portable C++ reference, always available
  avx2 = 1,    ///< x86-64 AVX2 + FMA
  avx512 = 2,  ///< x86-64 AVX-512 F/BW/DQ/CD
  neon = 3,    ///< aarch64 Advanced SIMD
};

constexpr int kIsaCount = 4;

/// "scalar", "avx2", "avx512" or "neon".
const char* isa_name(Isa isa) noexcept;

/// True when the kernels for `isa` were built into this library.
bool isa_compiled(Isa isa) noexcept;

/// True when `isa` is compiled in and this CPU and OS can run it (CPUID and XGETBV on x86,
/// so an OS that disabled AVX state is respected).
bool isa_supported(Isa isa) noexcept;

/// The fastest supported ISA.
Isa isa_best() noexcept;

/// Resolves a request: "auto" (or "" / nullptr) gives isa_best(); a name gives that ISA if it is
/// supported, else Code::unsupported_isa naming what this build and CPU offer. `field` names the
/// source of the request in the error ("--arch", "MIMKIT_ARCH", ...). The library never reads
/// the environment itself: the CLI passes MIMKIT_ARCH here.
Status isa_select(const char* request, const char* field, Isa* out) noexcept;

/// Every ISA name mimkit knows (compiled in or not), " | "-separated in Isa order:
/// "scalar | avx2 | avx512 | neon". For help texts.
const char* isa_choices_text() noexcept;

/// Space-separated names of the compiled-in ISAs, e.g. "scalar avx2 avx512".
const char* isa_compiled_list() noexcept;

}  // namespace mimkit
