// Kernel tables for the scalar instruction set, compiled with exactly that ISA's flags
// (meson.build).
#define MIMKIT_KERNEL_ARCH scalar_arch
#define MIMKIT_KERNEL_NAME scalar
#define MIMKIT_KERNEL_ISA ::mimkit::Isa::scalar
#include "instantiate.hpp"
