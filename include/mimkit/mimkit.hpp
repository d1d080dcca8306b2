// mimkit: Gaussian multi-index models, layer-wise training and spectral baselines.
// Including this header gives the whole public API.
#pragma once

#include "mimkit/arena.hpp"
#include "mimkit/config.hpp"
#include "mimkit/data.hpp"
#include "mimkit/digest.hpp"
#include "mimkit/isa.hpp"
#include "mimkit/link.hpp"
#include "mimkit/metrics.hpp"
#include "mimkit/presets.hpp"
#include "mimkit/report.hpp"
#include "mimkit/rng.hpp"
#include "mimkit/status.hpp"
#include "mimkit/theory.hpp"
#include "mimkit/train.hpp"
#include "mimkit/version.hpp"
