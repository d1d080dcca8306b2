// Kernel tables for AVX-512, compiled with exactly its flags (meson.build).
#include "arch/avx512.hpp"
#include "instantiate.hpp"

MIMKIT_KERNEL_TABLES(avx512, xsimd::avx512bw)
