#include "mimkit/data.hpp"

#include <cmath>
#include <cstring>

#include "kernels/kernels.hpp"
#include "linalg.hpp"
#include "mimkit/rng.hpp"

namespace mimkit {

namespace {

constexpr std::size_t kMaxD = std::size_t(1) << 31;
constexpr std::size_t kMaxTileRows = 65536;
// Rows projected per kernel call; the projection buffer lives on the stack.
constexpr std::size_t kProjectRows = 16;
// Label noise of row i is coordinate i mod 2^20 of "row" i / 2^20 of the noise stream, so
// consecutive rows draw consecutive normals (vectorised) and any row range is addressable.
constexpr std::uint64_t kNoiseRowShift = 20;

std::size_t round_up(std::size_t x, std::size_t m) {
  return (x + m - 1) / m * m;
}

}  // namespace

const char* dataset_name(Dataset dataset) noexcept {
  switch (dataset) {
    case Dataset::fit1:
      return "fit1";
    case Dataset::fit2:
      return "fit2";
    case Dataset::test:
      return "test";
    case Dataset::online:
      return "online";
    case Dataset::validation:
      return "validation";
  }
  return "unknown";
}

Status parse_dataset(const char* name, const char* field, Dataset* out) noexcept {
  const Dataset all[] = {Dataset::fit1, Dataset::fit2, Dataset::test, Dataset::validation};
  for (Dataset d : all) {
    if (name != nullptr && std::strcmp(name, dataset_name(d)) == 0) {
      *out = d;
      return Status();
    }
  }
  return Status::error(Code::invalid_argument, field,
                       "unknown dataset '%s' (allowed: fit1, fit2, test, validation)",
                       name ? name : "");
}

const char* data_mode_name(DataMode mode) noexcept {
  return mode == DataMode::materialize ? "materialize" : "stream";
}

Status parse_data_mode(const char* name, const char* field, DataMode* out) noexcept {
  if (name != nullptr && std::strcmp(name, "materialize") == 0) {
    *out = DataMode::materialize;
    return Status();
  }
  if (name != nullptr && std::strcmp(name, "stream") == 0) {
    *out = DataMode::stream;
    return Status();
  }
  return Status::error(Code::invalid_argument, field,
                       "unknown mode '%s' (allowed: materialize, stream)", name ? name : "");
}

Status validate(const ModelConfig& c) noexcept {
  if (c.d < 1 || c.d > kMaxD) {
    return Status::error(Code::invalid_argument, "d", "d = %zu is out of range (allowed: 1..%zu)",
                         c.d, kMaxD);
  }
  const std::size_t r_max = c.d < Link::kMaxR ? c.d : Link::kMaxR;
  if (c.r < 1 || c.r > r_max) {
    return Status::error(Code::invalid_argument, "r",
                         "r = %zu is out of range (allowed: 1..%zu, at most d = %zu and %zu)", c.r,
                         r_max, c.d, Link::kMaxR);
  }
  if (!std::isfinite(c.noise) || c.noise < 0) {
    return Status::error(Code::invalid_argument, "noise",
                         "noise = %g is out of range (allowed: a finite number >= 0)", c.noise);
  }
  if (c.tile_rows < 1 || c.tile_rows > kMaxTileRows) {
    return Status::error(Code::invalid_argument, "tile_rows",
                         "tile_rows = %zu is out of range (allowed: 1..%zu)", c.tile_rows,
                         kMaxTileRows);
  }
  return Status();
}

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

namespace {

struct ModelBuffers {
  void* u = nullptr;
  void* ut = nullptr;
  double* gauss = nullptr;
};

template <class T>
Status carve_model(const ModelConfig& c, Arena& arena, ModelBuffers* b) {
  const std::size_t rpad = round_up(c.r, 16);
  MIMKIT_TRY(arena.allocate_bytes(c.r * c.d * sizeof(T), &b->u, "subspace U"));
  MIMKIT_TRY(arena.allocate_bytes(c.d * rpad * sizeof(T), &b->ut, "projection panel U^T"));
  MIMKIT_TRY(arena.allocate(c.r * c.d, &b->gauss, "subspace work"));
  return Status();
}

}  // namespace

template <class T>
std::size_t Model<T>::plan(const ModelConfig& config) noexcept {
  Arena measure = Arena::measure();
  ModelBuffers b;
  if (!validate(config).ok()) return 0;
  carve_model<T>(config, measure, &b);
  return measure.used();
}

template <class T>
Status Model<T>::init(const ModelConfig& config, const Link& link, Isa isa, Arena& arena,
                      const double* subspace) noexcept {
  MIMKIT_TRY(validate(config));
  if (!link.valid()) {
    return Status::error(Code::invalid_argument, "link", "the link is empty (parse one first)");
  }
  if (link.r() != config.r) {
    return Status::error(Code::invalid_argument, "link",
                         "the link takes %zu variables but the model has r = %zu", link.r(),
                         config.r);
  }
  const kernels::Table<T>* tab = kernels::table<T>(isa);
  const kernels::Table<double>* tab64 = kernels::table<double>(isa);
  if (tab == nullptr || tab64 == nullptr) {
    return Status::error(Code::unsupported_isa, "isa", "'%s' is not compiled into this build",
                         isa_name(isa));
  }
  ModelBuffers b;
  MIMKIT_TRY(carve_model<T>(config, arena, &b));
  const std::size_t d = config.d, r = config.r;
  double* g = b.gauss;
  if (subspace == nullptr) {
    for (std::size_t k = 0; k < r; ++k) {
      tab64->normals(g + k * d, 0, d, config.seed, k,
                     stream_id(kSourceSubspace, StreamPurpose::inputs));
    }
    // Gram-Schmidt twice in double with sequential sums: deterministic.
    if (linalg::orthonormalize_rows(g, r, d, d) != r) {
      return Status::error(Code::numerical_error, "subspace",
                           "the Gaussian rows drawn for U are linearly dependent (seed %llu)",
                           static_cast<unsigned long long>(config.seed));
    }
  } else {
    for (std::size_t i = 0; i < r * d; ++i) {
      if (!std::isfinite(subspace[i])) {
        return Status::error(Code::invalid_argument, "subspace",
                             "entry (%zu, %zu) of U is not finite", i / d + 1, i % d + 1);
      }
      g[i] = subspace[i];
    }
    for (std::size_t k = 0; k < r; ++k) {
      for (std::size_t l = 0; l <= k; ++l) {
        double dot = 0;
        for (std::size_t j = 0; j < d; ++j) dot += g[k * d + j] * g[l * d + j];
        const double want = (k == l) ? 1.0 : 0.0;
        if (!(std::fabs(dot - want) <= 1e-6)) {
          return Status::error(Code::invalid_argument, "subspace",
                               "rows of U must be orthonormal: <u%zu, u%zu> = %.9g (want %g, "
                               "tolerance 1e-6)",
                               k + 1, l + 1, dot, want);
        }
      }
    }
  }
  config_ = config;
  link_ = link;
  isa_ = isa;
  kernels_ = tab;
  u_ = static_cast<T*>(b.u);
  ut_ = static_cast<T*>(b.ut);
  rpad_ = round_up(r, 16);
  for (std::size_t i = 0; i < r * d; ++i) u_[i] = static_cast<T>(g[i]);
  for (std::size_t j = 0; j < d; ++j) {
    for (std::size_t k = 0; k < rpad_; ++k) ut_[j * rpad_ + k] = k < r ? u_[k * d + j] : T(0);
  }
  return Status();
}

template <class T>
Status Model<T>::generate(Dataset dataset, std::uint64_t row0, std::size_t rows, T* X,
                          std::size_t ldx, T* y) const noexcept {
  if (kernels_ == nullptr) {
    return Status::error(Code::invalid_argument, "model", "the model is not initialised");
  }
  const std::size_t d = config_.d, r = config_.r;
  if (ldx < d) {
    return Status::error(Code::invalid_argument, "ldx", "ldx = %zu must be >= d = %zu", ldx, d);
  }
  const auto* tab = static_cast<const kernels::Table<T>*>(kernels_);
  const auto source = static_cast<std::uint32_t>(dataset);
  const std::uint32_t x_stream = stream_id(source, StreamPurpose::inputs);
  for (std::size_t i = 0; i < rows; ++i) {
    tab->normals(X + i * ldx, 0, d, config_.seed, row0 + i, x_stream);
  }
  // Label noise into y (overwritten below by the labels).
  if (config_.noise != 0) {
    const std::uint32_t noise_stream = stream_id(source, StreamPurpose::noise);
    const std::uint64_t segment = std::uint64_t(1) << kNoiseRowShift;
    std::size_t done = 0;
    while (done < rows) {
      const std::uint64_t i = row0 + done;
      const std::uint64_t j = i & (segment - 1);
      const std::size_t take =
          static_cast<std::size_t>((segment - j < rows - done) ? segment - j : rows - done);
      tab->normals(y + done, j, take, config_.seed, i >> kNoiseRowShift, noise_stream);
      done += take;
    }
  }
  alignas(64) T z[kProjectRows * Link::kMaxR];
  double zd[Link::kMaxR];
  for (std::size_t i0 = 0; i0 < rows; i0 += kProjectRows) {
    const std::size_t mb = rows - i0 < kProjectRows ? rows - i0 : kProjectRows;
    tab->gemm_nn(mb, rpad_, d, X + i0 * ldx, ldx, ut_, rpad_, z, rpad_, false);
    for (std::size_t i = 0; i < mb; ++i) {
      for (std::size_t k = 0; k < r; ++k) zd[k] = static_cast<double>(z[i * rpad_ + k]);
      double label = link_(zd);
      if (config_.noise != 0) label += config_.noise * static_cast<double>(y[i0 + i]);
      const T out = static_cast<T>(label);
      if (!std::isfinite(out)) {
        return Status::error(Code::numerical_error, "link",
                             "the label of row %llu of %s is not finite (link '%s' gave %g)",
                             static_cast<unsigned long long>(row0 + i0 + i), dataset_name(dataset),
                             link_.spec(), label);
      }
      y[i0 + i] = out;
    }
  }
  return Status();
}

// ---------------------------------------------------------------------------------------------
// DataSet
// ---------------------------------------------------------------------------------------------

namespace {

struct DataBuffers {
  void* x = nullptr;
  void* y = nullptr;
};

template <class T>
Status carve_data(const ModelConfig& c, std::uint64_t n, DataMode mode, std::size_t workers,
                  Arena& arena, DataBuffers* b) {
  const std::size_t ldx = padded_stride<T>(c.d);
  const std::uint64_t rows =
      mode == DataMode::materialize ? n : static_cast<std::uint64_t>(workers) * c.tile_rows;
  // X and y together: rows (ldx + 1) values must fit in size_t bytes.
  const std::uint64_t limit = static_cast<std::uint64_t>(~std::size_t(0)) / sizeof(T) / (ldx + 1);
  if (rows > limit) {
    return Status::error(
        Code::invalid_argument, "n", "%llu rows of %zu values do not fit in memory (at most %llu)",
        static_cast<unsigned long long>(rows), c.d, static_cast<unsigned long long>(limit));
  }
  MIMKIT_TRY(arena.allocate_bytes(static_cast<std::size_t>(rows) * ldx * sizeof(T), &b->x, "X"));
  MIMKIT_TRY(arena.allocate_bytes(static_cast<std::size_t>(rows) * sizeof(T), &b->y, "y"));
  return Status();
}

Status check_rows(std::uint64_t n, std::size_t workers) {
  if (n < 1) return Status::error(Code::invalid_argument, "n", "n = 0 (allowed: n >= 1)");
  if (workers < 1 || workers > 1024) {
    return Status::error(Code::invalid_argument, "workers",
                         "workers = %zu is out of range (allowed: 1..1024)", workers);
  }
  return Status();
}

}  // namespace

template <class T>
std::size_t DataSet<T>::plan(const ModelConfig& config, std::uint64_t n, DataMode mode,
                             std::size_t workers) noexcept {
  if (!validate(config).ok() || !check_rows(n, workers).ok()) return 0;
  Arena measure = Arena::measure();
  DataBuffers b;
  if (!carve_data<T>(config, n, mode, workers, measure, &b).ok()) return 0;
  return measure.used();
}

template <class T>
Status DataSet<T>::init(const Model<T>& model, Dataset dataset, std::uint64_t n, DataMode mode,
                        Arena& arena, std::size_t workers, DataFill fill) noexcept {
  if (model.subspace() == nullptr) {
    return Status::error(Code::invalid_argument, "model", "the model is not initialised");
  }
  MIMKIT_TRY(check_rows(n, workers));
  const ModelConfig& c = model.config();
  DataBuffers b;
  MIMKIT_TRY(carve_data<T>(c, n, mode, workers, arena, &b));
  model_ = &model;
  dataset_ = dataset;
  mode_ = mode;
  n_ = n;
  tile_rows_ = c.tile_rows;
  tiles_ = static_cast<std::size_t>((n + tile_rows_ - 1) / tile_rows_);
  ldx_ = padded_stride<T>(c.d);
  workers_ = workers;
  x_ = static_cast<T*>(b.x);
  y_ = static_cast<T*>(b.y);
  if (mode == DataMode::materialize) {
    if (fill == DataFill::now) {
      for (std::size_t t = 0; t < tiles_; ++t) MIMKIT_TRY(fill_tile(t));
    }
  } else {
    const std::size_t total = workers * tile_rows_ * ldx_;
    for (std::size_t i = 0; i < total; ++i) x_[i] = T(0);
  }
  return Status();
}

template <class T>
Status DataSet<T>::fill_tile(std::size_t t) noexcept {
  if (model_ == nullptr) {
    return Status::error(Code::invalid_argument, "dataset", "the dataset is not initialised");
  }
  if (mode_ != DataMode::materialize) return Status();
  if (t >= tiles_) {
    return Status::error(Code::invalid_argument, "tile", "tile %zu is out of range (0..%zu)", t,
                         tiles_ - 1);
  }
  const std::uint64_t row0 = static_cast<std::uint64_t>(t) * tile_rows_;
  const std::size_t rows =
      static_cast<std::size_t>(n_ - row0 < tile_rows_ ? n_ - row0 : tile_rows_);
  T* x = x_ + static_cast<std::size_t>(row0) * ldx_;
  MIMKIT_TRY(model_->generate(dataset_, row0, rows, x, ldx_, y_ + row0));
  // Padding columns are zeroed so kernels may read whole padded rows.
  const std::size_t d = model_->config().d;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = d; j < ldx_; ++j) x[i * ldx_ + j] = T(0);
  }
  return Status();
}

template <class T>
Status DataSet<T>::tile(std::size_t t, Tile<T>* out, std::size_t worker) const noexcept {
  if (model_ != nullptr && t >= tiles_) {
    return Status::error(Code::invalid_argument, "tile", "tile %zu is out of range (0..%zu)", t,
                         tiles_ - 1);
  }
  const std::uint64_t row0 = static_cast<std::uint64_t>(t) * tile_rows_;
  const std::size_t count =
      static_cast<std::size_t>(n_ - row0 < tile_rows_ ? n_ - row0 : tile_rows_);
  return rows(row0, count, out, worker);
}

template <class T>
Status DataSet<T>::rows(std::uint64_t row0, std::size_t count, Tile<T>* out,
                        std::size_t worker) const noexcept {
  if (model_ == nullptr) {
    return Status::error(Code::invalid_argument, "dataset", "the dataset is not initialised");
  }
  if (count > tile_rows_ || row0 > n_ || count > n_ - row0) {
    return Status::error(Code::invalid_argument, "rows",
                         "rows %llu..%llu are out of range (a dataset of %llu rows, at most %zu "
                         "per call)",
                         static_cast<unsigned long long>(row0),
                         static_cast<unsigned long long>(row0 + count),
                         static_cast<unsigned long long>(n_), tile_rows_);
  }
  if (worker >= workers_) {
    return Status::error(Code::invalid_argument, "worker", "worker %zu is out of range (0..%zu)",
                         worker, workers_ - 1);
  }
  out->ldx = ldx_;
  out->row0 = row0;
  out->rows = count;
  if (mode_ == DataMode::materialize) {
    out->X = x_ + static_cast<std::size_t>(row0) * ldx_;
    out->y = y_ + row0;
    return Status();
  }
  T* x = x_ + worker * tile_rows_ * ldx_;
  T* y = y_ + worker * tile_rows_;
  MIMKIT_TRY(model_->generate(dataset_, row0, count, x, ldx_, y));
  out->X = x;
  out->y = y;
  return Status();
}

template class Model<float>;
template class Model<double>;
template class DataSet<float>;
template class DataSet<double>;

}  // namespace mimkit
