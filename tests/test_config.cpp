#include "mimkit/config.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

using mimkit::Code;
using mimkit::RunConfig;
using mimkit::Status;

namespace {

std::string json(const RunConfig& c) {
  const std::size_t n = mimkit::to_json(c, nullptr, 0);
  std::string out(n + 1, '\0');
  const std::size_t again = mimkit::to_json(c, &out[0], out.size());
  REQUIRE(again == n);
  out.resize(n);
  return out;
}

std::vector<std::string> keys() {
  std::vector<std::string> out;
  for (const char* const* k = mimkit::config_keys(); *k != nullptr; ++k) out.emplace_back(*k);
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A strict parser for the flat objects to_json writes: {"key": value, ...} where a value is a
// string (with \" \\ \uXXXX escapes), a number, true or false. Strings come back unescaped,
// other values as their raw text. Any deviation fails the calling test.
struct JsonValue {
  std::string text;
  bool is_string = false;
};

std::vector<std::pair<std::string, JsonValue>> parse_flat_json(const std::string& s) {
  std::vector<std::pair<std::string, JsonValue>> out;
  std::size_t i = 0;
  auto skip_ws = [&] {
    while (i < s.size() && s[i] == ' ') ++i;
  };
  auto read_string = [&]() -> std::string {
    REQUIRE(i < s.size());
    REQUIRE(s[i] == '"');
    ++i;
    std::string v;
    while (true) {
      REQUIRE(i < s.size());
      const char c = s[i++];
      if (c == '"') break;
      REQUIRE(static_cast<unsigned char>(c) >= 0x20);  // control characters must be escaped
      if (c != '\\') {
        v += c;
        continue;
      }
      REQUIRE(i < s.size());
      const char e = s[i++];
      if (e == '"' || e == '\\' || e == '/') {
        v += e;
      } else if (e == 'u') {
        REQUIRE(i + 4 <= s.size());
        v += static_cast<char>(std::stoi(s.substr(i, 4), nullptr, 16));
        i += 4;
      } else {
        FAIL("unexpected escape \\" << e);
      }
    }
    return v;
  };
  skip_ws();
  REQUIRE(i < s.size());
  REQUIRE(s[i] == '{');
  ++i;
  while (true) {
    skip_ws();
    const std::string key = read_string();
    skip_ws();
    REQUIRE(i < s.size());
    REQUIRE(s[i] == ':');
    ++i;
    skip_ws();
    JsonValue value;
    REQUIRE(i < s.size());
    if (s[i] == '"') {
      value.text = read_string();
      value.is_string = true;
    } else {
      const std::size_t start = i;
      while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ' ') ++i;
      value.text = s.substr(start, i - start);
      const bool literal = value.text == "true" || value.text == "false";
      if (!literal) {
        // A JSON number: -?digits(.digits)?([eE][+-]?digits)?
        std::size_t j = 0;
        const std::string& t = value.text;
        auto digits = [&] {
          const std::size_t from = j;
          while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
          return j > from;
        };
        if (j < t.size() && t[j] == '-') ++j;
        REQUIRE_MESSAGE(digits(), "not a JSON value: " << t);
        if (j < t.size() && t[j] == '.') {
          ++j;
          REQUIRE(digits());
        }
        if (j < t.size() && (t[j] == 'e' || t[j] == 'E')) {
          ++j;
          if (j < t.size() && (t[j] == '+' || t[j] == '-')) ++j;
          REQUIRE(digits());
        }
        REQUIRE_MESSAGE(j == t.size(), "not a JSON number: " << t);
      }
    }
    out.emplace_back(key, value);
    skip_ws();
    REQUIRE(i < s.size());
    if (s[i] == ',') {
      ++i;
      continue;
    }
    REQUIRE(s[i] == '}');
    ++i;
    break;
  }
  REQUIRE(i == s.size());
  return out;
}

Status set(RunConfig* c, const std::string& key, const std::string& value) {
  return mimkit::set(c, key.c_str(), value.c_str());
}

void require_ok(const Status& s) {
  INFO(s.field() << ": " << s.message());
  REQUIRE(s.ok());
}

// Sets every key of `source`'s JSON on a default config, checks the JSON comes back equal and
// returns the copy (so callers can compare fields: equal text alone would miss lossy printing).
RunConfig round_trip(const RunConfig& source) {
  const std::string text = json(source);
  RunConfig copy;
  for (const auto& kv : parse_flat_json(text)) {
    INFO(kv.first << " = " << kv.second.text);
    require_ok(set(&copy, kv.first, kv.second.text));
  }
  CHECK(json(copy) == text);
  return copy;
}

}  // namespace

TEST_CASE("the default RunConfig validates, before and after resolve") {
  RunConfig c;
  const Status s = mimkit::validate(c);
  INFO(s.field() << ": " << s.message());
  CHECK(s.ok());
  mimkit::resolve(&c);
  CHECK(mimkit::validate(c).ok());
}

TEST_CASE("config_keys lists exactly the RunConfig fields, in documentation order") {
  const std::vector<std::string> expected = {
      "d",           "r",           "link",       "noise",
      "seed",        "alpha",       "n1",         "n2",
      "ntest",       "nval",        "m",          "m_per_d",
      "eps0",        "eta1",        "beta1",      "T1",
      "loss",        "huber_delta", "activation", "variant",
      "batch",       "preprocess",  "normalize",  "sigma_b",
      "activation2", "lambda2",     "phase2",     "T2",
      "eta2",        "spectral",    "spectral_T", "spectral_iters",
      "trace",       "trace_every", "mode",       "tile_rows",
      "shards"};
  CHECK(keys() == expected);
  for (const std::string& k : expected) {
    const char* help = mimkit::config_key_help(k.c_str());
    REQUIRE_MESSAGE(help != nullptr, k);
    CHECK_MESSAGE(std::strlen(help) > 20, k);
  }
  CHECK(mimkit::config_key_help("eat1") == nullptr);
  CHECK(mimkit::config_key_help(nullptr) == nullptr);
}

TEST_CASE("each key's help states the default that to_json prints") {
  for (const auto& kv : parse_flat_json(json(RunConfig{}))) {
    const std::string help = mimkit::config_key_help(kv.first.c_str());
    CHECK_MESSAGE(contains(help, "(default " + kv.second.text + ";"), kv.first << ": " << help);
  }
}

TEST_CASE("each key's help states the same allowed values that set() errors report") {
  for (const std::string& k : keys()) {
    if (k == "link") continue;  // any text up to the length limit is accepted by set()
    RunConfig c;
    const Status s = set(&c, k, "@bad@");
    REQUIRE_MESSAGE(!s.ok(), k);
    const std::string message = s.message();
    const std::size_t from = message.find("allowed: ");
    const std::size_t to = message.rfind(')');
    REQUIRE_MESSAGE(from != std::string::npos, message);
    REQUIRE_MESSAGE(to != std::string::npos, message);
    const std::string allowed = message.substr(from, to - from);
    const std::string help = mimkit::config_key_help(k.c_str());
    CHECK_MESSAGE(contains(help, allowed),
                  k << ": help '" << help << "' lacks '" << allowed << "'");
  }
}

TEST_CASE("set() parses every kind of value into the right field") {
  RunConfig c;
  require_ok(set(&c, "d", "300"));
  CHECK(c.d == 300);
  require_ok(set(&c, "seed", "18446744073709551615"));
  CHECK(c.seed == 18446744073709551615ull);
  require_ok(set(&c, "n1", "1099511627776"));
  CHECK(c.n1 == (std::uint64_t(1) << 40));
  require_ok(set(&c, "m", "0000128"));
  CHECK(c.m == 128);
  require_ok(set(&c, "eta1", "0.25"));
  CHECK(c.eta1 == 0.25);
  require_ok(set(&c, "eps0", "1e-3"));
  CHECK(c.eps0 == 1e-3);
  require_ok(set(&c, "noise", "+2.5E1"));
  CHECK(c.noise == 25.0);
  require_ok(set(&c, "beta1", "0"));
  CHECK(c.beta1 == 0.0);
  require_ok(set(&c, "link", "z1*z2"));
  CHECK(std::string(c.link) == "z1*z2");
  const std::string longest(mimkit::Link::kMaxSpecLength, 'z');
  require_ok(set(&c, "link", longest));
  CHECK(std::string(c.link) == longest);
  require_ok(set(&c, "variant", "online"));
  CHECK(c.variant == mimkit::Variant::online);
  require_ok(set(&c, "activation", "quadratic"));
  CHECK(c.activation == mimkit::Activation::quadratic);
  require_ok(set(&c, "activation2", "logcosh"));
  CHECK(c.activation2 == mimkit::Activation::logcosh);
  require_ok(set(&c, "loss", "huber"));
  CHECK(c.loss == mimkit::Loss::huber);
  require_ok(set(&c, "phase2", "gd"));
  CHECK(c.phase2 == mimkit::Phase2Solver::gd);
  require_ok(set(&c, "spectral_T", "abs"));
  CHECK(c.spectral_T == mimkit::SpectralTransform::abs);
  require_ok(set(&c, "spectral_T", "y"));
  CHECK(c.spectral_T == mimkit::SpectralTransform::identity);
  require_ok(set(&c, "mode", "stream"));
  CHECK(c.mode == mimkit::DataMode::stream);

  const std::pair<const char*, bool> booleans[] = {{"true", true}, {"false", false}, {"1", true},
                                                   {"0", false},   {"yes", true},    {"no", false},
                                                   {"on", true},   {"off", false}};
  for (const auto& b : booleans) {
    c.normalize = !b.second;
    require_ok(set(&c, "normalize", b.first));
    CHECK_MESSAGE(c.normalize == b.second, b.first);
  }
}

TEST_CASE("set() does not parse the link: validate() does, knowing r") {
  RunConfig c;
  require_ok(set(&c, "link", "z3"));  // r = 2 at this point: fine until validate
  CHECK(!mimkit::validate(c).ok());
  require_ok(set(&c, "r", "3"));
  CHECK(mimkit::validate(c).ok());
}

TEST_CASE("the enum names match the texts set() accepts") {
  CHECK(std::string(mimkit::variant_name(mimkit::Variant::dls22)) == "dls22");
  CHECK(std::string(mimkit::variant_name(mimkit::Variant::random_features)) == "random_features");
  CHECK(std::string(mimkit::activation_name(mimkit::Activation::relu)) == "relu");
  CHECK(std::string(mimkit::loss_name(mimkit::Loss::absolute)) == "absolute");
  CHECK(std::string(mimkit::phase2_solver_name(mimkit::Phase2Solver::exact)) == "exact");
  CHECK(std::string(mimkit::spectral_transform_name(mimkit::SpectralTransform::identity)) ==
        "identity");
  CHECK(std::string(mimkit::spectral_transform_name(mimkit::SpectralTransform::loss)) == "loss");
  RunConfig c;
  for (mimkit::DataMode mode : {mimkit::DataMode::materialize, mimkit::DataMode::stream}) {
    require_ok(set(&c, "mode", mimkit::data_mode_name(mode)));
    CHECK(c.mode == mode);
  }
}

TEST_CASE("to_json of the defaults is one JSON object with every key once") {
  const std::string text = json(RunConfig{});
  CHECK(contains(text, "\"d\": 128"));
  CHECK(contains(text, "\"link\": \"he2(z1)+0.5*he2(z2)\""));
  CHECK(contains(text, "\"seed\": 0"));
  CHECK(contains(text, "\"eps0\": 0.001"));
  CHECK(contains(text, "\"beta1\": 0.8"));
  CHECK(contains(text, "\"normalize\": true"));
  CHECK(contains(text, "\"spectral\": false"));
  CHECK(contains(text, "\"variant\": \"layerwise\""));
  CHECK(contains(text, "\"spectral_T\": \"identity\""));
  CHECK(contains(text, "\"mode\": \"materialize\""));
  const auto parsed = parse_flat_json(text);
  const std::vector<std::string> names = keys();
  REQUIRE(parsed.size() == names.size());
  for (std::size_t i = 0; i < names.size(); ++i) CHECK(parsed[i].first == names[i]);
}

TEST_CASE("to_json returns the full length and truncates like snprintf") {
  const RunConfig c;
  const std::size_t n = mimkit::to_json(c, nullptr, 0);
  std::string full(n + 1, '#');
  CHECK(mimkit::to_json(c, &full[0], full.size()) == n);
  CHECK(std::strlen(full.c_str()) == n);
  char small[16];
  std::memset(small, '#', sizeof small);
  CHECK(mimkit::to_json(c, small, 10) == n);
  CHECK(std::string(small) == full.substr(0, 9));
  CHECK(small[10] == '#');  // nothing written past the capacity
}

TEST_CASE("to_json values set() back give the same JSON (defaults round-trip)") {
  const RunConfig defaults;
  const RunConfig copy = round_trip(defaults);
  CHECK(copy.eps0 == defaults.eps0);
  CHECK(copy.beta1 == defaults.beta1);
  CHECK(copy.lambda2 == defaults.lambda2);
}

TEST_CASE("to_json round-trips awkward doubles, extreme integers and escaped link text") {
  RunConfig c;
  c.d = std::size_t(1) << 31;
  c.seed = 18446744073709551615ull;
  c.n1 = std::uint64_t(1) << 40;
  c.eta1 = 0.1 + 0.2;  // needs 17 significant digits
  c.eps0 = 4.9406564584124654e-324;
  c.beta1 = 1.0 / 3.0;
  c.noise = 123456789.123456789;
  c.lambda2 = 1e-300;
  c.alpha = 1e300;
  c.huber_delta = 2.5;
  std::strcpy(c.link, "he2(z1) \"quoted\" back\\slash\ttab");
  c.variant = mimkit::Variant::random_features;
  c.spectral_T = mimkit::SpectralTransform::clip;
  c.normalize = false;
  c.spectral = true;
  c.mode = mimkit::DataMode::stream;
  c.T1 = 0;
  c.trace = 256;
  const std::string text = json(c);
  CHECK(contains(text, "\"link\": \"he2(z1) \\\"quoted\\\" back\\\\slash\\u0009tab\""));
  const RunConfig copy = round_trip(c);
  // Every double reads back bit-identical, not just to the same printed text.
  CHECK(copy.eta1 == c.eta1);
  CHECK(copy.eps0 == c.eps0);
  CHECK(copy.beta1 == c.beta1);
  CHECK(copy.noise == c.noise);
  CHECK(copy.lambda2 == c.lambda2);
  CHECK(copy.alpha == c.alpha);
  CHECK(copy.huber_delta == c.huber_delta);
  CHECK(copy.seed == c.seed);
  CHECK(copy.d == c.d);
  CHECK(std::string(copy.link) == c.link);
  CHECK(copy.variant == c.variant);
  CHECK(copy.spectral_T == c.spectral_T);
  CHECK(copy.normalize == c.normalize);
  CHECK(copy.spectral == c.spectral);
  CHECK(copy.mode == c.mode);
}

TEST_CASE("set() rejects malformed and out-of-range values, naming key, value and range") {
  struct Bad {
    const char* key;
    std::string value;
    const char* fragment;
  };
  const Bad bad[] = {
      {"m", "abc", "m = 'abc' is not an integer (allowed: 2..65536, even)"},
      {"m", "7", "m = 7 must be even (allowed: 2..65536, even)"},
      {"m", "0", "m = 0 is out of range (allowed: 2..65536, even)"},
      {"m", "65538", "m = 65538 is out of range"},
      {"m", "64.0", "is not an integer"},
      {"d", "-3", "d = '-3' is negative (allowed: 1..2^31)"},
      {"d", "+3", "d = '+3' is not an integer"},
      {"d", "12x", "d = '12x' is not an integer"},
      {"d", " 12", "is not an integer"},
      {"d", "", "d = '' is not an integer"},
      {"d", "1e3", "is not an integer"},
      {"d", "2147483649", "d = 2147483649 is out of range (allowed: 1..2^31)"},
      {"seed", "18446744073709551616", "seed = '18446744073709551616' is out of range"},
      {"n1", "0", "n1 = 0 is out of range (allowed: 1..2^40)"},
      {"n2", "1099511627777", "(allowed: 1..2^40)"},
      {"ntest", "99999999999999999999999", "is out of range"},
      {"r", "65", "r = 65 is out of range (allowed: 1..64)"},
      {"eta1", "nan", "eta1 = 'nan' is not a finite decimal number (allowed: a finite number > 0)"},
      {"eta1", "inf", "is not a finite decimal number"},
      {"eta1", "1e999", "eta1 = '1e999' is not a finite decimal number"},
      {"eta1", "0x10", "is not a finite decimal number"},
      {"eta1", "0.5 ", "is not a finite decimal number"},
      {"eta1", "0", "eta1 = 0 is out of range (allowed: a finite number > 0)"},
      {"eps0", "-1e-3", "eps0 = -0.001 is out of range (allowed: a finite number > 0)"},
      {"huber_delta", "0", "(allowed: a finite number > 0)"},
      {"noise", "-1", "noise = -1 is out of range (allowed: a finite number >= 0)"},
      {"alpha", "1.5.2", "alpha = '1.5.2' is not a finite decimal number"},
      {"sigma_b", "-0.5", "(allowed: a finite number >= 0)"},
      {"lambda2", "", "is not a finite decimal number"},
      {"eta2", "-1", "out of range"},
      {"beta1", "-0.1", "beta1 = -0.1 is out of range"},
      {"normalize", "maybe",
       "normalize = 'maybe' is not a boolean (allowed: true, false, 1, 0, yes, no, on, off)"},
      {"spectral", "TRUE", "is not a boolean"},
      {"variant", "dsl22", "did you mean 'dls22'?"},
      {"variant", "sgd",
       "variant = 'sgd' is not a known value (allowed: layerwise, dls22, online, "
       "random_features)"},
      {"loss", "l1", "(allowed: squared, absolute, huber)"},
      {"activation", "tanh", "(allowed: logcosh, quadratic, relu)"},
      {"phase2", "ridge", "(allowed: exact, gd)"},
      {"spectral_T", "x", "y (= identity)"},
      {"mode", "disk", "mode = 'disk' is not a known value (allowed: materialize, stream)"},
      {"link", std::string(mimkit::Link::kMaxSpecLength + 1, 'z'),
       "link is 256 characters long (allowed: at most 255 characters)"},
      {"tile_rows", "65537", "(allowed: 1..65536)"},
      {"tile_rows", "0", "tile_rows = 0 is out of range"},
      {"shards", "0", "(allowed: 1..256)"},
      {"shards", "257", "shards = 257 is out of range"},
      {"trace", "4097", "(allowed: 0..4096)"},
      {"trace_every", "1000001", "(allowed: 0..1000000)"},
      {"nval", "0", "nval = 0 is out of range (allowed: 1..2^40)"},
      {"T1", "1000001", "T1 = 1000001 is out of range (allowed: 0..1000000)"},
      {"T2", "10000001", "(allowed: 0..10000000)"},
      {"spectral_iters", "0", "(allowed: 1..1000000)"},
      {"batch", "0", "batch = 0 is out of range (allowed: 1..2^40)"},
  };
  const RunConfig reference;
  const std::string before = json(reference);
  for (const Bad& b : bad) {
    RunConfig c;
    const Status s = set(&c, b.key, b.value);
    INFO(b.key << " = '" << b.value << "' -> " << s.field() << ": " << s.message());
    REQUIRE(!s.ok());
    CHECK(s.code() == Code::invalid_argument);
    CHECK(std::string(s.field()) == b.key);
    CHECK(contains(s.message(), b.fragment));
    CHECK(json(c) == before);  // a rejected value leaves the config untouched
  }
}

TEST_CASE("validate() rejects out-of-range fields assigned directly, naming key and value") {
  struct Case {
    void (*mutate)(RunConfig*);
    const char* field;
    const char* fragment;
  };
  const Case cases[] = {
      {[](RunConfig* c) { c->m = 7; }, "m", "m = 7 must be even (allowed: 2..65536, even)"},
      {[](RunConfig* c) { c->d = 0; }, "d", "d = 0 is out of range"},
      {[](RunConfig* c) { c->eta1 = NAN; }, "eta1", "eta1 = nan is not finite"},
      {[](RunConfig* c) { c->noise = INFINITY; }, "noise", "is not finite"},
      {[](RunConfig* c) { c->eps0 = 0; }, "eps0", "eps0 = 0 is out of range"},
      {[](RunConfig* c) { c->n2 = 0; }, "n2", "n2 = 0 is out of range"},
      {[](RunConfig* c) { c->tile_rows = 70000; }, "tile_rows", "tile_rows = 70000"},
      {[](RunConfig* c) { c->shards = 300; }, "shards", "shards = 300"},
      {[](RunConfig* c) { c->T1 = 2000000; }, "T1", "T1 = 2000000"},
      {[](RunConfig* c) { c->T2 = 20000000; }, "T2", "T2 = 20000000"},
      {[](RunConfig* c) { c->trace = 5000; }, "trace", "trace = 5000"},
      {[](RunConfig* c) { c->spectral_iters = 0; }, "spectral_iters", "spectral_iters = 0"},
      {[](RunConfig* c) { c->batch = 0; }, "batch", "batch = 0"},
      {[](RunConfig* c) { c->sigma_b = -1; }, "sigma_b", "sigma_b = -1"},
      {[](RunConfig* c) { c->alpha = -2; }, "alpha", "alpha = -2"},
      {[](RunConfig* c) { c->loss = static_cast<mimkit::Loss>(9); }, "loss",
       "invalid enum value 9"},
      {[](RunConfig* c) { std::memset(c->link, 'z', sizeof c->link); }, "link",
       "not NUL-terminated"},
  };
  for (const Case& k : cases) {
    RunConfig c;
    k.mutate(&c);
    const Status s = mimkit::validate(c);
    INFO(k.field << " -> " << s.field() << ": " << s.message());
    REQUIRE(!s.ok());
    CHECK(std::string(s.field()) == k.field);
    CHECK(contains(s.message(), k.fragment));
  }
}

TEST_CASE("validate() enforces the cross-field rules") {
  auto check_error = [](const RunConfig& c, const char* field, const char* fragment) {
    const Status s = mimkit::validate(c);
    INFO(field << " -> " << s.field() << ": " << s.message());
    REQUIRE(!s.ok());
    CHECK(std::string(s.field()) == field);
    CHECK(contains(s.message(), fragment));
  };
  {
    RunConfig c;
    c.m = 63;
    check_error(c, "m", "must be even");
  }
  {
    RunConfig c;
    c.d = 3;
    c.r = 5;
    std::strcpy(c.link, "z1");
    check_error(c, "r", "r = 5 exceeds d = 3");
  }
  {
    RunConfig c;
    c.activation = mimkit::Activation::relu;
    check_error(c, "activation", "sigma'(0) = 0 and sigma''(0) = 1");
    c.activation = mimkit::Activation::quadratic;
    CHECK(mimkit::validate(c).ok());
  }
  {
    // Phase 2's exact solver is the squared-loss ridge whatever the phase-1 loss (E4 trains
    // phase 1 with the absolute loss and still wants the closed-form outer layer).
    RunConfig c;
    c.loss = mimkit::Loss::absolute;
    CHECK(mimkit::validate(c).ok());
  }
  {
    RunConfig c;
    c.lambda2 = 0;
    check_error(c, "lambda2", "lambda2 = 0 with phase2 = exact");
    c.phase2 = mimkit::Phase2Solver::gd;
    CHECK(mimkit::validate(c).ok());
  }
  {
    RunConfig c;
    std::strcpy(c.link, "he2(z1) + z3");
    const Status s = mimkit::validate(c);
    REQUIRE(!s.ok());
    CHECK(s.code() == Code::parse_error);  // the link parser's own status, forwarded
    CHECK(std::string(s.field()) == "link");
    CHECK(contains(s.message(), "z3"));
    std::strcpy(c.link, "he2(z1");
    check_error(c, "link", "he2(z1");
  }
  {
    RunConfig c;
    c.variant = mimkit::Variant::online;
    c.T1 = 0;
    check_error(c, "T1", "variant = online");
  }
  {
    RunConfig c;
    c.d = std::size_t(1) << 21;
    c.alpha = 1e6;  // n1 = 2^21 * 1e6 > 2^40
    check_error(c, "alpha", "alpha = 1e+06");
  }
}

TEST_CASE("unknown keys are rejected with a did-you-mean suggestion when one is close") {
  const std::pair<const char*, const char*> typos[] = {
      {"eat1", "eta1"},           {"t1", "T1"},
      {"sigmab", "sigma_b"},      {"activaton", "activation"},
      {"ntests", "ntest"},        {"spectral_t", "spectral_T"},
      {"tile-rows", "tile_rows"}, {"1T", "T1"} /* a transposition counts as one edit */};
  for (const auto& t : typos) {
    RunConfig c;
    const Status s = mimkit::set(&c, t.first, "1");
    INFO(t.first << " -> " << s.message());
    REQUIRE(!s.ok());
    CHECK(std::string(s.field()) == t.first);
    CHECK(contains(s.message(), std::string("unknown key '") + t.first + "'"));
    CHECK(contains(s.message(), std::string("did you mean '") + t.second + "'?"));
  }
  RunConfig c;
  const Status s = mimkit::set(&c, "zzzzzzzz", "1");
  REQUIRE(!s.ok());
  CHECK(std::string(s.field()) == "zzzzzzzz");
  CHECK(contains(s.message(), "unknown key 'zzzzzzzz'"));
  CHECK(!contains(s.message(), "did you mean"));
}

TEST_CASE("apply_text reads key = value lines with comments, blank lines and quotes") {
  const char* text =
      "# a run\n"
      "\n"
      "d = 64\n"
      "  r=3   # trailing comment\n"
      "link = \"he2(z1) + z2*z3\"\n"
      "\t eta1\t=\t0.25\r\n"
      "variant = dls22\n"
      "\n"
      "   # indented comment\n"
      "m = 32\n"
      "m = 16\n"
      "normalize = off";
  RunConfig c;
  require_ok(mimkit::apply_text(&c, text, "cfg"));
  CHECK(c.d == 64);
  CHECK(c.r == 3);
  CHECK(std::string(c.link) == "he2(z1) + z2*z3");
  CHECK(c.eta1 == 0.25);
  CHECK(c.variant == mimkit::Variant::dls22);
  CHECK(c.m == 16);  // a later line overrides an earlier one
  CHECK(!c.normalize);
  CHECK(mimkit::validate(c).ok());

  RunConfig q;
  require_ok(mimkit::apply_text(&q, "link = \"z1 # not a comment\"  # a comment\n", "cfg"));
  CHECK(std::string(q.link) == "z1 # not a comment");
  require_ok(mimkit::apply_text(&q, "", "cfg"));
  require_ok(mimkit::apply_text(&q, "\n\n# only comments\n", "cfg"));
}

TEST_CASE("apply_text errors carry source:line and the key") {
  RunConfig c;
  Status s = mimkit::apply_text(&c, "d = 64\n# comment\nm = 7\n", "cfg");
  REQUIRE(!s.ok());
  CHECK(std::string(s.field()) == "m");
  CHECK(contains(s.message(), "cfg:3: "));
  CHECK(contains(s.message(), "m = 7 must be even"));

  s = mimkit::apply_text(&c, "d = 64\n\neat1 = 0.5\n", "cfg");
  REQUIRE(!s.ok());
  CHECK(std::string(s.field()) == "eat1");
  CHECK(contains(s.message(), "cfg:3: unknown key 'eat1' (did you mean 'eta1'?)"));

  s = mimkit::apply_text(&c, "d = 64\nm 64\n", "run.cfg");
  REQUIRE(!s.ok());
  CHECK(s.code() == Code::parse_error);
  CHECK(contains(s.message(), "run.cfg:2: expected 'key = value'"));

  s = mimkit::apply_text(&c, "link = \"he2(z1)\n", "cfg");
  REQUIRE(!s.ok());
  CHECK(std::string(s.field()) == "link");
  CHECK(contains(s.message(), "cfg:1: link has an unterminated quoted value"));

  s = mimkit::apply_text(&c, "= 5\n", "cfg");
  REQUIRE(!s.ok());
  CHECK(contains(s.message(), "cfg:1: missing key"));

  s = mimkit::apply_text(&c, ("link = " + std::string(2000, 'z') + "\n").c_str(), "cfg");
  REQUIRE(!s.ok());
  CHECK(contains(s.message(), "cfg:1: line is 2007 characters long"));
}

TEST_CASE("resolve sets n1 = max(1, round(alpha d)), rounding halves up") {
  struct Case {
    double alpha;
    std::size_t d;
    std::uint64_t n1;
  };
  const Case cases[] = {
      {8, 256, 2048}, {0.5, 3, 2},    {2.5, 1, 3},   {0.1, 1, 1},
      {0.001, 10, 1}, {1.49, 10, 15}, {7.25, 2, 15}, {1000, 1u << 20, 1048576000ull}};
  for (const Case& k : cases) {
    RunConfig c;
    c.alpha = k.alpha;
    c.d = k.d;
    mimkit::resolve(&c);
    CHECK_MESSAGE(c.n1 == k.n1, "alpha = " << k.alpha << ", d = " << k.d);
  }
  RunConfig c;
  c.n1 = 777;
  mimkit::resolve(&c);  // alpha = 0: n1 is left alone
  CHECK(c.n1 == 777);
}

TEST_CASE("resolve makes dls22 one step with beta1 = 1/eta1 and leaves other variants alone") {
  RunConfig c;
  c.variant = mimkit::Variant::dls22;
  c.eta1 = 0.25;
  c.T1 = 40;
  c.beta1 = 0.8;
  mimkit::resolve(&c);
  CHECK(c.T1 == 1);
  CHECK(c.beta1 == 4.0);
  CHECK(mimkit::validate(c).ok());

  RunConfig l;
  mimkit::resolve(&l);
  CHECK(l.T1 == 40);
  CHECK(l.beta1 == 0.8);
}

TEST_CASE("resolve is idempotent") {
  RunConfig c;
  c.variant = mimkit::Variant::dls22;
  c.alpha = 3.7;
  c.d = 333;
  c.eta1 = 0.3;
  mimkit::resolve(&c);
  const std::string once = json(c);
  mimkit::resolve(&c);
  CHECK(json(c) == once);
  CHECK(c.n1 == 1232);  // 3.7 * 333 = 1232.1
}

TEST_CASE(
    "m_per_d sets m to the even number nearest m_per_d d, and an m beyond range is its "
    "error") {
  RunConfig c;
  c.d = 300;
  c.m_per_d = 0.5;
  mimkit::resolve(&c);
  CHECK(c.m == 150);
  c.m_per_d = 0.51;  // 153 -> 154 (nearest even)
  mimkit::resolve(&c);
  CHECK(c.m == 154);
  CHECK(mimkit::validate(c).ok());
  c.d = 1 << 20;
  c.r = 2;
  c.m_per_d = 1;
  const mimkit::Status s = mimkit::validate(c);
  CHECK(std::string(s.field()) == "m_per_d");
  CHECK(std::string(s.message()).find("allowed: m <= 65536") != std::string::npos);
}
