#include "mimkit/isa.hpp"

#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace mimkit {

const char* isa_name(Isa isa) noexcept {
  switch (isa) {
#define MIMKIT_ISA_NAME(name, summary) \
  case Isa::name:                      \
    return #name;
    MIMKIT_ISA_LIST(MIMKIT_ISA_NAME)
#undef MIMKIT_ISA_NAME
  }
  return "unknown";
}

const char* isa_summary(Isa isa) noexcept {
  switch (isa) {
#define MIMKIT_ISA_SUMMARY(name, summary) \
  case Isa::name:                         \
    return summary;
    MIMKIT_ISA_LIST(MIMKIT_ISA_SUMMARY)
#undef MIMKIT_ISA_SUMMARY
  }
  return "unknown";
}

const char* isa_choices() noexcept {
  return MIMKIT_ISA_CHOICES;
}

// MIMKIT_COMPILED_ISAS(X) (set by meson.build) expands X(name) for each ISA built in.
bool isa_compiled(Isa isa) noexcept {
  switch (isa) {
#define MIMKIT_ISA_COMPILED(name) \
  case Isa::name:                 \
    return true;
    MIMKIT_COMPILED_ISAS(MIMKIT_ISA_COMPILED)
#undef MIMKIT_ISA_COMPILED
    default:
      return false;
  }
}

const char* isa_compiled_list() noexcept {
#define MIMKIT_ISA_SPACED(name) " " #name
  // Skips the leading space.
  return MIMKIT_COMPILED_ISAS(MIMKIT_ISA_SPACED) + 1;
#undef MIMKIT_ISA_SPACED
}

namespace {

#if defined(__x86_64__) || defined(__i386__)
// CPUID alone is not enough: check (XGETBV) that the OS saves the vector state we need.
unsigned long long read_xcr0() noexcept {
  unsigned int eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}

struct X86Features {
  bool avx2 = false;
  bool avx512 = false;
};

X86Features detect_x86() noexcept {
  X86Features f;
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  const bool osxsave = (ecx & (1u << 27)) != 0;
  const bool fma = (ecx & (1u << 12)) != 0;
  const bool avx = (ecx & (1u << 28)) != 0;
  if (!osxsave || !avx) return f;
  const unsigned long long xcr0 = read_xcr0();
  const bool ymm_state = (xcr0 & 0x6) == 0x6;
  const bool zmm_state = (xcr0 & 0xE6) == 0xE6;
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const bool avx2 = (ebx & (1u << 5)) != 0;
  const bool avx512f = (ebx & (1u << 16)) != 0;
  const bool avx512dq = (ebx & (1u << 17)) != 0;
  const bool avx512cd = (ebx & (1u << 28)) != 0;
  const bool avx512bw = (ebx & (1u << 30)) != 0;
  f.avx2 = ymm_state && avx2 && fma;
  f.avx512 = f.avx2 && zmm_state && avx512f && avx512dq && avx512cd && avx512bw;
  return f;
}
#endif

// Whether this CPU and OS run a compiled-in ISA: only the x86 extensions need a run-time check
// (every aarch64 CPU has Advanced SIMD).
bool cpu_runs(Isa isa) noexcept {
  switch (isa) {
#if defined(__x86_64__) || defined(__i386__)
    case Isa::avx2:
      return detect_x86().avx2;
    case Isa::avx512:
      return detect_x86().avx512;
#endif
    default:
      return true;
  }
}

}  // namespace

bool isa_supported(Isa isa) noexcept {
  return isa_compiled(isa) && cpu_runs(isa);
}

Isa isa_best() noexcept {
  for (int i = kIsaCount - 1; i > 0; --i) {
    if (isa_supported(static_cast<Isa>(i))) return static_cast<Isa>(i);
  }
  return Isa::scalar;
}

Status isa_select(const char* request, const char* field, Isa* out) noexcept {
  if (request == nullptr || request[0] == '\0' || std::strcmp(request, "auto") == 0) {
    *out = isa_best();
    return Status();
  }
  for (int i = 0; i < kIsaCount; ++i) {
    const Isa isa = static_cast<Isa>(i);
    if (std::strcmp(request, isa_name(isa)) != 0) continue;
    if (!isa_compiled(isa)) {
      return Status::error(Code::unsupported_isa, field,
                           "'%s' is not compiled into this build (compiled: %s; or auto)", request,
                           isa_compiled_list());
    }
    if (!cpu_runs(isa)) {
      return Status::error(Code::unsupported_isa, field,
                           "'%s' is compiled in but this CPU cannot run it (best here: %s)",
                           request, isa_name(isa_best()));
    }
    *out = isa;
    return Status();
  }
#define MIMKIT_ISA_COMMA(name, summary) ", " #name
  return Status::error(Code::invalid_argument, field,
                       "unknown instruction set '%s' (allowed: auto" MIMKIT_ISA_LIST(
                           MIMKIT_ISA_COMMA) ")",
                       request);
#undef MIMKIT_ISA_COMMA
}

}  // namespace mimkit
