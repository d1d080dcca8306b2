// Reset and vector table for Cortex-M (ARMv7-M): enable the FPU, copy .data from flash, zero
// .bss, run the static constructors, run the program, report its result through semihosting.
// The symbols come from mps2.ld.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "semihosting.hpp"

extern "C" {
extern std::uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern std::uint32_t __stack_top[];
extern void (*__preinit_array_start[])();
extern void (*__preinit_array_end[])();
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();
int program();  // main.cpp: the checks; 0 when all passed
void reset_handler();
}

namespace {

// Any fault or unexpected interrupt ends the run as a failure instead of hanging qemu.
void fault_handler() {
  semihosting::write("mimkit-embedded: fault or unexpected interrupt\n");
  semihosting::exit(false);
}

using Handler = void (*)();

}  // namespace

// Initial stack pointer, reset, then the 14 system exceptions of ARMv7-M (NMI .. SysTick).
__attribute__((section(".vectors"), used)) const Handler vector_table[16] = {
    reinterpret_cast<Handler>(__stack_top),
    reset_handler,
    fault_handler,
    fault_handler,
    fault_handler,
    fault_handler,
    fault_handler,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    fault_handler,
    fault_handler,
    nullptr,
    fault_handler,
    fault_handler,
};

extern "C" void reset_handler() {
#if defined(__ARM_FP)
  // CPACR: full access to coprocessors 10 and 11 (the FPU), before any floating-point code.
  volatile std::uint32_t* const cpacr = reinterpret_cast<volatile std::uint32_t*>(0xE000ED88u);
  *cpacr |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  std::memcpy(__data_start, __data_load,
              static_cast<std::size_t>(__data_end - __data_start) * sizeof(std::uint32_t));
  std::memset(__bss_start, 0,
              static_cast<std::size_t>(__bss_end - __bss_start) * sizeof(std::uint32_t));
  for (void (**f)() = __preinit_array_start; f < __preinit_array_end; ++f) (*f)();
  for (void (**f)() = __init_array_start; f < __init_array_end; ++f) (*f)();
  semihosting::exit(program() == 0);
}
