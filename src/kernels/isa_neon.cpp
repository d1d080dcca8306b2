// Kernel tables for the neon instruction set, compiled with exactly that ISA's flags (meson.build).
#define MIMKIT_KERNEL_ARCH xsimd::neon64
#define MIMKIT_KERNEL_NAME neon
#define MIMKIT_KERNEL_ISA ::mimkit::Isa::neon
#include "instantiate.hpp"
