// Digest: a 64-bit fingerprint of exact bytes, for golden tests and reproducibility checks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mimkit {

/// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), fed byte by byte.
/// Not cryptographic; equal digests of equal-length inputs mean equal bytes with overwhelming
/// probability. O(bytes).
class Digest {
 public:
  void update(const void* data, std::size_t bytes) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < bytes; ++i) {
      state_ ^= p[i];
      state_ *= 0x100000001b3ull;
    }
  }
  std::uint64_t value() const noexcept { return state_; }
  /// 16 lowercase hex digits and a NUL into out[0..17).
  void hex(char out[17]) const noexcept { to_hex(state_, out); }
  /// Any 64-bit value as 16 lowercase hex digits and a NUL.
  static void to_hex(std::uint64_t value, char out[17]) noexcept {
    static const char kDigits[] = "0123456789abcdef";
    for (int i = 0; i < 16; ++i) out[i] = kDigits[(value >> (60 - 4 * i)) & 0xF];
    out[16] = '\0';
  }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ull;
};

}  // namespace mimkit
