// mimkit data: generate a dataset of the multi-index model as CSV, .npy, a digest or a summary.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "mimkit/mimkit.hpp"

namespace mimkit {
namespace cli {

namespace {

const char kDataHelp[] =
    "usage: mimkit data --d D --n N [options]\n"
    "\n"
    "Generates n samples (x, y) of the Gaussian multi-index model y = g(U x) + tau xi,\n"
    "x ~ N(0, I_d), U an r x d Haar-random orthonormal matrix drawn from the seed.\n"
    "Sample i of a dataset is a pure function of (seed, dataset, i): the same bytes on every\n"
    "machine, ISA and tiling.\n"
    "\n"
    "options:\n"
    "  --d D            input dimension (required, 1..2147483648)\n"
    "  --n N            number of samples (required, >= 1)\n"
    "  --r R            hidden directions (default 1, at most d and 64)\n"
    "  --link SPEC      link g of z1..zr (default he2(z1)), e.g. \"he2(z1)+0.5*he2(z2)\",\n"
    "                   \"z1*z2\", \"relu(z1)\", \"sign(z1*z2)\", \"norm2\"\n"
    "  --seed S         64-bit seed (default 0)\n"
    "  --dataset NAME   fit1 | fit2 | test | validation (default fit1)\n"
    "  --noise TAU      label noise standard deviation (default 0)\n"
    "  --dtype T        float | double (default float)\n"
    "  --format F       summary | csv | npy | hash (default summary)\n"
    "                   csv and npy: one row per sample, the d coordinates of x then y\n"
    "                   hash: 64-bit FNV-1a hex digest of the bytes of X (row-major), then y\n"
    "  --out FILE       write to FILE instead of stdout (never overwrites without --force)\n"
    "  --force          replace an existing --out file\n"
    "  --export-u FILE  also write U (r x d, the model's hidden directions) to FILE: .npy\n"
    "                   (float64) if the name ends in .npy, else CSV (one row per direction)\n"
    "  --arch A         " MIMKIT_ISA_CHOICES " (default: $MIMKIT_ARCH or auto)\n"
    "  --tile-rows B    rows generated per tile (default 256; does not change the output)\n";

struct DataOptions {
  ModelConfig model;
  std::string link;
  std::uint64_t n = 0;
  Dataset dataset = Dataset::fit1;
  std::string dtype, format, out;
  bool force = false;
  std::string export_u;
  Isa isa = Isa::scalar;
};

Status write_all(std::FILE* f, const void* data, std::size_t bytes) {
  if (bytes != 0 && std::fwrite(data, 1, bytes, f) != bytes) {
    return Status::error(Code::io_error, "--out", "writing the output failed: %s",
                         std::strerror(errno));
  }
  return Status();
}

// NumPy .npy version 1.0 header for a C-order (rows x cols) array.
std::string npy_header(const char* descr, std::uint64_t rows, std::size_t cols) {
  char dict[160];
  std::snprintf(dict, sizeof dict,
                "{'descr': '%s', 'fortran_order': False, 'shape': (%llu, %zu), }", descr,
                static_cast<unsigned long long>(rows), cols);
  std::string header = dict;
  const std::size_t fixed = 10;  // magic (6) + version (2) + header length (2)
  std::size_t total = fixed + header.size() + 1;
  const std::size_t padded = (total + 63) / 64 * 64;
  header.append(padded - total, ' ');
  header.push_back('\n');
  std::string out("\x93NUMPY\x01\x00", 8);
  const auto len = static_cast<std::uint16_t>(header.size());
  out.push_back(static_cast<char>(len & 0xFF));
  out.push_back(static_cast<char>(len >> 8));
  return out + header;
}

// U in double (as the model holds it in T) to --export-u, whole or not at all.
template <class T>
Status write_u(const Model<T>& model, const DataOptions& o) {
  if (o.export_u.empty()) return Status();
  OutputFile file;
  MIMKIT_TRY(file.open(o.export_u, o.force));
  const std::size_t r = o.model.r, d = o.model.d;
  const bool npy =
      o.export_u.size() > 4 && o.export_u.compare(o.export_u.size() - 4, 4, ".npy") == 0;
  if (npy) {
    const std::string header = npy_header("<f8", r, d);
    MIMKIT_TRY(write_all(file.file(), header.data(), header.size()));
  }
  for (std::size_t k = 0; k < r; ++k) {
    for (std::size_t j = 0; j < d; ++j) {
      const double v = static_cast<double>(model.subspace()[k * d + j]);
      if (npy) {
        MIMKIT_TRY(write_all(file.file(), &v, sizeof v));
      } else if (std::fprintf(file.file(), "%.17g%c", v, j + 1 < d ? ',' : '\n') < 0) {
        return Status::error(Code::io_error, "--export-u", "writing '%s' failed",
                             o.export_u.c_str());
      }
    }
  }
  const Status st = file.commit();
  if (st.ok()) return st;
  return Status::error(st.code(), "--export-u", "%s", st.message());
}

template <class T>
int run_data(const DataOptions& o) {
  Link link;
  if (int code = report(Link::parse(o.link.c_str(), o.model.r, &link))) return code;
  const std::size_t bytes =
      Model<T>::plan(o.model) + DataSet<T>::plan(o.model, o.n, DataMode::stream);
  Status st;
  Arena arena = Arena::owned(bytes, &st);
  if (int code = report(st)) return code;
  Model<T> model;
  DataSet<T> data;
  if (int code = report(model.init(o.model, link, o.isa, arena))) return code;
  if (int code = report(data.init(model, o.dataset, o.n, DataMode::stream, arena))) return code;

  OutputFile output;
  if (int code = report(output.open(o.out, o.force))) return code;
  if (int code = report(write_u(model, o))) return code;
  std::FILE* out = output.file();
  const std::size_t d = o.model.d;
  const auto start = std::chrono::steady_clock::now();
  Digest digest;
  double sum = 0, sum2 = 0;
  std::vector<char> line;
  if (o.format == "npy") {
    const std::string header = npy_header(sizeof(T) == 4 ? "<f4" : "<f8", o.n, d + 1);
    st = write_all(out, header.data(), header.size());
  }
  std::vector<T> row(d + 1);
  for (std::size_t t = 0; st.ok() && t < data.tile_count(); ++t) {
    Tile<T> tile;
    st = data.tile(t, &tile);
    for (std::size_t i = 0; st.ok() && i < tile.rows; ++i) {
      const T* x = tile.X + i * tile.ldx;
      const T y = tile.y[i];
      sum += y;
      sum2 += static_cast<double>(y) * y;
      if (o.format == "hash" || o.format == "summary") {
        digest.update(x, d * sizeof(T));
      } else if (o.format == "npy") {
        std::memcpy(row.data(), x, d * sizeof(T));
        row[d] = y;
        st = write_all(out, row.data(), (d + 1) * sizeof(T));
      } else {
        const char* fmt = sizeof(T) == 4 ? "%.9g" : "%.17g";
        line.resize((d + 1) * 26 + 2);
        std::size_t len = 0;
        for (std::size_t j = 0; j <= d; ++j) {
          len += static_cast<std::size_t>(std::snprintf(line.data() + len, line.size() - len, fmt,
                                                        static_cast<double>(j < d ? x[j] : y)));
          line[len++] = j < d ? ',' : '\n';
        }
        st = write_all(out, line.data(), len);
      }
    }
  }
  if (!st.ok()) return report(st);  // the OutputFile removes its partial file
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The digest covers all of X, then y: a second pass regenerates the tiles for y.
  if (o.format == "hash" || o.format == "summary") {
    for (std::size_t t = 0; st.ok() && t < data.tile_count(); ++t) {
      Tile<T> tile;
      st = data.tile(t, &tile);
      if (st.ok()) digest.update(tile.y, tile.rows * sizeof(T));
    }
    if (int code = report(st)) return code;
    char hex[17];
    digest.hex(hex);
    if (o.format == "hash") {
      std::fprintf(out, "%s\n", hex);
    } else {
      const double n = static_cast<double>(o.n);
      const double mean = sum / n;
      std::fprintf(out, "mimkit data: %llu samples of dimension %zu, dataset %s, seed %llu\n",
                   static_cast<unsigned long long>(o.n), d, dataset_name(o.dataset),
                   static_cast<unsigned long long>(o.model.seed));
      std::fprintf(out, "  model   : r = %zu, link = %s, noise = %g\n", o.model.r, link.spec(),
                   o.model.noise);
      std::fprintf(out, "  kernels : %s, dtype %s (compiled: %s)\n", isa_name(o.isa),
                   sizeof(T) == 4 ? "float" : "double", isa_compiled_list());
      std::fprintf(out, "  labels  : mean %.6g, variance %.6g\n", mean, sum2 / n - mean * mean);
      std::fprintf(out, "  digest  : %s (X row-major, then y)\n", hex);
      std::fprintf(out, "  time    : %.3f s, %.3g normals/s, footprint %zu bytes\n", seconds,
                   n * static_cast<double>(d) / seconds, bytes);
    }
  }
  return report(output.commit());
}

}  // namespace

int cmd_data(int argc, char** argv) {
  Args args;
  Status st = args.parse(argc, argv, 2,
                         {"d", "r", "link", "n", "seed", "dataset", "noise", "dtype", "format",
                          "out", "arch", "tile-rows", "export-u"},
                         {"help", "force"});
  if (!st.ok()) return report(st);
  if (args.has("help")) {
    std::fputs(kDataHelp, stdout);
    return kExitOk;
  }
  DataOptions o;
  std::uint64_t d = 0, r = 0, seed = 0, tile_rows = 0;
  std::string dataset;
  const Status checks[] = {
      args.require("d"),
      args.require("n"),
      args.get_size("d", 0, 1, std::uint64_t(1) << 31, &d),
      args.get_size("r", 1, 1, Link::kMaxR, &r),
      args.get_size("n", 0, 1, std::uint64_t(1) << 40, &o.n),
      args.get_size("seed", 0, 0, UINT64_MAX, &seed),
      args.get_size("tile-rows", 256, 1, 65536, &tile_rows),
      args.get_double("noise", 0, 0, 1e300, &o.model.noise),
      args.get_string("link", "he2(z1)", &o.link),
      args.get_choice("dataset", "fit1", {"fit1", "fit2", "test", "validation"}, &dataset),
      args.get_choice("dtype", "float", {"float", "double"}, &o.dtype),
      args.get_choice("format", "summary", {"summary", "csv", "npy", "hash"}, &o.format),
      args.get_string("out", "", &o.out),
      args.get_string("export-u", "", &o.export_u),
      select_isa(args, &o.isa),
  };
  for (const Status& s : checks) {
    if (!s.ok()) return report(s);
  }
  if (r > d) {
    return report(Status::error(
        Code::invalid_argument, "--r", "r = %llu exceeds d = %llu (allowed: 1..min(d, 64))",
        static_cast<unsigned long long>(r), static_cast<unsigned long long>(d)));
  }
  parse_dataset(dataset.c_str(), "--dataset", &o.dataset);
  o.model.d = d;
  o.model.r = r;
  o.model.seed = seed;
  o.model.tile_rows = tile_rows;
  o.force = args.has("force");
  return o.dtype == "float" ? run_data<float>(o) : run_data<double>(o);
}

}  // namespace cli
}  // namespace mimkit
