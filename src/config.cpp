// RunConfig: setting keys from text, validation, resolution and JSON, all driven by the config
// table (config_keys.hpp).
#include "mimkit/config.hpp"

#include <cmath>
#include <cstring>

#include "config_keys.hpp"
#include "mimkit/link.hpp"
#include "text.hpp"
#include "train/variant.hpp"

namespace mimkit {

namespace {

// ---------------------------------------------------------------------------------------------
// Text helpers.
// ---------------------------------------------------------------------------------------------

// 2^k for large powers of two reads better than twelve digits in an error message.
void put_bound(text::Writer& w, std::uint64_t v) noexcept {
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

// What a key accepts, e.g. "2..65536, even" or "squared, absolute, huber".
void format_allowed(const Key& k, char* out, std::size_t capacity) noexcept {
  text::Writer w(out, capacity);
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
      w.put("%s", text::kBoolAllowed);
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

const char* suggest_key(const char* typed) noexcept {
  return text::suggest(typed, kKeyNames.data(), kKeyCount);
}

const char* suggest_choice(const Choice* choices, const char* typed) noexcept {
  constexpr std::size_t kMaxChoices = 16;
  const char* names[kMaxChoices];
  std::size_t count = 0;
  for (const Choice* c = choices; c->name != nullptr && count < kMaxChoices; ++c) {
    names[count++] = c->name;
  }
  return text::suggest(typed, names, count);
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
      const LinkText& spec = c.*k.text;
      if (std::memchr(spec, '\0', sizeof spec) == nullptr) {
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
  if (c.m_per_d > 0 && std::isfinite(c.m_per_d)) {
    // 2 floor(x / 2 + 1/2): the even number nearest x, exact arithmetic plus an exact floor.
    // Clamped to m's range here; validate() reports a width beyond it against m_per_d.
    double m = 2 * std::floor(c.m_per_d * static_cast<double>(c.d) / 2 + 0.5);
    if (m < 2) m = 2;
    if (m > 131072) m = 131072;
    c.m = static_cast<std::size_t>(m);
  }
  train::resolve_variant(&c);
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
  if (c.m_per_d > 0 && std::isfinite(c.m_per_d) && c.d >= 1 && c.d <= kMaxD) {
    const double m = 2 * std::floor(c.m_per_d * static_cast<double>(c.d) / 2 + 0.5);
    if (m > 65536) {
      return Status::error(Code::invalid_argument, "m_per_d",
                           "m_per_d = %g gives m = %.0f for d = %zu (allowed: m <= 65536)",
                           c.m_per_d, m, c.d);
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
  return train::validate_variant(c);
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
      const text::UintParse result = text::parse_uint(value, &v);
      if (result != text::UintParse::ok) {
        format_allowed(*k, allowed, sizeof allowed);
        const char* what = result == text::UintParse::negative   ? "is negative"
                           : result == text::UintParse::overflow ? "is out of range"
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
      if (!text::parse_real(value, &v)) {
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
      if (!text::parse_bool(value, &v)) {
        return Status::error(Code::invalid_argument, k->name,
                             "%s = '%.64s' is not a boolean (allowed: %s)", k->name, value,
                             text::kBoolAllowed);
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

const char* const* config_keys() noexcept {
  return kKeyNames.data();
}

const char* config_key_help(const char* key) noexcept {
  if (key == nullptr) return nullptr;
  const Key* k = find_key(key);
  return k != nullptr ? k->help : nullptr;
}

std::size_t to_json(const RunConfig& config, char* out, std::size_t capacity) noexcept {
  text::Writer w(out, capacity);
  w.put("{");
  for (std::size_t i = 0; i < kKeyCount; ++i) {
    const Key& k = kKeys[i];
    w.put("%s\"%s\": ", i == 0 ? "" : ", ", k.name);
    switch (k.kind) {
      case Kind::uint:
        w.put("%llu", static_cast<unsigned long long>(k.get_u(config)));
        break;
      case Kind::real:
        w.number(config.*k.real);  // null when not finite; validate() rejects that anyway
        break;
      case Kind::boolean:
        w.put("%s", config.*k.flag ? "true" : "false");
        break;
      case Kind::text: {
        const LinkText& spec = config.*k.text;
        w.string(spec, sizeof spec);
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
