#include "mimkit/presets.hpp"

#include <cstring>

#include "platform/format.hpp"

namespace mimkit {

namespace {

// Settings are "key = value" lines over the defaults; grids and seeds are mimkit sweep's
// defaults. Quick forms finish in under two minutes on two cores; full forms are sized for a
// workstation (hours on a laptop).
const Preset kPresets[] = {
    {"default", "The defaults: d = 128, r = 2, he2(z1)+0.5*he2(z2), n1 = 2048, m = 64, T1 = 40.",
     "", "alpha=4,8,16,32", 2},
    {"calibration",
     "docs/ALGORITHM.md section 8's reference simulation: d = 256, alpha = 8, beta1 = 1, "
     "T1 = 60, with the spectral estimator; the smallest cosine should reach about 0.75-0.85.",
     "d = 256\nalpha = 8\nm = 64\neps0 = 1e-3\neta1 = 0.5\nbeta1 = 1\nT1 = 60\nspectral = true\n",
     "T1=10,20,40,60,80,120", 2},
    {"collapse",
     "The calibration run with T1 = 200: every neuron collapses onto the top eigenvector and the "
     "smallest cosine falls towards 0 (trace = 40 records the path).",
     "d = 256\nalpha = 8\nm = 64\neps0 = 1e-3\neta1 = 0.5\nbeta1 = 1\nT1 = 200\ntrace = 40\n", "",
     1},
    {"e1-quick",
     "E1, linear sample complexity: smallest principal cosine versus alpha = n1/d for d = 64, "
     "128 and 256 (T1 = 10, inside the sweet spot for these d), for the layer-wise network (with the spectral estimator on the same data) and DLS22's "
     "one step with label preprocessing. Curves for different d should collapse.",
     "m = 64\nT1 = 10\nspectral = true\npreprocess = true\nntest = 1024\nn2 = 2048\n",
     "d=64,128,256;alpha=2:64:6:log;variant=layerwise,dls22", 2},
    {"e1",
     "E1 at workstation scale: d = 128..1024, alpha = 2..128, five seeds.",
     "m = 128\nT1 = 12\nspectral = true\npreprocess = true\nn2 = 8192\n",
     "d=128,256,512,1024;alpha=2:128:7:log;variant=layerwise,dls22", 5},
    {"e2-quick",
     "E2, the T1 sweet spot: smallest cosine versus phase-1 steps at alpha = 8 and beta1 = 1 for "
     "d = 128 and 256: it rises, peaks, then collapses.",
     "alpha = 8\nbeta1 = 1\nm = 32\nntest = 1024\nn2 = 2048\n",
     "d=128,256;T1=5:320:7:log", 2},
    {"e2", "E2 at workstation scale: d = 128..1024, T1 = 5..640.",
     "alpha = 8\nbeta1 = 1\nm = 64\n", "d=128,256,512,1024;T1=5:640:8:log", 5},
    {"e3-quick",
     "E3, the learning rate cannot be too small: smallest cosine after T1 = 40 steps versus eta1 "
     "at d = 128, alpha = 16.",
     "alpha = 16\nm = 32\nT1 = 40\nbeta1 = 0.8\nntest = 1024\nn2 = 2048\n",
     "eta1=0.01:1:7:log", 3},
    {"e3", "E3 at workstation scale: d = 256 and 512, eta1 = 0.005..2.",
     "alpha = 16\nm = 64\nT1 = 60\nbeta1 = 0.8\n", "d=256,512;eta1=0.005:2:9:log", 5},
    {"e4-quick",
     "E4, the loss as preprocessing: g = He4(z1)/sqrt(24) + He2(z2)/sqrt(2); the squared loss "
     "only finds z2 (E[T(y)(z1^2-1)] = 0), the absolute and Huber losses find both. "
     "Per-direction recovery of u1 versus alpha.",
     "d = 64\nlink = he4(z1)/sqrt(24) + he2(z2)/sqrt(2)\nm = 32\nT1 = 40\nbeta1 = 0.6\n"
     "huber_delta = 0.5\nntest = 1024\nn2 = 2048\n",
     "loss=squared,absolute,huber;alpha=8:256:6:log", 2},
    {"e4", "E4 at workstation scale: d = 128 and 256, alpha = 8..512.",
     "link = he4(z1)/sqrt(24) + he2(z2)/sqrt(2)\nm = 64\nT1 = 60\nbeta1 = 0.6\nhuber_delta = 0.5\n",
     "d=128,256;loss=squared,absolute,huber;alpha=8:512:7:log", 5},
    {"e5-quick",
     "E5, end to end: test error after phase 2 versus alpha = n1/d (n2 = 4096) for the "
     "layer-wise network, random features and DLS22's one step at d = 64.",
     "d = 64\nm = 128\nT1 = 10\nn2 = 4096\nntest = 2048\npreprocess = true\n",
     "variant=layerwise,random_features,dls22;alpha=2:64:6:log", 2},
    {"e5", "E5 at workstation scale: d = 128, m = 512, alpha = 2..128.",
     "d = 128\nm = 512\nT1 = 12\nn2 = 16384\nntest = 8192\npreprocess = true\n",
     "variant=layerwise,random_features,dls22;alpha=2:128:7:log", 5},
    {"e6-quick",
     "E6, time complexity: wall time of a whole run versus d at alpha = 8, m = 64, T1 = 20; the "
     "log-log slope should be about 2.",
     "alpha = 8\nm = 64\nT1 = 20\nn2 = 1024\nntest = 1024\n", "d=64:512:4:log", 2},
    {"e6", "E6 at workstation scale: d = 128..4096.",
     "alpha = 8\nm = 128\nT1 = 20\nn2 = 2048\nntest = 2048\nmode = stream\n",
     "d=128:4096:6:log", 3},
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
          platform::format(names + used, sizeof names - used, "%s%s", used ? ", " : "", q.name);
      if (n < 0 || static_cast<std::size_t>(n) >= sizeof names - used) break;
      used += static_cast<std::size_t>(n);
    }
    return Status::error(Code::invalid_argument, "--preset", "unknown preset '%s' (known: %s)",
                         name ? name : "", names);
  }
  char source[96];
  platform::format(source, sizeof source, "preset %s", p->name);
  return apply_text(config, p->settings, source);
}

}  // namespace mimkit
