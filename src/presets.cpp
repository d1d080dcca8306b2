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
     "The reference simulation of docs/ALGORITHM.md (d = 256, alpha = 8, beta1 = 1, T1 = 40, "
     "with the spectral estimator). Measured over 24 seeds: at T1 = 40 the smallest cosine "
     "exceeds 0.5 for 21 of 24 seeds in float (median 0.74) and 15 of 24 in double (median "
     "0.65); by T1 = 80 most seeds have collapsed (8 of 24 and 6 of 24 still above 0.5).",
     "d = 256\nalpha = 8\nm = 64\neps0 = 1e-3\neta1 = 0.5\nbeta1 = 1\nT1 = 40\nspectral = true\n",
     "T1=10,20,40,60,80,120", 6},
    {"collapse",
     "The calibration run with T1 = 200: every neuron collapses onto the top eigenvector and the "
     "smallest cosine falls towards 0 (trace = 40 records the path).",
     "d = 256\nalpha = 8\nm = 64\neps0 = 1e-3\neta1 = 0.5\nbeta1 = 1\nT1 = 200\ntrace = 40\n", "",
     1},
    {"e1-quick",
     "E1, linear sample complexity: smallest principal cosine versus alpha = n1/d for d = 64, "
     "128 and 256 (T1 = 10, inside the sweet spot for these d), for the layer-wise network (with "
     "the spectral estimator on the same data) and DLS22's "
     "one step with label preprocessing. Curves for different d should collapse.",
     "m = 64\nT1 = 10\nspectral = true\npreprocess = true\nntest = 1024\nn2 = 2048\n",
     "d=64,128,256;alpha=2:64:6:log;variant=layerwise,dls22", 2},
    {"e1",
     "E1 under the selection protocol (docs/PROTOCOL.md), the layer-wise network: width m = d/2, "
     "T1 in {6, 12, 24} chosen per seed on validation (mimkit select --over T1), with the "
     "spectral estimator on the same data; d = 128..1024, alpha = 2..64, five seeds.",
     "m_per_d = 0.5\nspectral = true\nn2 = 8192\nntest = 4096\nnval = 4096\n",
     "d=128,256,512,1024;alpha=2,4,8,16,32,64;T1=6,12,24", 5},
    {"e1-dls22",
     "E1's baseline under the same protocol: DLS22's one step, with the label preprocessing "
     "and the width m in {d/2, 2d} chosen per seed on validation (mimkit select --over "
     "preprocess,m_per_d).",
     "variant = dls22\nn2 = 8192\nntest = 4096\nnval = 4096\n",
     "d=128,256,512,1024;alpha=2,4,8,16,32,64;preprocess=true,false;m_per_d=0.5,2", 5},
    {"e2-quick",
     "E2, the T1 sweet spot: smallest cosine versus phase-1 steps at alpha = 8 and beta1 = 1 for "
     "d = 128 and 256: it rises, peaks, then collapses.",
     "alpha = 8\nbeta1 = 1\nm = 32\nntest = 1024\nn2 = 2048\n", "d=128,256;T1=5:320:7:log", 2},
    {"e2",
     "E2 step by step: the metrics of W after every 5th phase-1 step up to T1 = 600 (trace), "
     "for d = 128..1024, alpha in {8, 16, 32}, beta1 in {0.6, 1}, m = 64, six seeds. Each "
     "seed's best T1 is where its smallest cosine peaks; the mechanism metrics (mass, rank, "
     "overlap of each u_k) say what ends the peak (scripts/e2-analysis).",
     "m = 64\nT1 = 600\ntrace_every = 5\nn2 = 2048\nntest = 2048\nnval = 2048\n",
     "d=128,256,512,1024;alpha=8,16,32;beta1=0.6,1", 6},
    {"e2-large",
     "E2 at d = 2048 and 4096 (alpha in {8, 16}, beta1 in {0.6, 1}, T1 = 300, six seeds): the "
     "same trace as e2, to see whether the best T1 keeps its trend beyond e2's range.",
     "m = 64\nT1 = 300\ntrace_every = 5\nn2 = 2048\nntest = 2048\nnval = 2048\n",
     "d=2048,4096;alpha=8,16;beta1=0.6,1", 6},
    {"e3-quick",
     "E3, the learning rate cannot be too small: smallest cosine after T1 = 40 steps versus eta1 "
     "at d = 128, alpha = 16.",
     "alpha = 16\nm = 32\nT1 = 40\nbeta1 = 0.8\nntest = 1024\nn2 = 2048\n", "eta1=0.01:1:7:log", 3},
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
    {"e5",
     "E5 under the selection protocol (docs/PROTOCOL.md), the layer-wise network: d = 128, "
     "n2 = 16384; T1 in {6, 12, 24, 48} and the width m in {512, 2048} (the baselines' choices) "
     "chosen per seed on validation; alpha = 2..128, ten seeds.",
     "d = 128\nn2 = 16384\nntest = 8192\nnval = 8192\n",
     "alpha=2,4,8,16,32,64,128;T1=6,12,24,48;m=512,2048", 10},
    {"e5-normalize",
     "E5's ablation of the row normalisation before phase 2: the layer-wise network at m = 512 "
     "with normalize in {true, false} (and T1 in {6, 12, 24, 48}), ten seeds.",
     "d = 128\nm = 512\nn2 = 16384\nntest = 8192\nnval = 8192\n",
     "alpha=2,4,8,16,32,64,128;T1=6,12,24,48;normalize=true,false", 10},
    {"e5-dls22",
     "E5's baseline: DLS22's one step, preprocessing and width m in {512, 2048} chosen on "
     "validation.",
     "d = 128\nvariant = dls22\nn2 = 16384\nntest = 8192\nnval = 8192\n",
     "alpha=2,4,8,16,32,64,128;preprocess=true,false;m=512,2048", 10},
    {"e5-rf",
     "E5's baseline: random features (no phase 1), width m in {512, 2048} chosen on validation.",
     "d = 128\nvariant = random_features\nn2 = 16384\nntest = 8192\nnval = 8192\n",
     "alpha=2,4,8,16,32,64,128;m=512,2048", 10},
    {"e6-quick",
     "E6, time complexity: wall time of a whole run versus d at alpha = 8, m = 64, T1 = 20; the "
     "log-log slope should be about 2.",
     "alpha = 8\nm = 64\nT1 = 20\nn2 = 1024\nntest = 1024\n", "d=64:512:4:log", 2},
    {"e6", "E6 at workstation scale: d = 128..4096.",
     "alpha = 8\nm = 128\nT1 = 20\nn2 = 2048\nntest = 2048\nmode = stream\n", "d=128:4096:6:log",
     3},
    // E7 and E8 (docs/ALGORITHM.md sections 7, 9 and 10). Phase 1 is 12 steps of pure power
    // iteration (eta1 = beta1 = 1, so 1 - eta1 beta1 = 0) and the spectral estimator uses the
    // loss's own T (spectral_T = loss), so each point compares the network with S_T for the same
    // T: y (squared), sign (absolute), clip at 1 (huber). Compare with `mimkit theory --link ...
    // --T ...`; the optimal T's threshold is the theory's alpha_opt.
    {"e7-quick",
     "E7, thresholds: smallest cosine of the network and of S_T (same T) versus alpha for "
     "g = z1*z2 at d = 128 and 256. Predicted alpha_c (mimkit theory): sign 2.93, clip 0.88; "
     "T = y is not predicted (unbounded labels); the best T reaches 0.594.",
     "link = z1*z2\nm = 64\neta1 = 1\nbeta1 = 1\nT1 = 12\nspectral = true\n"
     "spectral_T = loss\nn2 = 1024\nntest = 1024\n",
     "d=128,256;alpha=0.5:16:6:log;loss=squared,absolute,huber", 2},
    {"e7-z1z2",
     "E7 for g = z1*z2 at workstation scale: d = 256..4096 (finite-size scaling of the "
     "transition), alpha = 0.25..16, five seeds. Predicted alpha_c: sign 2.93, clip 0.88; "
     "alpha_opt 0.594.",
     "link = z1*z2\nm = 64\neta1 = 1\nbeta1 = 1\nT1 = 12\nspectral = true\n"
     "spectral_T = loss\nn2 = 1024\nntest = 1024\nmode = stream\n",
     "d=256,512,1024,2048,4096;alpha=0.25:16:13:log;loss=squared,absolute,huber", 5},
    {"e7-e1",
     "E7 for E1's link he2(z1)+0.5*he2(z2): d = 256..1024, alpha = 0.25..16, five seeds. "
     "Predicted alpha_c (z1, z2): sign 1.41 and 2.83, clip 0.99 and 2.42 (with sign, the lopsided "
     "bulk hides z2's outlier from the |eigenvalue| selection until alpha ~ 5); alpha_opt 0.615.",
     "link = he2(z1)+0.5*he2(z2)\nm = 64\neta1 = 1\nbeta1 = 1\nT1 = 12\nspectral = true\n"
     "spectral_T = loss\nn2 = 1024\nntest = 1024\nmode = stream\n",
     "d=256,512,1024;alpha=0.25:16:13:log;loss=squared,absolute,huber", 5},
    {"e7-norm2",
     "E7 for g = norm2 = ||z||^2/4 (r = 4): d = 256..1024, alpha = 0.25..64, five seeds. "
     "sign(y) = 1 sees nothing; clip at 1 has alpha_c 19.4; T = y is not predicted; the best T "
     "(1 - 1/y) reaches 2.",
     "r = 4\nlink = norm2\nm = 64\neta1 = 1\nbeta1 = 1\nT1 = 12\nspectral = true\n"
     "spectral_T = loss\nn2 = 1024\nntest = 1024\nmode = stream\n",
     "d=256,512,1024;alpha=0.25:64:17:log;loss=squared,absolute,huber", 5},
    {"e7-e1-large",
     "e7-e1 at d = 2048 and 4096 (the same settings; its lines join e7-e1's in the analysis).",
     "link = he2(z1)+0.5*he2(z2)\nm = 64\neta1 = 1\nbeta1 = 1\nT1 = 12\nspectral = true\n"
     "spectral_T = loss\nn2 = 1024\nntest = 1024\nmode = stream\n",
     "d=2048,4096;alpha=0.25:16:13:log;loss=squared,absolute,huber", 5},
    {"e7-norm2-large",
     "e7-norm2 at d = 2048 (the same settings; its lines join e7-norm2's in the analysis).",
     "r = 4\nlink = norm2\nm = 64\neta1 = 1\nbeta1 = 1\nT1 = 12\nspectral = true\n"
     "spectral_T = loss\nn2 = 1024\nntest = 1024\nmode = stream\n",
     "d=2048;alpha=0.25:64:17:log;loss=squared,absolute,huber", 5},
    {"e8-quick",
     "E8, hard links: sign(z1*z2) and relu(z1)+z2^2 at d = 128, alpha = 1..256; the network "
     "(three losses) and S_T with the loss's T or T = |y|. Both links are generic "
     "(docs/ALGORITHM.md section 10).",
     "m = 64\neta1 = 1\nbeta1 = 1\nT1 = 12\nspectral = true\nd = 128\nn2 = 1024\n"
     "ntest = 1024\n",
     "link=sign(z1*z2),relu(z1)+z2^2;alpha=1:256:5:log;loss=squared,absolute,huber;"
     "spectral_T=loss,abs",
     2},
    {"e8-r2",
     "E8 with two hidden directions at d = 256 and 512, alpha = 1..256, three seeds: "
     "sign(z1*z2) (alpha_c 2.93 with T = y, sign or clip; |y| = 1 sees nothing; alpha_opt 2.47) "
     "and relu(z1)+z2^2 (y > 0, so sign(y) = 1 sees nothing; clip at 1: alpha_c 7.3 along z2, "
     "129 along the relu direction, whose alpha_opt is 6.9).",
     "m = 64\neta1 = 1\nbeta1 = 1\nT1 = 12\nspectral = true\nn2 = 1024\nntest = 1024\n",
     "d=256,512;link=sign(z1*z2),relu(z1)+z2^2;alpha=1:256:9:log;loss=squared,absolute,huber;"
     "spectral_T=loss,abs",
     3},
    {"e8-r3",
     "E8 with three: z1*z2*z3 (M_T = 0 for T = y, sign and clip, so no loss finds it; T = |y| "
     "does, alpha_opt 2.56) and sign(z1*z2*z3) (E[z z^T | y] = I: no T finds it at any alpha "
     "linear in d) at d = 256 and 512, alpha = 1..256, three seeds.",
     "r = 3\nm = 64\neta1 = 1\nbeta1 = 1\nT1 = 12\nspectral = true\nn2 = 1024\n"
     "ntest = 1024\n",
     "d=256,512;link=z1*z2*z3,sign(z1*z2*z3);alpha=1:256:9:log;loss=squared,absolute,huber;"
     "spectral_T=loss,abs",
     3},
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
