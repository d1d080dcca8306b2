// The one place that maps an Isa to its kernel tables. MIMKIT_COMPILED_ISAS(X) (set by
// meson.build) expands X(name) for each ISA compiled into this build.
#include "kernels.hpp"

namespace mimkit {
namespace kernels {

#define MIMKIT_DECLARE_TABLES(name)                          \
  template <>                                                \
  const Table<float>* table_of<float, Isa::name>() noexcept; \
  template <>                                                \
  const Table<double>* table_of<double, Isa::name>() noexcept;
MIMKIT_COMPILED_ISAS(MIMKIT_DECLARE_TABLES)
#undef MIMKIT_DECLARE_TABLES

template <class T>
const Table<T>* table(Isa isa) noexcept {
  switch (isa) {
#define MIMKIT_TABLE_CASE(name) \
  case Isa::name:               \
    return table_of<T, Isa::name>();
    MIMKIT_COMPILED_ISAS(MIMKIT_TABLE_CASE)
#undef MIMKIT_TABLE_CASE
    default:
      return nullptr;
  }
}

template const Table<float>* table<float>(Isa isa) noexcept;
template const Table<double>* table<double>(Isa isa) noexcept;

}  // namespace kernels
}  // namespace mimkit
