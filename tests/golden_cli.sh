#!/bin/sh
# The CLI prints the checked-in golden digests (tests/golden.hpp) for every ISA it can run.
# Usage: golden_cli.sh [wrapper ...] path/to/mimkit   (a wrapper such as qemu-aarch64 -L ...)
set -u
dir=$(dirname "$0")
mimkit="$*"
f32=$(sed -n 's/.*MIMKIT_GOLDEN_DATA_F32 "\(.*\)"/\1/p' "$dir/golden.hpp")
f64=$(sed -n 's/.*MIMKIT_GOLDEN_DATA_F64 "\(.*\)"/\1/p' "$dir/golden.hpp")
compiled=$($mimkit --version | sed -n 's/^isa compiled: //p')
failures=0
checked=0
for isa in $compiled; do
  for dtype in float double; do
    want=$f32
    [ "$dtype" = double ] && want=$f64
    if ! got=$($mimkit data --d 100 --r 3 --link "he2(z1)+z2*z3" --n 1000 --seed 7 \
        --format hash --dtype $dtype --arch "$isa" 2>/tmp/mimkit-golden-err.$$); then
      if grep -q "cannot run it" /tmp/mimkit-golden-err.$$; then
        echo "skip $isa: not supported by this CPU"
        continue
      fi
      cat /tmp/mimkit-golden-err.$$
      failures=$((failures + 1))
      continue
    fi
    checked=$((checked + 1))
    if [ "$got" = "$want" ]; then
      echo "ok   $isa $dtype $got"
    else
      echo "FAIL $isa $dtype: got $got, want $want"
      failures=$((failures + 1))
    fi
  done
done
rm -f /tmp/mimkit-golden-err.$$
[ "$checked" -ge 2 ] || { echo "FAIL: no ISA was checked"; exit 1; }
exit $failures
