// The Trainer's contract with its caller: lifetimes, misuse and the memory plan.
#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <memory>
#include <utility>

#include "mimkit/mimkit.hpp"

using namespace mimkit;

namespace {

RunConfig tiny() {
  RunConfig c;
  c.d = 16;
  c.r = 2;
  c.n1 = 256;
  c.n2 = 256;
  c.ntest = 128;
  c.m = 8;
  c.T1 = 3;
  c.tile_rows = 64;
  c.seed = 5;
  return c;
}

Execution exec1() {
  Execution e;
  e.isa = isa_best();
  e.threads = 2;
  return e;
}

std::uint64_t reference_digest() {
  Status st;
  Arena arena = Arena::owned(plan<float>(tiny(), 2), &st);
  Report rep;
  REQUIRE(run<float>(tiny(), exec1(), arena, &rep).ok());
  return rep.weights_digest;
}

}  // namespace

TEST_CASE("null pointers are Status errors naming the argument, never a crash") {
  Status st;
  Arena arena = Arena::owned(plan<float>(tiny(), 2), &st);
  CHECK(std::strcmp(run<float>(tiny(), exec1(), arena, nullptr).field(), "report") == 0);
  arena.reset();
  Trainer<float> t;
  REQUIRE(t.init(tiny(), exec1(), arena).ok());
  CHECK(std::strcmp(t.train(nullptr).field(), "report") == 0);
  float b[8] = {}, a[8] = {};
  CHECK(std::strcmp(t.set_network(nullptr, 16, b, a).field(), "W") == 0);
  CHECK(t.phase1_objective(nullptr, nullptr, 0).code() == Code::invalid_argument);
  std::size_t bytes = 0;
  CHECK(plan<float>(tiny(), 1, nullptr).code() == Code::invalid_argument);
  CHECK(plan<float>(tiny(), 1, &bytes).ok());
}

TEST_CASE("train() runs once: a second call is refused") {
  Status st;
  Arena arena = Arena::owned(plan<float>(tiny(), 2), &st);
  Trainer<float> t;
  REQUIRE(t.init(tiny(), exec1(), arena).ok());
  Report rep;
  REQUIRE(t.train(&rep).ok());
  CHECK(rep.weights_digest == reference_digest());
  const Status again = t.train(&rep);
  CHECK(again.code() == Code::invalid_argument);
  CHECK(std::strstr(again.message(), "already ran") != nullptr);
}

TEST_CASE("a Trainer whose arena is destroyed first shuts down instead of touching freed memory") {
  auto trainer = std::make_unique<Trainer<float>>();
  {
    Status st;
    Arena arena = Arena::owned(plan<float>(tiny(), 2), &st);
    REQUIRE(trainer->init(tiny(), exec1(), arena).ok());
  }  // the arena (and the Trainer's state with its threads) goes first
  Report rep;
  const Status st = trainer->train(&rep);
  CHECK(st.code() == Code::invalid_argument);
  CHECK(std::strcmp(st.field(), "arena") == 0);
  CHECK(trainer->network().W == nullptr);
  trainer.reset();  // under AddressSanitizer, a use after free here would fail the suite
}

TEST_CASE("a moved arena keeps its Trainer working, with the same bits") {
  Status st;
  Arena arena = Arena::owned(plan<float>(tiny(), 2), &st);
  Trainer<float> t;
  REQUIRE(t.init(tiny(), exec1(), arena).ok());
  Arena moved = std::move(arena);
  Arena again;
  again = std::move(moved);
  Report rep;
  REQUIRE(t.train(&rep).ok());
  CHECK(rep.weights_digest == reference_digest());
}

TEST_CASE("reset() releases the first Trainer, so a second one can use the memory") {
  Status st;
  Arena arena = Arena::owned(plan<float>(tiny(), 2), &st);
  Trainer<float> first;
  REQUIRE(first.init(tiny(), exec1(), arena).ok());
  arena.reset();
  Trainer<float> second;
  REQUIRE(second.init(tiny(), exec1(), arena).ok());
  Report rep;
  CHECK(first.train(&rep).code() == Code::invalid_argument);
  REQUIRE(second.train(&rep).ok());
  CHECK(rep.weights_digest == reference_digest());
}  // both destructors return (the first used to hang on the overwritten pool)

TEST_CASE("Arena::owned never clears an earlier error in the status it is given") {
  Status st = Status::error(Code::unsupported_isa, "--arch", "not here");
  Arena arena = Arena::owned(1024, &st);
  CHECK(st.code() == Code::unsupported_isa);
  CHECK(arena.capacity() >= 1024);
  Status fine;
  Arena huge = Arena::owned(std::numeric_limits<std::size_t>::max() / 2, &fine);
  CHECK(fine.code() == Code::arena_too_small);
  CHECK(huge.capacity() == 0);
}

TEST_CASE(
    "plan() is exact or an error: a footprint past the address space is never a small "
    "number") {
  RunConfig c = tiny();
  c.d = std::size_t(1) << 31;
  c.n1 = std::uint64_t(1) << 40;  // 2^40 rows of 2^31 floats: 2^73 bytes
  std::size_t bytes = 1;
  const Status st = plan<float>(c, 1, &bytes);
  CHECK(st.code() == Code::arena_too_small);
  CHECK(bytes == 0);
  CHECK(plan<float>(c, 1) == 0);
  if (sizeof(std::size_t) < 8) return;  // 32 bits: W alone (m x 2^31 floats) is past the space
  CHECK(std::strstr(st.message(), "fit1") != nullptr);
  // Stream mode needs no storage for the rows: a real (if large) number.
  c.mode = DataMode::stream;
  REQUIRE(plan<float>(c, 1, &bytes).ok());
  CHECK(bytes > (std::size_t(1) << 31) * 64 * sizeof(float));  // at least W, m x d
}

TEST_CASE("the arena's size checks cannot be wrapped around") {
  Arena measure = Arena::measure();
  double* p = nullptr;
  CHECK(measure.allocate(std::numeric_limits<std::size_t>::max() / 4, &p, "big").code() ==
        Code::arena_too_small);
  void* q = nullptr;
  CHECK(measure.allocate_bytes(std::numeric_limits<std::size_t>::max() - 10, &q, "big").code() ==
        Code::arena_too_small);
}

namespace {

struct StopAfter {
  int calls = 0;
  int limit = 0;
};

bool stop_after(void* user) {
  auto* s = static_cast<StopAfter*>(user);
  return __atomic_add_fetch(&s->calls, 1, __ATOMIC_RELAXED) > s->limit;
}

}  // namespace

TEST_CASE("should_stop is polled per tile: a run stops inside a step, and during data setup") {
  RunConfig c = tiny();
  c.n1 = 64 * 100;  // 100 tiles per pass
  c.T1 = 2;
  StopAfter stop;
  stop.limit = 150;  // within the first step's tiles, after setup's
  Execution e = exec1();
  e.should_stop = &stop_after;
  e.user = &stop;
  Status st;
  Arena arena = Arena::owned(plan<float>(c, 2), &st);
  Report rep;
  const Status ran = run<float>(c, e, arena, &rep);
  CHECK(ran.code() == Code::cancelled);
  CHECK(stop.calls < 100 + 100 + 10);  // setup (100 tiles) plus part of one step, not two
  StopAfter early;
  early.limit = 5;
  e.user = &early;
  arena.reset();
  Trainer<float> t;
  CHECK(t.init(c, e, arena).code() == Code::cancelled);  // stopped while generating fit1
  CHECK(t.train(&rep).code() == Code::invalid_argument);
}
