#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "isa_list.hpp"
#include "mimkit/isa.hpp"

using mimkit::Code;
using mimkit::Isa;

TEST_CASE("auto selects the best supported ISA and scalar is always available") {
  Isa isa = Isa::neon;
  REQUIRE(mimkit::isa_select("auto", "--arch", &isa).ok());
  CHECK(isa == mimkit::isa_best());
  CHECK(mimkit::isa_supported(isa));
  REQUIRE(mimkit::isa_select(nullptr, "--arch", &isa).ok());
  CHECK(isa == mimkit::isa_best());
  REQUIRE(mimkit::isa_select("scalar", "--arch", &isa).ok());
  CHECK(isa == Isa::scalar);
}

TEST_CASE("every supported ISA can be forced by name") {
  for (Isa want : mimkit_test::runnable_isas()) {
    Isa got = Isa::scalar;
    REQUIRE(mimkit::isa_select(mimkit::isa_name(want), "MIMKIT_ARCH", &got).ok());
    CHECK(got == want);
  }
}

TEST_CASE("an unknown ISA name is an invalid_argument naming the field and the choices") {
  Isa isa = Isa::scalar;
  const auto s = mimkit::isa_select("sse9", "--arch", &isa);
  CHECK(s.code() == Code::invalid_argument);
  CHECK(std::string(s.field()) == "--arch");
  CHECK(std::string(s.message()).find("sse9") != std::string::npos);
  CHECK(std::string(s.message()).find("avx512") != std::string::npos);
}

TEST_CASE("forcing an ISA that is not compiled in or not on this CPU is unsupported_isa") {
  int refused = 0;
  for (int i = 0; i < mimkit::kIsaCount; ++i) {
    const auto want = static_cast<Isa>(i);
    if (mimkit::isa_supported(want)) continue;
    Isa got = Isa::scalar;
    const auto s = mimkit::isa_select(mimkit::isa_name(want), "MIMKIT_ARCH", &got);
    CHECK(s.code() == Code::unsupported_isa);
    CHECK(std::string(s.field()) == "MIMKIT_ARCH");
    ++refused;
  }
  // x86 lacks neon and aarch64 lacks avx2/avx512: at least one ISA is always refused.
  CHECK(refused >= 1);
}

TEST_CASE("the compiled list names every compiled ISA") {
  const std::string list = mimkit::isa_compiled_list();
  for (int i = 0; i < mimkit::kIsaCount; ++i) {
    const auto isa = static_cast<Isa>(i);
    CHECK((list.find(mimkit::isa_name(isa)) != std::string::npos) == mimkit::isa_compiled(isa));
  }
}

TEST_CASE("the choices string is auto and every ISA of the list, each accepted by isa_select") {
  const std::string choices = mimkit::isa_choices();
  CHECK(choices == MIMKIT_ISA_CHOICES);
  CHECK(choices.rfind("auto | scalar | ", 0) == 0);
  std::string rebuilt = "auto";
  for (int i = 0; i < mimkit::kIsaCount; ++i) {
    const auto isa = static_cast<Isa>(i);
    rebuilt += std::string(" | ") + mimkit::isa_name(isa);
    CHECK(std::string(mimkit::isa_summary(isa)).size() > 0);
    Isa got = Isa::scalar;
    // Known names are either selected or refused as unsupported, never as unknown.
    CHECK(mimkit::isa_select(mimkit::isa_name(isa), "--arch", &got).code() !=
          Code::invalid_argument);
  }
  CHECK(rebuilt == choices);
}
