// Checked-in digests. A change here is a change of every number mimkit produces: it needs a
// reason in the commit message (a new generator layout, a fixed bug), never "tests were red".
#pragma once

// mimkit data --d 100 --r 3 --link "he2(z1)+z2*z3" --n 1000 --seed 7 --format hash [--dtype ...]
#define MIMKIT_GOLDEN_DATA_F32 "bb485b39d966d390"
#define MIMKIT_GOLDEN_DATA_F64 "4077cb52b7f4859a"

// weights_digest of tests/test_train.cpp's small_config() with shards = 5, spectral = true,
// spectral_iters = 5, trace = 4 (every ISA, every thread count).
#define MIMKIT_GOLDEN_WEIGHTS_F32 "8201d7f61b69386a"
#define MIMKIT_GOLDEN_WEIGHTS_F64 "ce47029fc4ede866"
