// Kernel tables for the avx2 instruction set, compiled with exactly that ISA's flags (meson.build).
#define MIMKIT_KERNEL_ARCH xsimd::fma3<xsimd::avx2>
#define MIMKIT_KERNEL_NAME avx2
#define MIMKIT_KERNEL_ISA ::mimkit::Isa::avx2
#include "instantiate.hpp"
