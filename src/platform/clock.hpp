// The host's clock, as the library sees it: one function, so a board without a clock (or with
// its own timer) changes one file. Timings are reported, never used to decide anything, so a
// host without a clock only loses the timings: -Dclock=false (MIMKIT_CLOCK=0) builds it without
// <chrono> (newlib's steady_clock needs a _gettimeofday the board may not have), reading 0.
#pragma once

namespace mimkit {
namespace platform {

/// Seconds on a monotonic clock from an arbitrary origin; 0 on every call when the host has
/// no clock (timings then read 0). Thread-safe, allocation-free.
double now_seconds() noexcept;

}  // namespace platform
}  // namespace mimkit
