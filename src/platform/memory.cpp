#include "platform/memory.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace mimkit {
namespace platform {

// The block is over-allocated by alignment - 1 plus one pointer; the pointer malloc returned is
// kept just below the aligned address.
void* aligned_allocate(std::size_t bytes, std::size_t alignment) noexcept {
  const std::size_t extra = alignment - 1 + sizeof(void*);
  if (bytes > SIZE_MAX - extra) return nullptr;
  void* raw = std::malloc(bytes + extra);
  if (raw == nullptr) return nullptr;
  const std::uintptr_t first = reinterpret_cast<std::uintptr_t>(raw) + sizeof(void*);
  const std::uintptr_t aligned = (first + alignment - 1) & ~static_cast<std::uintptr_t>(alignment - 1);
  void* block = reinterpret_cast<void*>(aligned);
  std::memcpy(static_cast<unsigned char*>(block) - sizeof(void*), &raw, sizeof raw);
  return block;
}

void aligned_free(void* block) noexcept {
  if (block == nullptr) return;
  void* raw;
  std::memcpy(&raw, static_cast<unsigned char*>(block) - sizeof(void*), sizeof raw);
  std::free(raw);
}

}  // namespace platform
}  // namespace mimkit
