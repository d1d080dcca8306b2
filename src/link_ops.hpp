// The instruction set a compiled Link runs: the parser (link_parse.cpp) emits it and
// Link::operator() (link.cpp) evaluates it. Internal.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/link.hpp"

namespace mimkit {
namespace link_ops {

// Stack-machine instructions. Each one either pushes a value, replaces the top value, or pops
// two values and pushes one, so the parser can track the exact stack depth as it emits.
enum Opcode : std::uint8_t {
  kPushConst,  // push Op::value
  kPushVar,    // push z[Op::arg]
  kPushNorm2,  // push (z1^2 + ... + zr^2) / r
  kAdd,
  kSub,
  kMul,
  kDiv,
  kNeg,
  kPow,      // top ^ Op::arg
  kHermite,  // He_{Op::arg}(top)
  kRelu,
  kAbs,
  kSign,
  kSqrt,
};

constexpr std::size_t kMaxHermiteDegree = 12;
constexpr std::size_t kMaxExponent = 16;
// Bounds the parser's recursion (about five frames per level), independently of kMaxStack:
// "((((z1))))" needs no extra evaluation stack but does recurse.
constexpr std::size_t kMaxNesting = 64;
// Every instruction consumes at least one character of its own (a sign, an operator, a digit,
// a name or a '^'), so a spec that fits kMaxSpecLength cannot run out of instructions; the
// runtime check in emit() stays as a guard should the limits ever change.
static_assert(Link::kMaxOps >= Link::kMaxSpecLength, "a maximal spec must fit in ops_");

}  // namespace link_ops
}  // namespace mimkit
