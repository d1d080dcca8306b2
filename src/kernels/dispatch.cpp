// The one place that maps an Isa to its kernel tables.
#include "kernels.hpp"

namespace mimkit {
namespace kernels {

const Table<float>* table_f32_scalar() noexcept;
const Table<double>* table_f64_scalar() noexcept;
#if defined(MIMKIT_HAVE_AVX2)
const Table<float>* table_f32_avx2() noexcept;
const Table<double>* table_f64_avx2() noexcept;
#endif
#if defined(MIMKIT_HAVE_AVX512)
const Table<float>* table_f32_avx512() noexcept;
const Table<double>* table_f64_avx512() noexcept;
#endif
#if defined(MIMKIT_HAVE_NEON)
const Table<float>* table_f32_neon() noexcept;
const Table<double>* table_f64_neon() noexcept;
#endif

const Table<float>* table_f32(Isa isa) noexcept {
  switch (isa) {
    case Isa::scalar:
      return table_f32_scalar();
#if defined(MIMKIT_HAVE_AVX2)
    case Isa::avx2:
      return table_f32_avx2();
#endif
#if defined(MIMKIT_HAVE_AVX512)
    case Isa::avx512:
      return table_f32_avx512();
#endif
#if defined(MIMKIT_HAVE_NEON)
    case Isa::neon:
      return table_f32_neon();
#endif
    default:
      return nullptr;
  }
}

const Table<double>* table_f64(Isa isa) noexcept {
  switch (isa) {
    case Isa::scalar:
      return table_f64_scalar();
#if defined(MIMKIT_HAVE_AVX2)
    case Isa::avx2:
      return table_f64_avx2();
#endif
#if defined(MIMKIT_HAVE_AVX512)
    case Isa::avx512:
      return table_f64_avx512();
#endif
#if defined(MIMKIT_HAVE_NEON)
    case Isa::neon:
      return table_f64_neon();
#endif
    default:
      return nullptr;
  }
}

}  // namespace kernels
}  // namespace mimkit
