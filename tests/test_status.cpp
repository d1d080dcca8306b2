#include <doctest/doctest.h>

#include <string>

#include "mimkit/digest.hpp"
#include "mimkit/status.hpp"

using mimkit::Code;
using mimkit::Status;

TEST_CASE("a default Status is ok with empty field and message") {
  Status s;
  CHECK(s.ok());
  CHECK(s.code() == Code::ok);
  CHECK(std::string(s.field()).empty());
  CHECK(std::string(s.message()).empty());
}

TEST_CASE("an error Status keeps code, field and formatted message and describes itself") {
  const Status s = Status::error(Code::invalid_argument, "m", "m = %d must be even", 7);
  CHECK(!s.ok());
  CHECK(s.code() == Code::invalid_argument);
  CHECK(std::string(s.field()) == "m");
  CHECK(std::string(s.message()) == "m = 7 must be even");
  char buf[128];
  CHECK(std::string(s.describe(buf, sizeof buf)) == "m: m = 7 must be even");
  CHECK(std::string(mimkit::code_name(s.code())) == "invalid_argument");
}

TEST_CASE("an overlong message is truncated, not overflowed") {
  std::string longtext(1000, 'x');
  const Status s = Status::error(Code::internal, "f", "%s", longtext.c_str());
  CHECK(std::string(s.message()).size() == Status::kMessageCapacity - 1);
}

TEST_CASE("the digest is FNV-1a 64 (published test values)") {
  auto digest = [](const char* text) {
    mimkit::Digest d;
    d.update(text, std::string(text).size());
    return d.value();
  };
  CHECK(digest("") == 0xcbf29ce484222325ull);
  CHECK(digest("a") == 0xaf63dc4c8601ec8cull);
  CHECK(digest("foobar") == 0x85944171f73967e8ull);
  mimkit::Digest d;
  d.update("foo", 3);
  d.update("bar", 3);
  char hex[17];
  d.hex(hex);
  CHECK(std::string(hex) == "85944171f73967e8");
}
