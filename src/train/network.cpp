#include "train/network.hpp"

#include <cmath>

#include "mimkit/rng.hpp"

namespace mimkit {
namespace train {

namespace {

// Gaussian row j of the init stream, normalised, in double, into out[0..d).
template <class T>
void unit_row(const State<T>& s, std::size_t j, double* out) {
  const std::size_t d = s.dims.d;
  s.kernels64->normals(out, 0, d, s.config.seed, j, stream_id(kSourceInit, StreamPurpose::inputs));
  double norm2 = 0;
  for (std::size_t q = 0; q < d; ++q) norm2 += out[q] * out[q];
  const double inv = 1.0 / std::sqrt(norm2);
  for (std::size_t q = 0; q < d; ++q) out[q] *= inv;
}

}  // namespace

template <class T>
void initialise_network(State<T>& s) {
  const Dims& n = s.dims;
  NetworkBuffers<T>& net = s.net;
  double* v = s.metrics.work;  // d doubles of scratch (the metrics workspace has d more)
  for (std::size_t i = 0; i < n.m * n.ldx; ++i) net.W[i] = T(0);
  for (std::size_t j = 0; j < n.m_pad; ++j) {
    net.a[j] = T(0);
    net.b[j] = T(0);
  }
  const std::size_t half = n.m / 2;
  switch (s.variant.init) {
    case Init::random_unit:
      for (std::size_t j = 0; j < n.m; ++j) {
        unit_row(s, j, v);
        for (std::size_t q = 0; q < n.d; ++q) net.W[j * n.ldx + q] = static_cast<T>(v[q]);
        net.a[j] = j < half ? T(1) : T(-1);
      }
      break;
    case Init::symmetric_small:
      for (std::size_t j = 0; j < half; ++j) {
        unit_row(s, j, v);
        for (std::size_t q = 0; q < n.d; ++q) {
          const T w = static_cast<T>(s.config.eps0 * v[q]);
          net.W[j * n.ldx + q] = w;
          net.W[(j + half) * n.ldx + q] = w;
        }
        net.a[j] = T(1);
        net.a[j + half] = T(-1);
      }
      break;
  }
  pack_a(s);
}

template <class T>
void pack_w(State<T>& s) {
  const Dims& n = s.dims;
  s.kernels->pack_b(n.d, n.m_pad, s.net.W, n.ldx, true, n.m, s.net.W_packed);
}

template <class T>
void pack_a(State<T>& s) {
  const Dims& n = s.dims;
  s.kernels->pack_b(n.m_pad, kPad, s.net.a, n.m_pad, true, 1, s.net.a_panel);
}

template <class T>
void activate(const State<T>& s, bool phase2, std::size_t rows, const T* Z, T* act, T* deriv) {
  const std::size_t mp = s.dims.m_pad;
  const T* b = s.net.b;
  const bool custom = s.custom.activation != nullptr && (!phase2 || s.custom.activation_in_phase2);
  if (!custom) {
    const int kind = static_cast<int>(phase2 ? s.config.activation2 : s.config.activation);
    s.kernels->activation(kind, rows, mp, Z, mp, b, act, deriv, mp);
    return;
  }
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < mp; ++j) {
      double v = 0, sl = 0;
      s.custom.activation(static_cast<double>(Z[i * mp + j] + b[j]), &v, &sl, s.custom.user);
      if (act != nullptr) act[i * mp + j] = static_cast<T>(v);
      if (deriv != nullptr) deriv[i * mp + j] = static_cast<T>(sl);
    }
  }
}

template <class T>
void phase2_features(const State<T>& s, const Tile<T>& tl, std::size_t w, T* out) {
  const Dims& n = s.dims;
  T* Z = worker_tile(s.scratch.Z, n, w, n.m_pad);
  s.kernels->gemm_nn_packed(tl.rows, n.m_pad, n.d, tl.X, tl.ldx, s.net.W_packed, Z, n.m_pad, false);
  activate(s, true, tl.rows, Z, out, static_cast<T*>(nullptr));
}

template <class T>
void prepare_phase2_features(State<T>& s) {
  const Dims& n = s.dims;
  const RunConfig& c = s.config;
  NetworkBuffers<T>& net = s.net;
  if (c.normalize) {
    for (std::size_t i = 0; i < n.m; ++i) {
      T* w = net.W + i * n.ldx;
      T norm2 = 0;
      for (std::size_t j = 0; j < n.d; ++j) norm2 = norm2 + w[j] * w[j];
      if (!(norm2 > T(0))) continue;
      const T norm = std::sqrt(norm2);
      for (std::size_t j = 0; j < n.d; ++j) w[j] = w[j] / norm;
    }
  }
  // Biases ~ N(0, sigma_b^2): coordinates 0..m-1 of row 0 of the bias stream.
  s.kernels->normals(net.b, 0, n.m, c.seed, 0, stream_id(kSourceBias, StreamPurpose::inputs));
  for (std::size_t j = 0; j < n.m; ++j) net.b[j] = static_cast<T>(c.sigma_b) * net.b[j];
  for (std::size_t j = n.m; j < n.m_pad; ++j) net.b[j] = T(0);
  pack_w(s);
}

#define MIMKIT_INSTANTIATE(T)                                                         \
  template void initialise_network<T>(State<T>&);                                     \
  template void pack_w<T>(State<T>&);                                                 \
  template void pack_a<T>(State<T>&);                                                 \
  template void activate<T>(const State<T>&, bool, std::size_t, const T*, T*, T*);    \
  template void phase2_features<T>(const State<T>&, const Tile<T>&, std::size_t, T*); \
  template void prepare_phase2_features<T>(State<T>&);
MIMKIT_INSTANTIATE(float)
MIMKIT_INSTANTIATE(double)
#undef MIMKIT_INSTANTIATE

}  // namespace train
}  // namespace mimkit
