// Aligned heap blocks, for Arena::owned: the only heap allocation the library makes. Built on
// malloc and free alone (newlib has no aligned_alloc); a program that only gives the library
// caller-owned arenas never links it.
#pragma once

#include <cstddef>

namespace mimkit {
namespace platform {

/// `bytes` of uninitialised memory whose address is a multiple of `alignment` (a power of two,
/// at most 4096), or nullptr when the heap cannot provide them. Release with aligned_free.
void* aligned_allocate(std::size_t bytes, std::size_t alignment) noexcept;

/// Releases a block from aligned_allocate; nullptr is ignored.
void aligned_free(void* block) noexcept;

}  // namespace platform
}  // namespace mimkit
