#include "mimkit/arena.hpp"

#include <utility>

#include "platform/memory.hpp"

namespace mimkit {

Arena::Arena(void* data, std::size_t bytes) noexcept {
  const auto address = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t aligned = (address + kAlignment - 1) / kAlignment * kAlignment;
  const std::size_t skip = static_cast<std::size_t>(aligned - address);
  if (data != nullptr && bytes >= skip) {
    base_ = reinterpret_cast<unsigned char*>(aligned);
    capacity_ = bytes - skip;
  }
}

Arena Arena::measure() noexcept {
  Arena a;
  a.measuring_ = true;
  return a;
}

Arena Arena::owned(std::size_t bytes, Status* status) noexcept {
  Arena a;
  const std::size_t size = padded(bytes == 0 ? 1 : bytes);
  void* p = platform::aligned_allocate(size, kAlignment);
  if (p == nullptr) {
    *status = Status::error(Code::arena_too_small, "arena",
                            "could not allocate %zu bytes for the arena", size);
    return a;
  }
  a.base_ = static_cast<unsigned char*>(p);
  a.capacity_ = size;
  a.owned_ = p;
  *status = Status();
  return a;
}

Arena::Arena(Arena&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      capacity_(std::exchange(other.capacity_, 0)),
      used_(std::exchange(other.used_, 0)),
      measuring_(std::exchange(other.measuring_, false)),
      owned_(std::exchange(other.owned_, nullptr)) {}

Arena& Arena::operator=(Arena&& other) noexcept {
  if (this != &other) {
    platform::aligned_free(owned_);
    base_ = std::exchange(other.base_, nullptr);
    capacity_ = std::exchange(other.capacity_, 0);
    used_ = std::exchange(other.used_, 0);
    measuring_ = std::exchange(other.measuring_, false);
    owned_ = std::exchange(other.owned_, nullptr);
  }
  return *this;
}

Arena::~Arena() {
  platform::aligned_free(owned_);
}

Status Arena::allocate_bytes(std::size_t bytes, void** out, const char* what) noexcept {
  const std::size_t size = padded(bytes);
  if (measuring_) {
    used_ += size;
    *out = nullptr;
    return Status();
  }
  if (size > capacity_ - used_) {
    *out = nullptr;
    return Status::error(
        Code::arena_too_small, "arena",
        "%s needs %zu bytes but only %zu of %zu remain (size the arena with plan())",
        what ? what : "buffer", size, capacity_ - used_, capacity_);
  }
  *out = base_ + used_;
  used_ += size;
  return Status();
}

}  // namespace mimkit
