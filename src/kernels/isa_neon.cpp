// Kernel tables for AArch64 Advanced SIMD (no flags needed, meson.build).
#include "arch/neon64.hpp"
#include "instantiate.hpp"

MIMKIT_KERNEL_TABLES(neon, xsimd::neon64)
