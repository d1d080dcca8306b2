// Passes over a dataset: the samples are split into a fixed number of shards, each shard's
// tiles are visited in row order by whichever worker takes the shard, and the shards' partial
// results are added in shard order. Results therefore depend on the shard count, never on the
// thread count or on scheduling: the determinism contract, stated and implemented here once.
#pragma once

#include <cstddef>
#include <cstdint>

#include "train/state.hpp"

namespace mimkit {
namespace train {

/// One pass: rows [row0, row0 + n) of `data`.
template <class T>
struct Pass {
  State<T>* s;
  const DataSet<T>* data;
  std::uint64_t row0, n;
  bool gradient;  ///< also accumulate gradients (otherwise only the loss)
};

/// Rows [*begin, *end) of shard k of n rows starting at row0, for S shards.
inline void shard_range(std::uint64_t row0, std::uint64_t n, std::size_t k, std::size_t S,
                        std::uint64_t* begin, std::uint64_t* end) {
  *begin = row0 + n * k / S;
  *end = row0 + n * (k + 1) / S;
}

/// True when the caller's should_stop hook asks the run to stop.
template <class T>
bool stop_requested(const State<T>& s) {
  return s.execution.should_stop != nullptr && s.execution.should_stop(s.execution.user);
}

inline Status cancelled_status() {
  return Status::error(Code::cancelled, "run", "cancelled (should_stop)");
}

/// Runs body(tile, first) over the tiles of `shard` of the pass, in row order, with worker w's
/// scratch. Returns the number of tiles, or -1 after recording the failing Status of the data
/// set in the shard's status slot.
template <class T, class Body>
long for_each_tile(const Pass<T>& p, std::size_t shard, std::size_t w, Body&& body) {
  State<T>& s = *p.s;
  const std::size_t tile = s.dims.tile;
  std::uint64_t begin = 0, end = 0;
  shard_range(p.row0, p.n, shard, s.dims.shards, &begin, &end);
  long tiles = 0;
  for (std::uint64_t r0 = begin; r0 < end; r0 += tile) {
    if (stop_requested(s)) {
      s.shards.status[shard] = cancelled_status();
      return -1;
    }
    const std::size_t cnt = static_cast<std::size_t>(end - r0 < tile ? end - r0 : tile);
    Tile<T> tl;
    const Status st = p.data->rows(r0, cnt, &tl, w);
    if (!st.ok()) {
      s.shards.status[shard] = st;
      return -1;
    }
    body(tl, tiles == 0);
    ++tiles;
  }
  return tiles;
}

/// Runs task(pass, shard, worker) for every shard on the pool and returns the first failing
/// shard's Status, in shard order (so the reported error does not depend on scheduling).
template <class T>
Status run_shards(State<T>& s, ThreadPool::Task task, Pass<T>* pass) {
  for (std::size_t k = 0; k < s.dims.shards; ++k) s.shards.status[k] = Status();
  s.pool.run(s.dims.shards, task, pass);
  for (std::size_t k = 0; k < s.dims.shards; ++k) {
    if (!s.shards.status[k].ok()) return s.shards.status[k];
  }
  return Status();
}

/// Element i of a per-shard array (shard k's copy starts at base + k * stride), summed over
/// the shards in shard order in the precision Acc. Every reduction across shards goes through
/// here.
template <class Acc, class T>
Acc sum_shards(const T* base, std::size_t shards, std::size_t stride, std::size_t i) {
  Acc total = static_cast<Acc>(base[i]);
  for (std::size_t k = 1; k < shards; ++k) total = total + static_cast<Acc>(base[k * stride + i]);
  return total;
}

/// Scalar `column` of the shards' scalar sums, added in shard order.
template <class T>
double shard_scalar(const State<T>& s, std::size_t column) {
  return sum_shards<double>(s.shards.scalars, s.dims.shards, kShardScalars, column);
}

}  // namespace train
}  // namespace mimkit
