// Named, documented configurations: the experiments of docs/ALGORITHM.md section 7 and a few
// reference runs.
#pragma once

#include <cstddef>

#include "mimkit/config.hpp"

namespace mimkit {

struct Preset {
  const char* name;
  const char* description;  ///< what it shows, one or two sentences
  const char* settings;     ///< "key = value" lines applied over the defaults
  const char* grid;         ///< mimkit sweep's default grid: "key=v1,v2;key=lo:hi:count:log"
  unsigned seeds;           ///< mimkit sweep's default number of seeds per grid point
};

/// All presets, in documentation order; *count receives how many.
const Preset* presets(std::size_t* count) noexcept;

/// The preset called `name`, or nullptr.
const Preset* find_preset(const char* name) noexcept;

/// Applies the preset's settings to *config. Unknown names get the list of known ones.
Status apply_preset(RunConfig* config, const char* name) noexcept;

}  // namespace mimkit
