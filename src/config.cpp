// RunConfig: one static table of keys drives set(), validate()'s per-field ranges, to_json(),
// config_keys() and config_key_help(), so a key's name, type and range live in exactly one place.
#include "mimkit/config.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>

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
    // Network and phase 1
    uint_key<&RunConfig::m>("m", 2, 65536, true,
                            "hidden units (default 64; allowed: 2..65536, even)"),
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
    uint_key<&RunConfig::trace>("trace", 0, 256, false,
                                "metrics at about this many log-spaced steps, 0 = off (default 0; "
                                "allowed: 0..256)"),
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

// ---------------------------------------------------------------------------------------------
// Text helpers.
// ---------------------------------------------------------------------------------------------

// Appends printf-style text to a fixed buffer; counts the full length like snprintf, so the
// same writer both measures and fills.
class Writer {
 public:
  Writer(char* out, std::size_t capacity) noexcept : out_(out), capacity_(capacity) {
    if (capacity_ > 0) out_[0] = '\0';
  }

  void put(const char* format, ...) noexcept __attribute__((format(printf, 2, 3))) {
    std::va_list args;
    va_start(args, format);
    const bool room = used_ < capacity_;
    const int n =
        std::vsnprintf(room ? out_ + used_ : nullptr, room ? capacity_ - used_ : 0, format, args);
    va_end(args);
    if (n > 0) used_ += static_cast<std::size_t>(n);
  }

  void put_char(char c) noexcept {
    if (used_ + 1 < capacity_) {
      out_[used_] = c;
      out_[used_ + 1] = '\0';
    }
    ++used_;
  }

  std::size_t used() const noexcept { return used_; }

 private:
  char* out_;
  std::size_t capacity_;
  std::size_t used_ = 0;
};

// 2^k for large powers of two reads better than twelve digits in an error message.
void put_bound(Writer& w, std::uint64_t v) noexcept {
  if (v == kMaxU64) {
    w.put("2^64-1");
  } else if (v >= (std::uint64_t(1) << 20) && (v & (v - 1)) == 0) {
    int k = 0;
    while ((std::uint64_t(1) << k) != v) ++k;
    w.put("2^%d", k);
  } else {
    w.put("%llu", static_cast<unsigned long long>(v));
  }
}

constexpr const char* kBoolAllowed = "true, false, 1, 0, yes, no, on, off";

// What a key accepts, e.g. "2..65536, even" or "squared, absolute, huber".
void format_allowed(const Key& k, char* out, std::size_t capacity) noexcept {
  Writer w(out, capacity);
  switch (k.kind) {
    case Kind::uint:
      put_bound(w, k.min);
      w.put("..");
      put_bound(w, k.max);
      if (k.even) w.put(", even");
      break;
    case Kind::real:
      w.put("a finite number %s %g", k.lower_open ? ">" : ">=", k.lower);
      break;
    case Kind::boolean:
      w.put("%s", kBoolAllowed);
      break;
    case Kind::text:
      w.put("a link spec of at most %zu characters", Link::kMaxSpecLength);
      break;
    case Kind::choice:
      for (const Choice* c = k.choices; c->name != nullptr; ++c) {
        w.put("%s%s", c == k.choices ? "" : ", ", c->name);
        const char* canonical = choice_name(k.choices, c->value);
        if (canonical != c->name) w.put(" (= %s)", canonical);
      }
      break;
  }
}

char lower_ascii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so "eat1" is one
// edit from "eta1"), case-insensitive, on at most the first 63 characters of each string.
std::size_t edit_distance(const char* a, const char* b) noexcept {
  constexpr std::size_t kMax = 63;
  const std::size_t la = std::min(std::strlen(a), kMax);
  const std::size_t lb = std::min(std::strlen(b), kMax);
  std::size_t rows[3][kMax + 1];
  std::size_t* prev2 = rows[0];
  std::size_t* prev = rows[1];
  std::size_t* cur = rows[2];
  for (std::size_t j = 0; j <= lb; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= la; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= lb; ++j) {
      const char ca = lower_ascii(a[i - 1]);
      const char cb = lower_ascii(b[j - 1]);
      std::size_t best = prev[j - 1] + (ca == cb ? 0 : 1);
      best = std::min(best, prev[j] + 1);
      best = std::min(best, cur[j - 1] + 1);
      if (i > 1 && j > 1 && ca == lower_ascii(b[j - 2]) && lower_ascii(a[i - 2]) == cb) {
        best = std::min(best, prev2[j - 2] + 1);
      }
      cur[j] = best;
    }
    std::size_t* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb];
}

// Close enough to be a typo: one edit for short words, two for longer ones.
bool is_close(const char* typed, const char* candidate) noexcept {
  const std::size_t limit = std::strlen(typed) <= 3 ? 1 : 2;
  return edit_distance(typed, candidate) <= limit;
}

const char* suggest_key(const char* typed) noexcept {
  const char* best = nullptr;
  std::size_t best_distance = 0;
  for (const Key& k : kKeys) {
    if (!is_close(typed, k.name)) continue;
    const std::size_t dist = edit_distance(typed, k.name);
    if (best == nullptr || dist < best_distance) {
      best = k.name;
      best_distance = dist;
    }
  }
  return best;
}

const char* suggest_choice(const Choice* choices, const char* typed) noexcept {
  const char* best = nullptr;
  std::size_t best_distance = 0;
  for (const Choice* c = choices; c->name != nullptr; ++c) {
    if (!is_close(typed, c->name)) continue;
    const std::size_t dist = edit_distance(typed, c->name);
    if (best == nullptr || dist < best_distance) {
      best = c->name;
      best_distance = dist;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Value parsing.
// ---------------------------------------------------------------------------------------------

enum class UintResult { ok, malformed, negative, overflow };

// A whole decimal number: digits only (no sign, spaces, exponent or suffix), no overflow.
UintResult parse_uint(const char* s, std::uint64_t* out) noexcept {
  if (s[0] == '-' && s[1] >= '0' && s[1] <= '9') return UintResult::negative;
  if (s[0] == '\0') return UintResult::malformed;
  std::uint64_t v = 0;
  bool overflow = false;
  for (const char* p = s; *p != '\0'; ++p) {
    if (*p < '0' || *p > '9') return UintResult::malformed;
    const std::uint64_t digit = static_cast<std::uint64_t>(*p - '0');
    if (v > (kMaxU64 - digit) / 10) overflow = true;
    v = v * 10 + digit;
  }
  if (overflow) return UintResult::overflow;
  *out = v;
  return UintResult::ok;
}

// A finite decimal number, the whole text (strtod would skip leading spaces and accept hex,
// "nan", "inf" and out-of-range values that become infinities).
bool parse_real(const char* s, double* out) noexcept {
  if (s[0] == '\0') return false;
  for (const char* p = s; *p != '\0'; ++p) {
    const char c = *p;
    const bool ok =
        (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    if (!ok) return false;
  }
  char* end = nullptr;
  const double v = std::strtod(s, &end);
  if (end == s || *end != '\0' || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

bool parse_bool(const char* s, bool* out) noexcept {
  static constexpr const char* kTrue[] = {"true", "1", "yes", "on"};
  static constexpr const char* kFalse[] = {"false", "0", "no", "off"};
  for (const char* t : kTrue) {
    if (std::strcmp(s, t) == 0) {
      *out = true;
      return true;
    }
  }
  for (const char* f : kFalse) {
    if (std::strcmp(s, f) == 0) {
      *out = false;
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Per-field range checks, shared by set() (immediate feedback) and validate().
// ---------------------------------------------------------------------------------------------

Status check_uint(const Key& k, std::uint64_t v) noexcept {
  char allowed[96];
  if (v < k.min || v > k.max) {
    format_allowed(k, allowed, sizeof allowed);
    return Status::error(Code::invalid_argument, k.name, "%s = %llu is out of range (allowed: %s)",
                         k.name, static_cast<unsigned long long>(v), allowed);
  }
  if (k.even && v % 2 != 0) {
    format_allowed(k, allowed, sizeof allowed);
    return Status::error(Code::invalid_argument, k.name, "%s = %llu must be even (allowed: %s)",
                         k.name, static_cast<unsigned long long>(v), allowed);
  }
  return Status();
}

Status check_real(const Key& k, double v) noexcept {
  const bool ok = std::isfinite(v) && (k.lower_open ? v > k.lower : v >= k.lower);
  if (ok) return Status();
  char allowed[96];
  format_allowed(k, allowed, sizeof allowed);
  return Status::error(Code::invalid_argument, k.name, "%s = %g is %s (allowed: %s)", k.name, v,
                       std::isfinite(v) ? "out of range" : "not finite", allowed);
}

Status check_field(const Key& k, const RunConfig& c) noexcept {
  switch (k.kind) {
    case Kind::uint:
      return check_uint(k, k.get_u(c));
    case Kind::real:
      return check_real(k, c.*k.real);
    case Kind::boolean:
      return Status();
    case Kind::text: {
      const LinkText& text = c.*k.text;
      if (std::memchr(text, '\0', sizeof text) == nullptr) {
        return Status::error(Code::invalid_argument, k.name,
                             "%s is not NUL-terminated (allowed: at most %zu characters)", k.name,
                             Link::kMaxSpecLength);
      }
      return Status();
    }
    case Kind::choice:
      if (choice_name(k.choices, k.get_c(c)) == nullptr) {
        char allowed[160];
        format_allowed(k, allowed, sizeof allowed);
        return Status::error(Code::invalid_argument, k.name,
                             "%s has the invalid enum value %d (allowed: %s)", k.name, k.get_c(c),
                             allowed);
      }
      return Status();
  }
  return Status();
}

// Shortest of %.15g..%.17g that reads back to the same double: round-trips like %.17g, but
// the defaults print as 0.8 rather than 0.80000000000000004.
void format_real(double v, char* out, std::size_t capacity) noexcept {
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(out, capacity, "%.*g", precision, v);
    if (std::strtod(out, nullptr) == v) return;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public API.
// ---------------------------------------------------------------------------------------------

const char* variant_name(Variant v) noexcept {
  const char* name = choice_name(kVariantChoices, static_cast<int>(v));
  return name != nullptr ? name : "unknown";
}
const char* activation_name(Activation a) noexcept {
  const char* name = choice_name(kActivationChoices, static_cast<int>(a));
  return name != nullptr ? name : "unknown";
}
const char* loss_name(Loss l) noexcept {
  const char* name = choice_name(kLossChoices, static_cast<int>(l));
  return name != nullptr ? name : "unknown";
}
const char* phase2_solver_name(Phase2Solver s) noexcept {
  const char* name = choice_name(kPhase2Choices, static_cast<int>(s));
  return name != nullptr ? name : "unknown";
}
const char* spectral_transform_name(SpectralTransform t) noexcept {
  const char* name = choice_name(kSpectralChoices, static_cast<int>(t));
  return name != nullptr ? name : "unknown";
}

ModelConfig model_config(const RunConfig& c) noexcept {
  ModelConfig mc;
  mc.d = c.d;
  mc.r = c.r;
  mc.noise = c.noise;
  mc.seed = c.seed;
  mc.tile_rows = c.tile_rows;
  return mc;
}

void resolve(RunConfig* config) noexcept {
  RunConfig& c = *config;
  if (c.alpha > 0 && std::isfinite(c.alpha)) {
    // floor(x + 0.5) is exact arithmetic plus an exact floor: the same n1 on every libm
    // (llround's ties and range handling vary). Clamped so the conversion is defined; an
    // alpha that large is reported by validate().
    double n = std::floor(c.alpha * static_cast<double>(c.d) + 0.5);
    if (n < 1) n = 1;
    if (n > 4611686018427387904.0) n = 4611686018427387904.0;  // 2^62
    c.n1 = static_cast<std::uint64_t>(n);
  }
  if (c.variant == Variant::dls22) {
    // One step with beta1 = 1/eta1: the decay term cancels W0 exactly (DLS22).
    c.T1 = 1;
    if (c.eta1 > 0 && std::isfinite(c.eta1)) c.beta1 = 1.0 / c.eta1;
  }
}

Status validate(const RunConfig& c) noexcept {
  // Checked before n1 so an oversized alpha is blamed on alpha, not on the n1 it produced.
  if (c.alpha > 0 && std::isfinite(c.alpha) && c.d >= 1 && c.d <= kMaxD) {
    const double n = std::floor(c.alpha * static_cast<double>(c.d) + 0.5);
    if (n > static_cast<double>(kMaxSamples)) {
      return Status::error(Code::invalid_argument, "alpha",
                           "alpha = %g gives n1 = alpha d = %.0f for d = %zu (allowed: n1 <= 2^40)",
                           c.alpha, n, c.d);
    }
  }
  for (const Key& k : kKeys) MIMKIT_TRY(check_field(k, c));

  if (c.r > c.d) {
    return Status::error(Code::invalid_argument, "r",
                         "r = %zu exceeds d = %zu (allowed: 1..min(d, %zu))", c.r, c.d,
                         Link::kMaxR);
  }
  MIMKIT_TRY(mimkit::validate(model_config(c)));
  {
    Link link;
    MIMKIT_TRY(Link::parse(c.link, c.r, &link));
  }
  if (c.activation == Activation::relu) {
    return Status::error(Code::invalid_argument, "activation",
                         "activation = relu cannot train phase 1: it needs sigma'(0) = 0 and "
                         "sigma''(0) = 1, relu has neither (allowed: logcosh, quadratic; relu "
                         "suits activation2)");
  }
  if (c.phase2 == Phase2Solver::exact && !(c.lambda2 > 0)) {
    return Status::error(Code::invalid_argument, "lambda2",
                         "lambda2 = %g with phase2 = exact leaves the Gram system possibly "
                         "singular (allowed: lambda2 > 0, or phase2 = gd)",
                         c.lambda2);
  }
  if (c.variant == Variant::online) {
    // The online variant draws T1 fresh batches: T1 * batch rows of one dataset.
    if (c.T1 < 1) {
      return Status::error(Code::invalid_argument, "T1",
                           "T1 = 0 with variant = online draws no samples (allowed: 1..1000000)");
    }
    const std::uint64_t rows = static_cast<std::uint64_t>(c.T1) * c.batch;
    if (rows > kMaxSamples) {
      return Status::error(Code::invalid_argument, "batch",
                           "batch = %zu with T1 = %zu draws %llu online samples (allowed: T1 * "
                           "batch <= 2^40)",
                           c.batch, c.T1, static_cast<unsigned long long>(rows));
    }
  }
  return Status();
}

Status set(RunConfig* config, const char* key, const char* value) noexcept {
  if (key == nullptr) key = "";
  if (value == nullptr) value = "";
  const Key* k = find_key(key);
  if (k == nullptr) {
    const char* hint = suggest_key(key);
    if (hint != nullptr) {
      return Status::error(Code::invalid_argument, key, "unknown key '%.64s' (did you mean '%s'?)",
                           key, hint);
    }
    return Status::error(Code::invalid_argument, key,
                         "unknown key '%.64s' (see config_keys(): d, r, link, m, eta1, T1, ...)",
                         key);
  }
  char allowed[160];
  switch (k->kind) {
    case Kind::uint: {
      std::uint64_t v = 0;
      const UintResult result = parse_uint(value, &v);
      if (result != UintResult::ok) {
        format_allowed(*k, allowed, sizeof allowed);
        const char* what = result == UintResult::negative   ? "is negative"
                           : result == UintResult::overflow ? "is out of range"
                                                            : "is not an integer";
        return Status::error(Code::invalid_argument, k->name, "%s = '%.64s' %s (allowed: %s)",
                             k->name, value, what, allowed);
      }
      MIMKIT_TRY(check_uint(*k, v));
      k->put_u(config, v);
      return Status();
    }
    case Kind::real: {
      double v = 0;
      if (!parse_real(value, &v)) {
        format_allowed(*k, allowed, sizeof allowed);
        return Status::error(Code::invalid_argument, k->name,
                             "%s = '%.64s' is not a finite decimal number (allowed: %s)", k->name,
                             value, allowed);
      }
      MIMKIT_TRY(check_real(*k, v));
      config->*k->real = v;
      return Status();
    }
    case Kind::boolean: {
      bool v = false;
      if (!parse_bool(value, &v)) {
        return Status::error(Code::invalid_argument, k->name,
                             "%s = '%.64s' is not a boolean (allowed: %s)", k->name, value,
                             kBoolAllowed);
      }
      config->*k->flag = v;
      return Status();
    }
    case Kind::text: {
      // Only the length is checked here: whether the spec parses depends on r, which may be
      // set later, so validate() parses it.
      const std::size_t length = std::strlen(value);
      if (length > Link::kMaxSpecLength) {
        return Status::error(Code::invalid_argument, k->name,
                             "%s is %zu characters long (allowed: at most %zu characters)", k->name,
                             length, Link::kMaxSpecLength);
      }
      std::memcpy(config->*k->text, value, length + 1);
      return Status();
    }
    case Kind::choice: {
      for (const Choice* c = k->choices; c->name != nullptr; ++c) {
        if (std::strcmp(c->name, value) == 0) {
          k->put_c(config, c->value);
          return Status();
        }
      }
      format_allowed(*k, allowed, sizeof allowed);
      const char* hint = suggest_choice(k->choices, value);
      if (hint != nullptr) {
        return Status::error(Code::invalid_argument, k->name,
                             "%s = '%.64s' is not a known value (did you mean '%s'? allowed: %s)",
                             k->name, value, hint, allowed);
      }
      return Status::error(Code::invalid_argument, k->name,
                           "%s = '%.64s' is not a known value (allowed: %s)", k->name, value,
                           allowed);
    }
  }
  return Status::error(Code::internal, k->name, "key '%s' has an unknown kind", k->name);
}

namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// Trims [*begin, *end) in place of surrounding whitespace.
void trim(char** begin, char** end) noexcept {
  while (*begin < *end && is_space(**begin)) ++*begin;
  while (*end > *begin && is_space((*end)[-1])) --*end;
}

// Parses one line (already NUL-terminated in `line`, modified in place) and applies it.
Status apply_line(RunConfig* config, char* line, const char* source, std::size_t number) noexcept {
  // '#' starts a comment unless it is inside a double-quoted value.
  char* end = line;
  bool quoted = false;
  for (; *end != '\0'; ++end) {
    if (*end == '"') quoted = !quoted;
    if (*end == '#' && !quoted) break;
  }
  char* begin = line;
  trim(&begin, &end);
  if (begin == end) return Status();
  *end = '\0';

  char* eq = std::strchr(begin, '=');
  if (eq == nullptr) {
    return Status::error(Code::parse_error, begin, "%s:%zu: expected 'key = value', got '%.64s'",
                         source, number, begin);
  }
  char* key_begin = begin;
  char* key_end = eq;
  trim(&key_begin, &key_end);
  *key_end = '\0';
  if (key_begin == key_end) {
    return Status::error(Code::parse_error, "", "%s:%zu: missing key before '=' in '%.64s'", source,
                         number, begin);
  }
  char* value_begin = eq + 1;
  char* value_end = end;
  trim(&value_begin, &value_end);
  if (value_begin < value_end && *value_begin == '"') {
    if (value_end - value_begin < 2 || value_end[-1] != '"') {
      return Status::error(Code::parse_error, key_begin,
                           "%s:%zu: %s has an unterminated quoted value", source, number,
                           key_begin);
    }
    ++value_begin;
    --value_end;
  }
  *value_end = '\0';
  const Status s = set(config, key_begin, value_begin);
  if (s.ok()) return s;
  return Status::error(s.code(), s.field(), "%s:%zu: %s", source, number, s.message());
}

}  // namespace

Status apply_text(RunConfig* config, const char* text, const char* source) noexcept {
  if (source == nullptr) source = "config";
  if (text == nullptr) return Status();
  // Long enough for a maximal quoted link plus key, spaces and a comment.
  constexpr std::size_t kMaxLine = 1023;
  char line[kMaxLine + 1];
  std::size_t number = 0;
  const char* p = text;
  while (*p != '\0') {
    ++number;
    const char* eol = std::strchr(p, '\n');
    const std::size_t length = eol != nullptr ? static_cast<std::size_t>(eol - p) : std::strlen(p);
    if (length > kMaxLine) {
      return Status::error(Code::parse_error, "",
                           "%s:%zu: line is %zu characters long (allowed: "
                           "at most %zu)",
                           source, number, length, kMaxLine);
    }
    std::memcpy(line, p, length);
    line[length] = '\0';
    MIMKIT_TRY(apply_line(config, line, source, number));
    p += length;
    if (*p == '\n') ++p;
  }
  return Status();
}

const char* const* config_keys() noexcept {
  return kKeyNames.data();
}

const char* config_key_help(const char* key) noexcept {
  if (key == nullptr) return nullptr;
  const Key* k = find_key(key);
  return k != nullptr ? k->help : nullptr;
}

std::size_t to_json(const RunConfig& config, char* out, std::size_t capacity) noexcept {
  Writer w(out, capacity);
  w.put("{");
  for (std::size_t i = 0; i < kKeyCount; ++i) {
    const Key& k = kKeys[i];
    w.put("%s\"%s\": ", i == 0 ? "" : ", ", k.name);
    switch (k.kind) {
      case Kind::uint:
        w.put("%llu", static_cast<unsigned long long>(k.get_u(config)));
        break;
      case Kind::real: {
        const double v = config.*k.real;
        if (std::isfinite(v)) {
          char text[40];
          format_real(v, text, sizeof text);
          w.put("%s", text);
        } else {
          w.put("null");  // JSON has no NaN or Inf; validate() rejects them anyway
        }
        break;
      }
      case Kind::boolean:
        w.put("%s", config.*k.flag ? "true" : "false");
        break;
      case Kind::text: {
        const LinkText& text = config.*k.text;
        w.put_char('"');
        for (std::size_t j = 0; j < sizeof text && text[j] != '\0'; ++j) {
          const unsigned char c = static_cast<unsigned char>(text[j]);
          if (c == '"' || c == '\\') {
            w.put_char('\\');
            w.put_char(static_cast<char>(c));
          } else if (c < 0x20) {
            w.put("\\u%04x", c);
          } else {
            w.put_char(static_cast<char>(c));
          }
        }
        w.put_char('"');
        break;
      }
      case Kind::choice: {
        const char* name = choice_name(k.choices, k.get_c(config));
        w.put("\"%s\"", name != nullptr ? name : "unknown");
        break;
      }
    }
  }
  w.put("}");
  return w.used();
}

}  // namespace mimkit
