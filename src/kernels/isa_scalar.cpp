// Kernel tables of the scalar reference: plain C++, no xsimd, baseline flags (meson.build).
#include "arch/scalar.hpp"
#include "instantiate.hpp"

MIMKIT_KERNEL_TABLES(scalar, scalar_arch)
