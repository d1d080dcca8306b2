// Counter-based random numbers: Philox4x32-10 (Salmon et al., SC'11, "Parallel random numbers:
// as easy as 1, 2, 3"), and how mimkit addresses it.
//
// Every random number mimkit draws is a pure function of (seed, stream, row, coordinate):
// no generator state is carried from one number to the next, so any tile can be produced in
// any order, by any thread, on any machine, with identical bits.
//
// Addressing: Philox counter (c0, row mod 2^32, row / 2^32, stream), key (seed mod 2^32,
// seed / 2^32). Within a row, c0 enumerates 16-lane blocks of coordinates: for float,
// coordinate j uses counter c0 = 16 (j / 64) + j % 16 and the Box-Muller pair of words
// (0, 1) or (2, 3) that gives slot q = (j % 64) / 16; for double, 64-bit words join two adjacent
// counters (see src/kernels/normal.hpp). Normals come from Box-Muller with our own log/sin/cos.
#pragma once

#include <array>
#include <cstdint>

namespace mimkit {

/// Philox4x32-10 of `counter` under `key`: the 10-round bijection with the published
/// multipliers 0xD2511F53, 0xCD9E8D57 and Weyl constants 0x9E3779B9, 0xBB67AE85.
/// Plain C++, independent of the vector kernels (which tests check against it). O(1).
std::array<std::uint32_t, 4> philox4x32_10(const std::array<std::uint32_t, 4>& counter,
                                           const std::array<std::uint32_t, 2>& key) noexcept;

/// Stream identifiers: which independent sequence a random number belongs to.
/// stream = 256 * source + purpose.
enum class StreamPurpose : std::uint32_t {
  inputs = 0,  ///< the coordinates of x
  noise = 1,   ///< the label noise xi
};

/// The stream id of `purpose` for source `source` (a dataset id, or one of the kSource* below).
constexpr std::uint32_t stream_id(std::uint32_t source, StreamPurpose purpose) noexcept {
  return source * 256u + static_cast<std::uint32_t>(purpose);
}

/// Sources that are not datasets: the hidden subspace U, network initialisation, biases.
constexpr std::uint32_t kSourceSubspace = 1000;
constexpr std::uint32_t kSourceInit = 1001;
constexpr std::uint32_t kSourceBias = 1002;

}  // namespace mimkit
