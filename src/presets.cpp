#include "mimkit/presets.hpp"

#include <cstdio>
#include <cstring>

namespace mimkit {

namespace {

const Preset kPresets[] = {
    {"default", "The defaults: d = 128, r = 2, he2(z1)+0.5*he2(z2), n1 = 2048, m = 64, T1 = 40.",
     "", "alpha=4,8,16,32", 2},
    {"calibration",
     "ALGORITHM.md section 8's reference simulation: d = 256, alpha = 8, beta1 = 1, T1 = 60, "
     "with the spectral estimator; the smallest cosine should reach about 0.75-0.85 and the "
     "spectral estimator about 0.57.",
     "d = 256\nalpha = 8\nm = 64\neps0 = 1e-3\neta1 = 0.5\nbeta1 = 1\nT1 = 60\nspectral = true\n",
     "T1=10,20,40,60,80,120", 2},
    {"collapse",
     "The calibration run with T1 = 200: every neuron collapses onto the top eigenvector and the "
     "smallest cosine falls towards 0.",
     "d = 256\nalpha = 8\nm = 64\neps0 = 1e-3\neta1 = 0.5\nbeta1 = 1\nT1 = 200\ntrace = 40\n", "",
     1},
};

}  // namespace

const Preset* presets(std::size_t* count) noexcept {
  *count = sizeof(kPresets) / sizeof(kPresets[0]);
  return kPresets;
}

const Preset* find_preset(const char* name) noexcept {
  for (const Preset& p : kPresets) {
    if (name != nullptr && std::strcmp(p.name, name) == 0) return &p;
  }
  return nullptr;
}

Status apply_preset(RunConfig* config, const char* name) noexcept {
  const Preset* p = find_preset(name);
  if (p == nullptr) {
    char names[512] = "";
    std::size_t used = 0;
    for (const Preset& q : kPresets) {
      const int n =
          std::snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", q.name);
      if (n < 0 || static_cast<std::size_t>(n) >= sizeof names - used) break;
      used += static_cast<std::size_t>(n);
    }
    return Status::error(Code::invalid_argument, "--preset", "unknown preset '%s' (known: %s)",
                         name ? name : "", names);
  }
  char source[96];
  std::snprintf(source, sizeof source, "preset %s", p->name);
  return apply_text(config, p->settings, source);
}

}  // namespace mimkit
