#include "args.hpp"

#include <algorithm>

#include "text.hpp"

namespace mimkit {
namespace cli {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::vector<const char*> names;
  for (const std::string& c : candidates) names.push_back(c.c_str());
  const char* best = text::suggest(word.c_str(), names.data(), names.size());
  return best != nullptr ? best : "";
}

std::vector<std::string> split_list(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(sep, start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool parse_u64(const std::string& text, std::uint64_t* out) {
  return text::parse_uint(text.c_str(), out) == text::UintParse::ok;
}

bool parse_f64(const std::string& text, double* out) {
  return text::parse_real(text.c_str(), out);
}

Status Args::parse(int argc, char** argv, int first, const std::vector<std::string>& known,
                   const std::vector<std::string>& switches) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 3 || arg[0] != '-' || arg[1] != '-') {
      return Status::error(Code::invalid_argument, arg.c_str(),
                           "unexpected argument (options look like --name value)");
    }
    std::string key = arg.substr(2), value;
    bool inline_value = false;
    const std::size_t eq = key.find('=');
    if (eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
      inline_value = true;
    }
    if (!contains(known, key) && !contains(switches, key)) {
      std::vector<std::string> all = known;
      all.insert(all.end(), switches.begin(), switches.end());
      const std::string guess = closest(key, all);
      return Status::error(Code::invalid_argument, ("--" + key).c_str(), "unknown option%s%s%s",
                           guess.empty() ? "" : " (did you mean --", guess.c_str(),
                           guess.empty() ? "" : "?)");
    }
    if (contains(switches, key)) {
      if (inline_value) {
        return Status::error(Code::invalid_argument, ("--" + key).c_str(), "takes no value");
      }
      values_.emplace_back(key, "");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argc) {
        return Status::error(Code::invalid_argument, ("--" + key).c_str(), "needs a value");
      }
      value = argv[++i];
    }
    values_.emplace_back(key, value);
  }
  return Status();
}

bool Args::has(const std::string& key) const {
  for (const auto& kv : values_) {
    if (kv.first == key) return true;
  }
  return false;
}

std::vector<std::string> Args::all(const std::string& key) const {
  std::vector<std::string> out;
  for (const auto& kv : values_) {
    if (kv.first == key) out.push_back(kv.second);
  }
  return out;
}

Status Args::get_string(const std::string& key, const std::string& fallback,
                        std::string* out) const {
  *out = fallback;
  for (const auto& kv : values_) {
    if (kv.first == key) *out = kv.second;
  }
  return Status();
}

Status Args::get_size(const std::string& key, std::uint64_t fallback, std::uint64_t lo,
                      std::uint64_t hi, std::uint64_t* out) const {
  if (!has(key)) {
    *out = fallback;
    return Status();
  }
  std::string text;
  get_string(key, "", &text);
  std::uint64_t v = 0;
  if (!parse_u64(text, &v) || v < lo || v > hi) {
    return Status::error(Code::invalid_argument, ("--" + key).c_str(),
                         "'%s' is not allowed (allowed: an integer in %llu..%llu)", text.c_str(),
                         static_cast<unsigned long long>(lo), static_cast<unsigned long long>(hi));
  }
  *out = v;
  return Status();
}

Status Args::get_double(const std::string& key, double fallback, double lo, double hi,
                        double* out) const {
  if (!has(key)) {
    *out = fallback;
    return Status();
  }
  std::string text;
  get_string(key, "", &text);
  double v = 0;
  if (!parse_f64(text, &v) || v < lo || v > hi) {
    return Status::error(Code::invalid_argument, ("--" + key).c_str(),
                         "'%s' is not allowed (allowed: a finite number in [%g, %g])", text.c_str(),
                         lo, hi);
  }
  *out = v;
  return Status();
}

Status Args::get_choice(const std::string& key, const std::string& fallback,
                        const std::vector<std::string>& choices, std::string* out) const {
  get_string(key, fallback, out);
  if (contains(choices, *out)) return Status();
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  return Status::error(Code::invalid_argument, ("--" + key).c_str(),
                       "'%s' is not allowed (allowed: %s)", out->c_str(), list.c_str());
}

Status Args::require(const std::string& key) const {
  if (has(key)) return Status();
  return Status::error(Code::invalid_argument, ("--" + key).c_str(), "is required");
}

}  // namespace cli
}  // namespace mimkit
