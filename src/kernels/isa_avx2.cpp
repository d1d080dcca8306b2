// Kernel tables for AVX2 + FMA, compiled with exactly -mavx2 -mfma (meson.build).
#include "arch/avx2.hpp"
#include "instantiate.hpp"

MIMKIT_KERNEL_TABLES(avx2, xsimd::fma3<xsimd::avx2>)
