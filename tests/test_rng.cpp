#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "isa_list.hpp"
#include "kernels/kernels.hpp"
#include "mimkit/rng.hpp"

using mimkit::Isa;

namespace {

struct Kat {
  std::array<std::uint32_t, 4> counter;
  std::array<std::uint32_t, 2> key;
  std::array<std::uint32_t, 4> expected;
};

// Random123's kat_vectors for philox4x32 with 10 rounds (Salmon et al., SC'11).
const Kat kKats[] = {
    {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
     {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

}  // namespace

TEST_CASE("philox4x32_10 reproduces the published known-answer vectors") {
  for (const Kat& k : kKats) {
    const auto out = mimkit::philox4x32_10(k.counter, k.key);
    CHECK(out == k.expected);
  }
}

TEST_CASE("every ISA's vector Philox matches the known answers in every lane") {
  for (Isa isa : mimkit_test::runnable_isas()) {
    const std::string isa_str = mimkit::isa_name(isa);
    CAPTURE(isa_str);
    const auto* tab = mimkit::kernels::table_f32(isa);
    REQUIRE(tab != nullptr);
    for (const Kat& k : kKats) {
      // 37 counters starting 5 below the KAT counter: the KAT lands in a lane other than 0
      // and the c0 arithmetic wraps for the all-ones vector.
      const std::uint32_t start[4] = {k.counter[0] - 5, k.counter[1], k.counter[2], k.counter[3]};
      const std::uint32_t key[2] = {k.key[0], k.key[1]};
      std::vector<std::uint32_t> words(4 * 37);
      tab->philox_words(words.data(), 37, start, key);
      for (int w = 0; w < 4; ++w) CHECK(words[4 * 5 + w] == k.expected[w]);
      for (std::uint32_t i = 0; i < 37; ++i) {
        const auto ref =
            mimkit::philox4x32_10({start[0] + i, start[1], start[2], start[3]}, {key[0], key[1]});
        for (int w = 0; w < 4; ++w) REQUIRE(words[4 * i + w] == ref[w]);
      }
    }
  }
}

TEST_CASE("philox4x32_10 changes about half the output bits when one input bit flips") {
  // Avalanche: a weak round function would leave flips confined to a few output words.
  const std::array<std::uint32_t, 2> key = {0x12345678, 0x9abcdef0};
  double total = 0;
  int trials = 0;
  for (std::uint32_t c = 0; c < 64; ++c) {
    for (int bit = 0; bit < 128; bit += 7) {
      std::array<std::uint32_t, 4> a = {c, 17, 0, 3};
      std::array<std::uint32_t, 4> b = a;
      b[bit / 32] ^= 1u << (bit % 32);
      const auto oa = mimkit::philox4x32_10(a, key);
      const auto ob = mimkit::philox4x32_10(b, key);
      int flipped = 0;
      for (int w = 0; w < 4; ++w) flipped += __builtin_popcount(oa[w] ^ ob[w]);
      total += flipped;
      ++trials;
    }
  }
  // Mean of Binomial(128, 1/2) over 1216 trials: sd of the mean = sqrt(32 / 1216) = 0.16.
  CHECK(total / trials == doctest::Approx(64.0).epsilon(0.02));
}
