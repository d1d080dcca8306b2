#include "semihosting.hpp"

namespace semihosting {
namespace {

// Operation numbers and exit reasons of the ARM semihosting specification.
constexpr int kWrite0 = 0x04;
constexpr int kExit = 0x18;
constexpr int kApplicationExit = 0x20026;  // ADP_Stopped_ApplicationExit: status 0
constexpr int kRunTimeError = 0x20023;     // ADP_Stopped_RunTimeErrorUnknown: status 1

// bkpt 0xAB traps to the host: r0 the operation, r1 its argument, r0 the result.
int call(int operation, const void* argument) {
  register int r0 __asm__("r0") = operation;
  register const void* r1 __asm__("r1") = argument;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

}  // namespace

void write(const char* text) {
  call(kWrite0, text);
}

void exit(bool ok) {
  // On 32-bit ARM the argument of SYS_EXIT is the reason itself, not a pointer to it.
  call(kExit, reinterpret_cast<const void*>(ok ? kApplicationExit : kRunTimeError));
  for (;;) {
  }
}

}  // namespace semihosting
