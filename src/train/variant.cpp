#include "train/variant.hpp"

#include <cmath>
#include <cstdint>

namespace mimkit {
namespace train {

VariantPlan plan_variant(const RunConfig& c) noexcept {
  VariantPlan p;
  switch (c.variant) {
    case Variant::layerwise:
      break;
    case Variant::dls22:
      p.preprocess_labels = c.preprocess;
      break;
    case Variant::online:
      p.rows = Phase1Rows::online;
      break;
    case Variant::random_features:
      p.trains_phase1 = false;
      p.init = Init::random_unit;
      break;
  }
  return p;
}

void resolve_variant(RunConfig* config) noexcept {
  RunConfig& c = *config;
  if (c.variant == Variant::dls22) {
    // One step with beta1 = 1/eta1: the decay term cancels W0 exactly (DLS22).
    c.T1 = 1;
    if (c.eta1 > 0 && std::isfinite(c.eta1)) c.beta1 = 1.0 / c.eta1;
  }
}

Status validate_variant(const RunConfig& c) noexcept {
  if (c.variant != Variant::online) return Status();
  // The online variant draws T1 fresh batches: T1 * batch rows of one dataset.
  if (c.T1 < 1) {
    return Status::error(Code::invalid_argument, "T1",
                         "T1 = 0 with variant = online draws no samples (allowed: 1..1000000)");
  }
  // T1 <= 10^6 and batch <= 2^40 (their own ranges), so the product fits in 64 bits.
  constexpr std::uint64_t kMaxRows = std::uint64_t(1) << 40;
  const std::uint64_t rows = static_cast<std::uint64_t>(c.T1) * c.batch;
  if (rows > kMaxRows) {
    return Status::error(Code::invalid_argument, "batch",
                         "batch = %zu with T1 = %zu draws %llu online samples (allowed: T1 * "
                         "batch <= 2^40)",
                         c.batch, c.T1, static_cast<unsigned long long>(rows));
  }
  return Status();
}

}  // namespace train
}  // namespace mimkit
