// Kernel tables for the avx512 instruction set, compiled with exactly that ISA's flags
// (meson.build).
#define MIMKIT_KERNEL_ARCH xsimd::avx512bw
#define MIMKIT_KERNEL_NAME avx512
#define MIMKIT_KERNEL_ISA ::mimkit::Isa::avx512
#include "instantiate.hpp"
