#include "json.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mimkit {
namespace cli {

class JsonParser {
 public:
  explicit JsonParser(const std::string& text) : s_(text) {}

  Status value(Json* out, int depth) {
    if (depth > 64) return fail("nesting deeper than 64");
    skip();
    if (pos_ >= s_.size()) return fail("unexpected end of text");
    const char c = s_[pos_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out->type_ = Json::Type::string;
      return string(&out->string_);
    }
    if (literal("true")) {
      out->type_ = Json::Type::boolean;
      out->boolean_ = true;
      return Status();
    }
    if (literal("false")) {
      out->type_ = Json::Type::boolean;
      return Status();
    }
    if (literal("null")) {
      out->type_ = Json::Type::null;
      return Status();
    }
    return number(out);
  }

  Status finish() {
    skip();
    if (pos_ != s_.size()) return fail("unexpected text after the value");
    return Status();
  }

 private:
  Status fail(const char* what) const {
    return Status::error(Code::parse_error, "json", "%s at column %zu", what, pos_ + 1);
  }
  void skip() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool literal(const char* word) {
    std::size_t n = 0;
    while (word[n] != '\0') ++n;
    if (s_.compare(pos_, n, word) != 0) return false;
    pos_ += n;
    return true;
  }
  Status number(Json* out) {
    const char* begin = s_.c_str() + pos_;
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end == begin || (*begin != '-' && (*begin < '0' || *begin > '9'))) {
      return fail("expected a value");
    }
    // strtod also reads hex floats, "inf" and "nan"; JSON numbers are decimal and finite.
    for (const char* c = begin; c < end; ++c) {
      if (std::strchr("0123456789+-.eE", *c) == nullptr) return fail("expected a decimal number");
    }
    if (!std::isfinite(v)) return fail("number out of range");
    pos_ += static_cast<std::size_t>(end - begin);
    out->type_ = Json::Type::number;
    out->number_ = v;
    return Status();
  }
  Status string(std::string* out) {
    ++pos_;  // opening quote
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return Status();
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) break;
      const char e = s_[pos_++];
      switch (e) {
        case 'n':
          out->push_back('\n');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'u': {
          if (pos_ + 4 > s_.size()) return fail("truncated \\u escape");
          const unsigned long code = std::strtoul(s_.substr(pos_, 4).c_str(), nullptr, 16);
          pos_ += 4;
          out->push_back(code < 0x80 ? static_cast<char>(code) : '?');
          break;
        }
        default:
          out->push_back(e);
      }
    }
    return fail("unterminated string");
  }
  Status array(Json* out, int depth) {
    out->type_ = Json::Type::array;
    ++pos_;
    skip();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return Status();
    }
    for (;;) {
      out->items_.emplace_back();
      MIMKIT_TRY(value(&out->items_.back(), depth + 1));
      skip();
      if (pos_ >= s_.size()) return fail("unterminated array");
      const char c = s_[pos_++];
      if (c == ']') return Status();
      if (c != ',') return fail("expected ',' or ']'");
    }
  }
  Status object(Json* out, int depth) {
    out->type_ = Json::Type::object;
    ++pos_;
    skip();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return Status();
    }
    for (;;) {
      skip();
      if (pos_ >= s_.size() || s_[pos_] != '"') return fail("expected a key");
      std::string key;
      MIMKIT_TRY(string(&key));
      skip();
      if (pos_ >= s_.size() || s_[pos_] != ':') return fail("expected ':'");
      ++pos_;
      out->members_.emplace_back(key, Json());
      MIMKIT_TRY(value(&out->members_.back().second, depth + 1));
      skip();
      if (pos_ >= s_.size()) return fail("unterminated object");
      const char c = s_[pos_++];
      if (c == '}') return Status();
      if (c != ',') return fail("expected ',' or '}'");
    }
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

Status Json::parse(const std::string& text, Json* out) {
  JsonParser p(text);
  *out = Json();
  MIMKIT_TRY(p.value(out, 0));
  return p.finish();
}

const Json* Json::get(const std::string& key) const {
  if (type_ == Type::object) {
    for (const auto& kv : members_) {
      if (kv.first == key) return &kv.second;
    }
    return nullptr;
  }
  if (type_ == Type::array) {
    char* end = nullptr;
    const unsigned long idx = std::strtoul(key.c_str(), &end, 10);
    if (key.empty() || *end != '\0' || idx >= items_.size()) return nullptr;
    return &items_[idx];
  }
  return nullptr;
}

const Json* Json::path(const std::string& dotted) const {
  const Json* cur = this;
  std::size_t start = 0;
  while (cur != nullptr && start <= dotted.size()) {
    const std::size_t dot = dotted.find('.', start);
    const std::string part =
        dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    cur = cur->get(part);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

std::string Json::text() const {
  return type_ == Type::string ? string_ : json();
}

std::string json_quote(const std::string& raw) {
  std::string out = "\"";
  for (char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string Json::json() const {
  char buf[64];
  switch (type_) {
    case Type::null:
      return "null";
    case Type::boolean:
      return boolean_ ? "true" : "false";
    case Type::number:
      if (!std::isfinite(number_)) return "null";
      for (int precision = 15; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, number_);
        if (std::strtod(buf, nullptr) == number_) break;
      }
      return buf;
    case Type::string:
      return json_quote(string_);
    case Type::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < items_.size(); ++i) out += (i ? "," : "") + items_[i].json();
      return out + "]";
    }
    case Type::object: {
      std::string out = "{";
      for (std::size_t i = 0; i < members_.size(); ++i) {
        out += (i ? "," : "") + json_quote(members_[i].first) + ":" + members_[i].second.json();
      }
      return out + "}";
    }
  }
  return "";
}

}  // namespace cli
}  // namespace mimkit
