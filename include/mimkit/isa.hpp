// Instruction sets: which kernels are compiled in, which the CPU runs, and choosing one.
#pragma once

#include "mimkit/status.hpp"

namespace mimkit {

/// The instruction sets mimkit knows, in one list: X(name, summary) per ISA. The enum, the names,
/// the allowed values of --arch and MIMKIT_ARCH, and the kernel dispatch are all derived from
/// it. Within one CPU family, later entries are preferred by isa_best(). Adding an ISA: an entry
/// here, its kernel header src/kernels/arch/<isa>.hpp, src/kernels/isa_<name>.cpp and its line
/// in meson.build's kernel list (plus its CPU check in src/isa.cpp when it needs one).
#define MIMKIT_ISA_LIST(X)                                       \
  X(scalar, "portable C++ reference, no SIMD, always available") \
  X(avx2, "x86-64 AVX2 + FMA")                                   \
  X(avx512, "x86-64 AVX-512 F/BW/DQ/CD")                         \
  X(neon, "aarch64 Advanced SIMD")

/// The values an ISA request accepts, as one string literal: "auto | scalar | avx2 | ...".
#define MIMKIT_ISA_CHOICES "auto" MIMKIT_ISA_LIST(MIMKIT_ISA_CHOICE_)
#define MIMKIT_ISA_CHOICE_(name, summary) " | " #name

/// A kernel implementation. Every one gives bit-identical results; they differ in speed only.
enum class Isa : int {
#define MIMKIT_ISA_ENUM_(name, summary) name,
  MIMKIT_ISA_LIST(MIMKIT_ISA_ENUM_)
#undef MIMKIT_ISA_ENUM_
};

/// Number of entries in MIMKIT_ISA_LIST (the Isa values are 0 .. kIsaCount - 1).
#define MIMKIT_ISA_ONE_(name, summary) +1
constexpr int kIsaCount = 0 MIMKIT_ISA_LIST(MIMKIT_ISA_ONE_);
#undef MIMKIT_ISA_ONE_

/// The ISA's name in MIMKIT_ISA_LIST ("scalar", "avx2", ...); "unknown" outside the list.
const char* isa_name(Isa isa) noexcept;

/// The summary of `isa` in MIMKIT_ISA_LIST, e.g. "x86-64 AVX2 + FMA".
const char* isa_summary(Isa isa) noexcept;

/// MIMKIT_ISA_CHOICES: every value isa_select() accepts, "auto | scalar | avx2 | ...".
const char* isa_choices() noexcept;

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

/// Space-separated names of the compiled-in ISAs, e.g. "scalar avx2 avx512".
const char* isa_compiled_list() noexcept;

}  // namespace mimkit
