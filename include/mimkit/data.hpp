// The Gaussian multi-index model y = g(U x) + tau * xi, and its datasets.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mimkit/arena.hpp"
#include "mimkit/isa.hpp"
#include "mimkit/link.hpp"
#include "mimkit/status.hpp"

namespace mimkit {

/// The independent datasets of a run, each its own random stream.
enum class Dataset : std::uint32_t {
  fit1 = 0,        ///< phase 1 (inner layer), n1 rows
  fit2 = 1,        ///< phase 2 (outer layer), n2 rows
  test = 2,        ///< test error, ntest rows: reported, never used to choose anything
  online = 3,      ///< fresh samples for one-pass (online SGD) training
  validation = 4,  ///< validation error, nval rows: what settings are chosen on
};
const char* dataset_name(Dataset dataset) noexcept;
/// "fit1", "fit2", "test" or "validation"; anything else is Code::invalid_argument naming
/// `field`.
Status parse_dataset(const char* name, const char* field, Dataset* out) noexcept;

/// How a dataset is held: stored once in the arena, or regenerated tile by tile on every pass
/// (footprint independent of n). Both give identical numbers.
enum class DataMode { materialize, stream };
const char* data_mode_name(DataMode mode) noexcept;
Status parse_data_mode(const char* name, const char* field, DataMode* out) noexcept;

/// When a materialized dataset generates its rows: all at init(), or tile by tile through
/// fill_tile() (so a caller can spread the work over threads, show progress and stop early).
enum class DataFill { now, later };

/// Parameters of the model. Defaults are documented; d must be set.
struct ModelConfig {
  std::size_t d = 0;            ///< input dimension, 1 <= d <= 2^31
  std::size_t r = 1;            ///< hidden directions, 1 <= r <= min(d, Link::kMaxR)
  double noise = 0.0;           ///< label noise tau >= 0 (finite)
  std::uint64_t seed = 0;       ///< everything random is a pure function of the seed
  std::size_t tile_rows = 256;  ///< rows per tile, 1 <= tile_rows <= 65536
};

/// Checks every field of `config`; the Status names the field, its value and the allowed range.
Status validate(const ModelConfig& config) noexcept;

/// Row stride (in elements) mimkit uses for a d-column matrix of T: d rounded up to 64 bytes.
template <class T>
constexpr std::size_t padded_stride(std::size_t d) noexcept {
  return (d + 64 / sizeof(T) - 1) / (64 / sizeof(T)) * (64 / sizeof(T));
}

/// A multi-index model: the hidden subspace U (r x d, orthonormal rows), the link and the noise.
/// Row i of dataset k under seed s is a pure function of (s, k, i): generate() can be called for
/// any rows, in any order, from any thread, and gives the same bits on every ISA.
/// T is float or double (explicitly instantiated in the library).
template <class T>
class Model {
 public:
  /// Exact arena bytes init() carves for `config`.
  static std::size_t plan(const ModelConfig& config) noexcept;

  /// Sets up the model in `arena`. U is Haar-random from the seed (an r x d Gaussian matrix,
  /// orthonormalised by Gram-Schmidt in double precision), unless `subspace` (r x d, row-major,
  /// double) is given: its rows must be orthonormal to 1e-6, and are copied. The Link must have
  /// the same r. Allocates nothing outside the arena.
  Status init(const ModelConfig& config, const Link& link, Isa isa, Arena& arena,
              const double* subspace = nullptr) noexcept;

  /// Rows [row0, row0 + rows) of `dataset` into X (rows x d, leading dimension ldx >= d) and
  /// y (rows). Any rows count; O(rows d (1 + r)) work; no allocation; thread-safe.
  /// Code::numerical_error if the link gives NaN or Inf (naming the row).
  Status generate(Dataset dataset, std::uint64_t row0, std::size_t rows, T* X, std::size_t ldx,
                  T* y) const noexcept;

  /// U, r x d row-major (leading dimension d).
  const T* subspace() const noexcept { return u_; }
  const ModelConfig& config() const noexcept { return config_; }
  const Link& link() const noexcept { return link_; }
  Isa isa() const noexcept { return isa_; }

 private:
  ModelConfig config_{};
  Link link_{};
  Isa isa_ = Isa::scalar;
  const void* kernels_ = nullptr;
  T* u_ = nullptr;   // r x d
  T* ut_ = nullptr;  // d x rpad_, zero-padded columns: the projection's B operand
  std::size_t rpad_ = 0;
};

/// A view of consecutive rows of a dataset.
template <class T>
struct Tile {
  const T* X = nullptr;  ///< rows x d, leading dimension ldx
  std::size_t ldx = 0;
  const T* y = nullptr;    ///< rows labels
  std::uint64_t row0 = 0;  ///< index of the first row in the dataset
  std::size_t rows = 0;
};

/// n rows of one dataset of a Model, served as tiles of config.tile_rows rows (the last may be
/// shorter). In materialize mode the rows are generated once at init and tiles point into
/// them; in stream mode each tile() call regenerates its rows into the worker's buffer.
template <class T>
class DataSet {
 public:
  /// Exact arena bytes init() carves. Stream mode: independent of n.
  static std::size_t plan(const ModelConfig& config, std::uint64_t n, DataMode mode,
                          std::size_t workers = 1) noexcept;

  /// Binds to `model` (which must outlive the DataSet). `workers` is the number of threads that
  /// may call tile() concurrently, each with its own worker index. With DataFill::later a
  /// materialized dataset's rows are not generated yet: call fill_tile() for every tile before
  /// reading any.
  Status init(const Model<T>& model, Dataset dataset, std::uint64_t n, DataMode mode, Arena& arena,
              std::size_t workers = 1, DataFill fill = DataFill::now) noexcept;

  /// Generates tile t of a materialized dataset into its storage (a no-op in stream mode).
  /// Distinct tiles may be filled concurrently. O(tile_rows d (1 + r)).
  Status fill_tile(std::size_t t) noexcept;

  std::uint64_t rows() const noexcept { return n_; }
  std::size_t tile_count() const noexcept { return tiles_; }
  std::size_t tile_rows() const noexcept { return tile_rows_; }
  DataMode mode() const noexcept { return mode_; }

  /// Tile t (0 <= t < tile_count()). In stream mode the view stays valid until the next
  /// tile() or rows() call with the same worker.
  Status tile(std::size_t t, Tile<T>* out, std::size_t worker = 0) const noexcept;

  /// Any `count` consecutive rows from row0 (count <= tile_rows(), row0 + count <= rows()),
  /// same validity rules as tile().
  Status rows(std::uint64_t row0, std::size_t count, Tile<T>* out,
              std::size_t worker = 0) const noexcept;

 private:
  const Model<T>* model_ = nullptr;
  Dataset dataset_ = Dataset::fit1;
  DataMode mode_ = DataMode::stream;
  std::uint64_t n_ = 0;
  std::size_t tiles_ = 0;
  std::size_t tile_rows_ = 0;
  std::size_t ldx_ = 0;
  std::size_t workers_ = 0;
  T* x_ = nullptr;  // materialize: n x ldx; stream: workers x tile_rows x ldx
  T* y_ = nullptr;
};

}  // namespace mimkit
