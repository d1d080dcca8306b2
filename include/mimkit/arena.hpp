// Arena: all of a run's working memory in one block, carved front to back.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/status.hpp"

namespace mimkit {

/// A bump allocator over one block of memory. Every allocation is 64-byte aligned and padded
/// to a multiple of 64 bytes, so the bytes an allocation sequence needs are exactly
/// sum(round_up(size, 64)) + the block's own misalignment: plan() functions compute that sum with
/// a measuring arena (Arena::measure()), which hands out no memory and only counts.
///
/// Running out is a Status (Code::arena_too_small), never a crash, and so is a size past the
/// address space. reset() rewinds without freeing. Not thread-safe: carve during setup, then
/// share the pointers.
///
/// Lifetime: objects carved from an arena (a Trainer's state) may register as tenants; the
/// arena tells them when their memory goes away (reset(), destruction, being moved over) so
/// they shut down instead of touching freed memory, and follows them when it is moved. Memory
/// the caller supplied to Arena(data, bytes) must outlive the arena.
class Arena {
 public:
  static constexpr std::size_t kAlignment = 64;
  static constexpr std::size_t kMaxTenants = 8;

  /// An object living in the arena's memory. released(self) is called before that memory is
  /// reset, freed or replaced; moved(self, to) after the arena was moved into *to (the memory
  /// stays where it is).
  struct Tenant {
    void* self = nullptr;
    void (*released)(void* self) noexcept = nullptr;
    void (*moved)(void* self, Arena* to) noexcept = nullptr;
  };

  /// An empty arena (capacity 0).
  Arena() noexcept = default;
  /// An arena over caller-owned memory [data, data + bytes); the caller keeps it alive.
  Arena(void* data, std::size_t bytes) noexcept;
  /// An arena that only counts: allocations succeed with nullptr and used() sums their sizes.
  static Arena measure() noexcept;
  /// An arena owning `bytes` of fresh 64-byte-aligned heap memory (one allocation, at setup).
  /// On allocation failure the arena is empty and `*status` is set to the error; on success
  /// `*status` is left as it was, so an earlier error in it is never cleared.
  static Arena owned(std::size_t bytes, Status* status) noexcept;

  Arena(Arena&& other) noexcept;
  Arena& operator=(Arena&& other) noexcept;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  /// Reserves room for `count` objects of T (uninitialised), 64-byte aligned, into *out.
  /// `what` names the buffer in the error message.
  template <class T>
  Status allocate(std::size_t count, T** out, const char* what) noexcept {
    void* p = nullptr;
    Status s = count > ~std::size_t(0) / sizeof(T) ? too_large(what)
                                                   : allocate_bytes(count * sizeof(T), &p, what);
    *out = static_cast<T*>(p);
    return s;
  }

  /// Raw form of allocate().
  Status allocate_bytes(std::size_t bytes, void** out, const char* what) noexcept;

  /// Bytes handed out so far (including alignment padding).
  std::size_t used() const noexcept { return used_; }
  /// Total bytes available (0 for a measuring arena).
  std::size_t capacity() const noexcept { return capacity_; }
  bool measuring() const noexcept { return measuring_; }
  /// Forgets every allocation (tenants are released first); the memory stays.
  void reset() noexcept;

  /// Registers a tenant (at most kMaxTenants at a time).
  Status add_tenant(const Tenant& tenant) noexcept;
  /// Forgets the tenant registered with `self` (no-op if none).
  void remove_tenant(void* self) noexcept;

  /// Bytes an allocation of `bytes` consumes: round_up(bytes, 64) (saturating at the largest
  /// multiple of 64).
  static constexpr std::size_t padded(std::size_t bytes) noexcept {
    return bytes > ~std::size_t(0) - (kAlignment - 1)
               ? ~std::size_t(0) / kAlignment * kAlignment
               : (bytes + kAlignment - 1) / kAlignment * kAlignment;
  }

 private:
  static Status too_large(const char* what) noexcept;
  void release_tenants() noexcept;
  void take_tenants(Arena& other) noexcept;

  unsigned char* base_ = nullptr;  // first 64-byte-aligned byte of the block
  std::size_t capacity_ = 0;
  std::size_t used_ = 0;
  bool measuring_ = false;
  void* owned_ = nullptr;
  Tenant tenants_[kMaxTenants] = {};
  std::size_t tenant_count_ = 0;
};

}  // namespace mimkit
