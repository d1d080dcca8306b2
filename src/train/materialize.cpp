// The setup phase of a run: generating the rows of every materialized dataset, spread over the
// pool in chunks of tiles, with progress ("data") and stops between tiles.
#include "train/passes.hpp"
#include "train/phases.hpp"

namespace mimkit {
namespace train {

namespace {

// Tiles per chunk: progress and the progress callback's stop are checked between chunks,
// should_stop before every tile.
constexpr std::size_t kChunkTiles = 32;

template <class T>
struct Fill {
  State<T>* s;
  DataSet<T>* data;
  std::size_t first, count;  // the chunk's tiles
};

// Shard slot k fills its share of the chunk's tiles.
template <class T>
void fill_task(void* ctx, std::size_t k, std::size_t) {
  Fill<T>& f = *static_cast<Fill<T>*>(ctx);
  State<T>& s = *f.s;
  const std::size_t S = s.dims.shards;
  for (std::size_t t = f.first + f.count * k / S; t < f.first + f.count * (k + 1) / S; ++t) {
    if (stop_requested(s)) {
      s.shards.status[k] = cancelled_status();
      return;
    }
    const Status st = f.data->fill_tile(t);
    if (!st.ok()) {
      s.shards.status[k] = st;
      return;
    }
  }
}

}  // namespace

template <class T>
Status fill_datasets(State<T>& s, const DatasetUse* uses, std::size_t count) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (uses[i].mode == DataMode::materialize) total += s.data(uses[i].dataset).tile_count();
  }
  Clock clock;
  clock.run_start = clock.phase_start = platform::now_seconds();
  std::size_t done = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (uses[i].mode != DataMode::materialize) continue;
    DataSet<T>& data = s.data(uses[i].dataset);
    for (std::size_t first = 0; first < data.tile_count(); first += kChunkTiles) {
      const std::size_t left = data.tile_count() - first;
      Fill<T> fill{&s, &data, first, left < kChunkTiles ? left : kChunkTiles};
      for (std::size_t k = 0; k < s.dims.shards; ++k) s.shards.status[k] = Status();
      s.pool.run(s.dims.shards, &fill_task<T>, &fill);
      for (std::size_t k = 0; k < s.dims.shards; ++k) MIMKIT_TRY(s.shards.status[k]);
      done += fill.count;
      if (!report_progress(s, "data", done, total, NAN, clock)) {
        return Status::error(Code::cancelled, "data", "cancelled while generating the data");
      }
    }
  }
  return Status();
}

template Status fill_datasets<float>(State<float>&, const DatasetUse*, std::size_t);
template Status fill_datasets<double>(State<double>&, const DatasetUse*, std::size_t);

}  // namespace train
}  // namespace mimkit
