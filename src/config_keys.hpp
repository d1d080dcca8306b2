// The config table: every RunConfig key with its name, type, range or choices and help text.
// set(), validate()'s per-field checks, to_json(), config_keys() and config_key_help() are all
// driven by it (src/config.cpp), so a key's name, type and range live in exactly one place:
// adding a key is one row here plus the field in include/mimkit/config.hpp.
// Internal; included by config.cpp only.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "mimkit/config.hpp"
#include "mimkit/link.hpp"

namespace mimkit {
namespace {

constexpr std::uint64_t kMaxSamples = std::uint64_t(1) << 40;
constexpr std::uint64_t kMaxD = std::uint64_t(1) << 31;
constexpr std::uint64_t kMaxU64 = ~std::uint64_t(0);

// ---------------------------------------------------------------------------------------------
// Enum texts. The first entry for a value is its canonical name; later entries are synonyms.
// ---------------------------------------------------------------------------------------------

struct Choice {
  const char* name;
  int value;
};

constexpr Choice kVariantChoices[] = {
    {"layerwise", 0}, {"dls22", 1}, {"online", 2}, {"random_features", 3}, {nullptr, 0}};
constexpr Choice kActivationChoices[] = {
    {"logcosh", 0}, {"quadratic", 1}, {"relu", 2}, {nullptr, 0}};
constexpr Choice kLossChoices[] = {{"squared", 0}, {"absolute", 1}, {"huber", 2}, {nullptr, 0}};
constexpr Choice kPhase2Choices[] = {{"exact", 0}, {"gd", 1}, {nullptr, 0}};
constexpr Choice kSpectralChoices[] = {{"identity", 0}, {"sign", 1}, {"clip", 2}, {"abs", 3},
                                       {"loss", 4},     {"y", 0},    {nullptr, 0}};
constexpr Choice kModeChoices[] = {{"materialize", 0}, {"stream", 1}, {nullptr, 0}};

// The enums are declared in value order starting at 0; the tables above index them that way.
static_assert(static_cast<int>(Variant::random_features) == 3, "kVariantChoices order");
static_assert(static_cast<int>(Activation::relu) == 2, "kActivationChoices order");
static_assert(static_cast<int>(Loss::huber) == 2, "kLossChoices order");
static_assert(static_cast<int>(Phase2Solver::gd) == 1, "kPhase2Choices order");
static_assert(static_cast<int>(SpectralTransform::loss) == 4, "kSpectralChoices order");
static_assert(static_cast<int>(DataMode::stream) == 1, "kModeChoices order");

const char* choice_name(const Choice* choices, int value) noexcept {
  for (const Choice* c = choices; c->name != nullptr; ++c) {
    if (c->value == value) return c->name;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// The key table.
// ---------------------------------------------------------------------------------------------

enum class Kind : unsigned char { uint, real, boolean, text, choice };

// Integer fields are size_t or uint64_t (the same type on some targets, distinct on others),
// and enum fields have five types, so they are reached through small accessor templates
// instantiated per member instead of one member-pointer type per C++ type.
template <auto P>
std::uint64_t get_uint(const RunConfig& c) noexcept {
  return static_cast<std::uint64_t>(c.*P);
}
template <auto P>
void put_uint(RunConfig* c, std::uint64_t v) noexcept {
  using M = std::remove_reference_t<decltype(c->*P)>;
  c->*P = static_cast<M>(v);
}
template <auto P>
int get_choice(const RunConfig& c) noexcept {
  return static_cast<int>(c.*P);
}
template <auto P>
void put_choice(RunConfig* c, int v) noexcept {
  using M = std::remove_reference_t<decltype(c->*P)>;
  c->*P = static_cast<M>(v);
}

using LinkText = char[Link::kMaxSpecLength + 1];

struct Key {
  const char* name;
  Kind kind;
  // Kind::uint
  std::uint64_t (*get_u)(const RunConfig&) noexcept;
  void (*put_u)(RunConfig*, std::uint64_t) noexcept;
  std::uint64_t min;
  std::uint64_t max;
  bool even;
  // Kind::real: finite and >= lower (> lower when lower_open)
  double RunConfig::*real;
  double lower;
  bool lower_open;
  // Kind::boolean
  bool RunConfig::*flag;
  // Kind::text
  LinkText RunConfig::*text;
  // Kind::choice
  const Choice* choices;
  int (*get_c)(const RunConfig&) noexcept;
  void (*put_c)(RunConfig*, int) noexcept;
  // Meaning, default and range; tests check the default and range against the table.
  const char* help;
};

template <auto P>
constexpr Key uint_key(const char* name, std::uint64_t min, std::uint64_t max, bool even,
                       const char* help) {
  return Key{name, Kind::uint, &get_uint<P>, &put_uint<P>, min,     max,     even,    nullptr,
             0.0,  false,      nullptr,      nullptr,      nullptr, nullptr, nullptr, help};
}
constexpr Key real_key(const char* name, double RunConfig::*p, double lower, bool lower_open,
                       const char* help) {
  return Key{name,  Kind::real, nullptr, nullptr, 0,       0,       false,   p,
             lower, lower_open, nullptr, nullptr, nullptr, nullptr, nullptr, help};
}
constexpr Key bool_key(const char* name, bool RunConfig::*p, const char* help) {
  return Key{name, Kind::boolean, nullptr, nullptr, 0,       0,       false,   nullptr,
             0.0,  false,         p,       nullptr, nullptr, nullptr, nullptr, help};
}
constexpr Key text_key(const char* name, LinkText RunConfig::*p, const char* help) {
  return Key{name, Kind::text, nullptr, nullptr, 0,       0,       false,   nullptr,
             0.0,  false,      nullptr, p,       nullptr, nullptr, nullptr, help};
}
template <auto P>
constexpr Key choice_key(const char* name, const Choice* choices, const char* help) {
  return Key{name,           Kind::choice, nullptr, nullptr, 0,       0,       false,
             nullptr,        0.0,          false,   nullptr, nullptr, choices, &get_choice<P>,
             &put_choice<P>, help};
}

constexpr Key kKeys[] = {
    // Model
    uint_key<&RunConfig::d>("d", 1, kMaxD, false,
                            "input dimension (default 128; allowed: 1..2^31)"),
    uint_key<&RunConfig::r>("r", 1, Link::kMaxR, false,
                            "hidden directions, at most d (default 2; allowed: 1..64)"),
    text_key("link", &RunConfig::link,
             "link g(z1..zr), e.g. he2(z1)+0.5*he2(z2), z1*z2, relu(z1), sign(z1*z2), norm2 "
             "(default he2(z1)+0.5*he2(z2); allowed: a link spec of at most 255 characters)"),
    real_key("noise", &RunConfig::noise, 0.0, false,
             "label noise tau (default 0; allowed: a finite number >= 0)"),
    uint_key<&RunConfig::seed>("seed", 0, kMaxU64, false,
                               "seed of every random number (default 0; allowed: 0..2^64-1)"),
    // Sample sizes
    real_key("alpha", &RunConfig::alpha, 0.0, false,
             "if > 0, n1 = round(alpha d) overrides n1 (default 0; allowed: a finite number >= "
             "0)"),
    uint_key<&RunConfig::n1>("n1", 1, kMaxSamples, false,
                             "phase-1 samples (default 2048; allowed: 1..2^40)"),
    uint_key<&RunConfig::n2>("n2", 1, kMaxSamples, false,
                             "phase-2 samples (default 4096; allowed: 1..2^40)"),
    uint_key<&RunConfig::ntest>("ntest", 1, kMaxSamples, false,
                                "test samples (default 4096; allowed: 1..2^40)"),
    uint_key<&RunConfig::nval>("nval", 1, kMaxSamples, false,
                               "validation samples, for choosing settings (default 4096; "
                               "allowed: 1..2^40)"),
    // Network and phase 1
    uint_key<&RunConfig::m>("m", 2, 65536, true,
                            "hidden units (default 64; allowed: 2..65536, even)"),
    real_key("m_per_d", &RunConfig::m_per_d, 0.0, false,
             "if > 0, m = the even number nearest m_per_d d overrides m, for widths that scale "
             "with d (default 0; allowed: a finite number >= 0)"),
    real_key("eps0", &RunConfig::eps0, 0.0, true,
             "initial weight norm (default 0.001; allowed: a finite number > 0)"),
    real_key("eta1", &RunConfig::eta1, 0.0, true,
             "phase-1 learning rate (default 0.5; allowed: a finite number > 0)"),
    real_key("beta1", &RunConfig::beta1, 0.0, false,
             "phase-1 weight decay (default 0.8; allowed: a finite number >= 0)"),
    uint_key<&RunConfig::T1>("T1", 0, 1000000, false,
                             "phase-1 steps, dls22 forces 1 (default 40; allowed: 0..1000000)"),
    choice_key<&RunConfig::loss>("loss", kLossChoices,
                                 "loss of both phases (default squared; allowed: squared, "
                                 "absolute, huber)"),
    real_key("huber_delta", &RunConfig::huber_delta, 0.0, true,
             "Huber threshold, also the clip level of spectral_T = clip (default 1; allowed: a "
             "finite number > 0)"),
    choice_key<&RunConfig::activation>(
        "activation", kActivationChoices,
        "phase-1 activation; relu is rejected by validate (default logcosh; allowed: logcosh, "
        "quadratic, relu)"),
    choice_key<&RunConfig::variant>("variant", kVariantChoices,
                                    "training procedure (default layerwise; allowed: layerwise, "
                                    "dls22, online, random_features)"),
    uint_key<&RunConfig::batch>("batch", 1, kMaxSamples, false,
                                "online variant: fresh samples per step (default 256; allowed: "
                                "1..2^40)"),
    bool_key("preprocess", &RunConfig::preprocess,
             "dls22: y <- y - mean(y) - beta.x on fit1 (default false; allowed: true, false, 1, 0, "
             "yes, no, on, off)"),
    // Phase 2
    bool_key("normalize", &RunConfig::normalize,
             "w_j <- w_j / ||w_j|| before phase 2 (default true; allowed: true, false, 1, 0, yes, "
             "no, on, off)"),
    real_key("sigma_b", &RunConfig::sigma_b, 0.0, false,
             "phase-2 bias scale, b_j ~ N(0, sigma_b^2) (default 1; allowed: a finite number >= "
             "0)"),
    choice_key<&RunConfig::activation2>("activation2", kActivationChoices,
                                        "phase-2 feature activation (default relu; allowed: "
                                        "logcosh, quadratic, relu)"),
    real_key("lambda2", &RunConfig::lambda2, 0.0, false,
             "ridge penalty, > 0 for phase2 = exact (default 0.001; allowed: a finite number >= "
             "0)"),
    choice_key<&RunConfig::phase2>("phase2", kPhase2Choices,
                                   "phase-2 solver: exact ridge (squared loss) or gd with loss "
                                   "(default exact; allowed: exact, gd)"),
    uint_key<&RunConfig::T2>("T2", 0, 10000000, false,
                             "phase-2 GD steps (default 500; allowed: 0..10000000)"),
    real_key("eta2", &RunConfig::eta2, 0.0, false,
             "phase-2 GD step, 0 = 1 / (trace(Gram)/n + lambda2) (default 0; allowed: a finite "
             "number >= 0)"),
    // Spectral estimator
    bool_key("spectral", &RunConfig::spectral,
             "also run the spectral estimator on fit1 (default false; allowed: true, false, 1, 0, "
             "yes, no, on, off)"),
    choice_key<&RunConfig::spectral_T>(
        "spectral_T", kSpectralChoices,
        "label transform T of S_T (default identity; allowed: identity, sign, clip, abs, loss, y "
        "(= identity))"),
    uint_key<&RunConfig::spectral_iters>("spectral_iters", 1, 1000000, false,
                                         "subspace-iteration passes over fit1 (default 60; "
                                         "allowed: 1..1000000)"),
    // Metrics
    uint_key<&RunConfig::trace>("trace", 0, 4096, false,
                                "metrics at about this many log-spaced steps, 0 = off (default 0; "
                                "allowed: 0..4096)"),
    uint_key<&RunConfig::trace_every>("trace_every", 0, 1000000, false,
                                      "if > 0, metrics every trace_every steps instead of trace's "
                                      "schedule (default 0; allowed: 0..1000000)"),
    // Execution
    choice_key<&RunConfig::mode>("mode", kModeChoices,
                                 "fit1/fit2 stored once or regenerated per pass (default "
                                 "materialize; allowed: materialize, stream)"),
    uint_key<&RunConfig::tile_rows>("tile_rows", 1, 65536, false,
                                    "rows per tile (default 256; allowed: 1..65536)"),
    uint_key<&RunConfig::shards>("shards", 1, 256, false,
                                 "fixed sample partition of reductions; results depend on it, "
                                 "never on threads (default 4; allowed: 1..256)"),
};

constexpr std::size_t kKeyCount = sizeof(kKeys) / sizeof(kKeys[0]);

constexpr std::array<const char*, kKeyCount + 1> make_key_names() {
  std::array<const char*, kKeyCount + 1> names{};
  for (std::size_t i = 0; i < kKeyCount; ++i) names[i] = kKeys[i].name;
  names[kKeyCount] = nullptr;
  return names;
}
constexpr std::array<const char*, kKeyCount + 1> kKeyNames = make_key_names();

const Key* find_key(const char* name) noexcept {
  for (const Key& k : kKeys) {
    if (std::strcmp(k.name, name) == 0) return &k;
  }
  return nullptr;
}

}  // namespace
}  // namespace mimkit
