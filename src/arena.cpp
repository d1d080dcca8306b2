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
  return a;
}

Arena::Arena(Arena&& other) noexcept
    : base_(std::exchange(other.base_, nullptr)),
      capacity_(std::exchange(other.capacity_, 0)),
      used_(std::exchange(other.used_, 0)),
      measuring_(std::exchange(other.measuring_, false)),
      owned_(std::exchange(other.owned_, nullptr)) {
  take_tenants(other);
}

Arena& Arena::operator=(Arena&& other) noexcept {
  if (this != &other) {
    release_tenants();
    platform::aligned_free(owned_);
    base_ = std::exchange(other.base_, nullptr);
    capacity_ = std::exchange(other.capacity_, 0);
    used_ = std::exchange(other.used_, 0);
    measuring_ = std::exchange(other.measuring_, false);
    owned_ = std::exchange(other.owned_, nullptr);
    take_tenants(other);
  }
  return *this;
}

Arena::~Arena() {
  release_tenants();
  platform::aligned_free(owned_);
}

void Arena::reset() noexcept {
  release_tenants();
  used_ = 0;
}

Status Arena::add_tenant(const Tenant& tenant) noexcept {
  if (tenant_count_ == kMaxTenants) {
    return Status::error(Code::invalid_argument, "arena",
                         "the arena already serves %zu tenants (trainers); allowed: at most %zu",
                         tenant_count_, kMaxTenants);
  }
  tenants_[tenant_count_++] = tenant;
  return Status();
}

void Arena::remove_tenant(void* self) noexcept {
  for (std::size_t i = 0; i < tenant_count_; ++i) {
    if (tenants_[i].self != self) continue;
    tenants_[i] = tenants_[--tenant_count_];
    tenants_[tenant_count_] = Tenant();
    return;
  }
}

void Arena::release_tenants() noexcept {
  // Last registered first: a later tenant may live inside an earlier one's allocations.
  while (tenant_count_ > 0) {
    const Tenant t = tenants_[--tenant_count_];
    tenants_[tenant_count_] = Tenant();
    if (t.released != nullptr) t.released(t.self);
  }
}

void Arena::take_tenants(Arena& other) noexcept {
  tenant_count_ = std::exchange(other.tenant_count_, 0);
  for (std::size_t i = 0; i < tenant_count_; ++i) {
    tenants_[i] = std::exchange(other.tenants_[i], Tenant());
    if (tenants_[i].moved != nullptr) tenants_[i].moved(tenants_[i].self, this);
  }
}

Status Arena::too_large(const char* what) noexcept {
  return Status::error(Code::arena_too_small, "arena",
                       "%s needs more bytes than the address space holds (2^%zu)",
                       what ? what : "buffer", sizeof(std::size_t) * 8);
}

Status Arena::allocate_bytes(std::size_t bytes, void** out, const char* what) noexcept {
  const std::size_t size = padded(bytes);
  if (size < bytes || size > ~std::size_t(0) - used_) {
    *out = nullptr;
    return too_large(what);
  }
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
