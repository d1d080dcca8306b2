// Counts every heap allocation of the process while armed: global operator new/delete and the
// C allocator (malloc, calloc, realloc, aligned_alloc, posix_memalign) are replaced in the
// test binary that includes alloc_counter.cpp. Used to prove "no heap after setup".
#pragma once

#include <cstddef>

namespace mimkit_test {

void arm_allocation_counter();
/// Stops counting and returns the allocations seen since arm_allocation_counter().
std::size_t disarm_allocation_counter();

}  // namespace mimkit_test
