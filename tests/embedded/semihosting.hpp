// ARM semihosting (the debugger's, or qemu's -semihosting, console and exit), the only I/O the
// bare-metal test program needs: no C library stdio, no UART driver.
#pragma once

namespace semihosting {

/// Writes a NUL-terminated string to the host's console.
void write(const char* text);

/// Ends the program: qemu-system-arm exits with status 0 when ok, 1 otherwise.
[[noreturn]] void exit(bool ok);

}  // namespace semihosting
