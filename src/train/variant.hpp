// What each training procedure (RunConfig::variant) does differently. This is the one place
// that switches on Variant: adding a variant means a row here plus its name in the config
// table (src/config.cpp).
#pragma once

#include "mimkit/config.hpp"
#include "mimkit/status.hpp"

namespace mimkit {
namespace train {

/// How the network starts.
enum class Init {
  symmetric_small,  ///< w_j = eps0 v_j, a_j = +1, and the mirrored pair (f = 0 at start)
  random_unit,      ///< w_j = v_j on the unit sphere, a = +1 / -1 halves (random features)
};

/// Where each phase-1 step reads its rows.
enum class Phase1Rows {
  fit1,    ///< full batch: every step reads all of fit1
  online,  ///< step t reads rows [t batch, (t + 1) batch) of the online dataset
};

/// The variant's choices, derived from a resolved configuration.
struct VariantPlan {
  bool trains_phase1 = true;  ///< false: W stays at its initialisation
  Phase1Rows rows = Phase1Rows::fit1;
  Init init = Init::symmetric_small;
  bool preprocess_labels = false;  ///< y <- y - mean(y) - beta . x on fit1 (DLS22)
};

VariantPlan plan_variant(const RunConfig& config) noexcept;

/// The variant's derived values (dls22: T1 = 1, beta1 = 1 / eta1). Called by resolve().
void resolve_variant(RunConfig* config) noexcept;

/// The variant's cross-field rules (online: T1 >= 1, T1 * batch <= 2^40). Called by validate().
Status validate_variant(const RunConfig& config) noexcept;

}  // namespace train
}  // namespace mimkit
