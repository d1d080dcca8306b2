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
/// Running out is a Status (Code::arena_too_small), never a crash. reset() rewinds without
/// freeing. Not thread-safe: carve during setup, then share the pointers.
class Arena {
 public:
  static constexpr std::size_t kAlignment = 64;

  /// An empty arena (capacity 0).
  Arena() noexcept = default;
  /// An arena over caller-owned memory [data, data + bytes); the caller keeps it alive.
  Arena(void* data, std::size_t bytes) noexcept;
  /// An arena that only counts: allocations succeed with nullptr and used() sums their sizes.
  static Arena measure() noexcept;
  /// An arena owning `bytes` of fresh 64-byte-aligned heap memory (one allocation, at setup).
  /// On allocation failure the arena is empty and `*status` says so.
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
    Status s = allocate_bytes(count * sizeof(T), &p, what);
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
  /// Forgets every allocation; the memory stays.
  void reset() noexcept { used_ = 0; }

  /// Bytes an allocation of `bytes` consumes: round_up(bytes, 64).
  static constexpr std::size_t padded(std::size_t bytes) noexcept {
    return (bytes + kAlignment - 1) / kAlignment * kAlignment;
  }

 private:
  unsigned char* base_ = nullptr;  // first 64-byte-aligned byte of the block
  std::size_t capacity_ = 0;
  std::size_t used_ = 0;
  bool measuring_ = false;
  void* owned_ = nullptr;
};

}  // namespace mimkit
