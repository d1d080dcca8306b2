// The network's parameters in the state: initialisation, the kernel-ready copies of W and a,
// the activation of a tile, and the set-up of phase 2 (row normalisation, fresh biases).
#pragma once

#include <cstddef>

#include "train/state.hpp"

namespace mimkit {
namespace train {

/// W, a and b at their initial values for the variant (network.init), a's panel refreshed.
/// O(m d).
template <class T>
void initialise_network(State<T>& s);

/// W^T into the kernels' panel layout: every tile's Z = X W^T then reads it in place. Call
/// after every change of W. O(m d).
template <class T>
void pack_w(State<T>& s);

/// a as column 0 of an m_pad x kPad panel in the kernels' layout: f = sigma(Z) a reads it in
/// place. Call after every change of a. O(m).
template <class T>
void pack_a(State<T>& s);

/// For a tile of `rows` rows: act = sigma(Z + b) and deriv = sigma'(Z + b) (either may be
/// null), m_pad columns, with phase 1's or phase 2's activation (the built-in kernel, or the
/// user's function element by element).
template <class T>
void activate(const State<T>& s, bool phase2, std::size_t rows, const T* Z, T* act, T* deriv);

/// Phase-2 features of a tile, sigma2(X W^T + b) (tile.rows x m_pad), into out, with worker
/// w's Z scratch. W's panel must be current.
template <class T>
void phase2_features(const State<T>& s, const Tile<T>& tile, std::size_t w, T* out);

/// Phase 2's starting point: rows of W normalised (when config.normalize) and biases drawn
/// from N(0, sigma_b^2); W's panel refreshed. O(m d).
template <class T>
void prepare_phase2_features(State<T>& s);

}  // namespace train
}  // namespace mimkit
