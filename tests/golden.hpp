// Checked-in digests. A change here is a change of every number mimkit produces: it needs a
// reason in the commit message (a new generator layout, a fixed bug), never "tests were red".
#pragma once

#include "mimkit/config.hpp"

// mimkit data --d 100 --r 3 --link "he2(z1)+z2*z3" --n 1000 --seed 7 --format hash [--dtype ...]
#define MIMKIT_GOLDEN_DATA_F32 "bb485b39d966d390"
#define MIMKIT_GOLDEN_DATA_F64 "4077cb52b7f4859a"

// weights_digest of golden_weights_config() (every ISA, every thread count).
#define MIMKIT_GOLDEN_WEIGHTS_F32 "8201d7f61b69386a"
#define MIMKIT_GOLDEN_WEIGHTS_F64 "ce47029fc4ede866"

namespace mimkit_test {

// A run that takes milliseconds (tests/test_train.cpp's base configuration).
inline mimkit::RunConfig small_config() {
  mimkit::RunConfig c;
  c.d = 32;
  c.r = 2;
  c.n1 = 400;
  c.n2 = 400;
  c.ntest = 300;
  c.m = 16;
  c.T1 = 5;
  c.tile_rows = 64;
  c.seed = 3;
  return c;
}

// small_config() with spectral iterations, a trace and 5 shards, so the digest covers phase 1,
// the spectral estimator, phase 2 and the shard sums.
inline mimkit::RunConfig golden_weights_config() {
  mimkit::RunConfig c = small_config();
  c.shards = 5;
  c.spectral = true;
  c.spectral_iters = 5;
  c.trace = 4;
  return c;
}

}  // namespace mimkit_test
