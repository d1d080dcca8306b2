#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "mimkit/arena.hpp"

using mimkit::Arena;
using mimkit::Code;

TEST_CASE("arena allocations are 64-byte aligned and padded to 64 bytes") {
  std::vector<unsigned char> block(4096 + 7);
  Arena arena(block.data() + 3, 4096);  // deliberately misaligned block
  float* a = nullptr;
  double* b = nullptr;
  REQUIRE(arena.allocate(5, &a, "a").ok());
  REQUIRE(arena.allocate(9, &b, "b").ok());
  CHECK(reinterpret_cast<std::uintptr_t>(a) % 64 == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(b) % 64 == 0);
  CHECK(reinterpret_cast<unsigned char*>(b) - reinterpret_cast<unsigned char*>(a) == 64);
  CHECK(arena.used() == 64 + 128);
}

TEST_CASE("a measuring arena counts exactly what a real arena of that size can hold") {
  Arena measure = Arena::measure();
  void* p = nullptr;
  const std::size_t sizes[] = {1, 64, 65, 1000, 0, 3};
  for (std::size_t s : sizes) REQUIRE(measure.allocate_bytes(s, &p, "x").ok());
  const std::size_t need = measure.used();
  CHECK(need == 64 + 64 + 128 + 1024 + 0 + 64);

  mimkit::Status st;
  Arena exact = Arena::owned(need, &st);
  REQUIRE(st.ok());
  for (std::size_t s : sizes) REQUIRE(exact.allocate_bytes(s, &p, "x").ok());
  CHECK(exact.used() == need);

  // One byte less than planned must fail, with a Status naming the buffer.
  std::vector<unsigned char> block(need + 63);
  void* aligned =
      reinterpret_cast<void*>((reinterpret_cast<std::uintptr_t>(block.data()) + 63) / 64 * 64);
  Arena tight(aligned, need - 1);
  mimkit::Status last;
  for (std::size_t s : sizes) {
    last = tight.allocate_bytes(s, &p, "the last buffer");
    if (!last.ok()) break;
  }
  CHECK(last.code() == Code::arena_too_small);
  CHECK(std::string(last.message()).find("the last buffer") != std::string::npos);
}

TEST_CASE("reset rewinds an arena so the same carving fits again") {
  std::vector<unsigned char> block(1024 + 64);
  Arena arena(block.data(), block.size());
  void* first = nullptr;
  void* again = nullptr;
  REQUIRE(arena.allocate_bytes(500, &first, "x").ok());
  arena.reset();
  CHECK(arena.used() == 0);
  REQUIRE(arena.allocate_bytes(500, &again, "x").ok());
  CHECK(first == again);
}

TEST_CASE("a moved-from arena is empty and the moved-to one keeps the block") {
  mimkit::Status st;
  Arena a = Arena::owned(256, &st);
  REQUIRE(st.ok());
  Arena b(std::move(a));
  CHECK(a.capacity() == 0);
  CHECK(b.capacity() == 256);
  void* p = nullptr;
  CHECK(a.allocate_bytes(1, &p, "x").code() == Code::arena_too_small);
  CHECK(b.allocate_bytes(256, &p, "x").ok());
}
