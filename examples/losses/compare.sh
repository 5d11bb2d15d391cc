#!/usr/bin/env bash
# Trains the default DCGAN once per loss in examples/losses/, each for the same wall time, on MNIST, then scores
# each generator with `jgan evaluate` (10,000 samples against the MNIST test set).
#   examples/losses/compare.sh [SECONDS=180] [MNIST_DIR=../shared/data/mnist] [OUT=runs/losses]
set -euo pipefail
secs="${1:-180}"; data="${2:-../shared/data/mnist}"; out="${3:-runs/losses}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for f in "$here"/examples/losses/dcgan-*.json; do
  "$here/jgan" train --config "$f" --epochs 1000 --max-seconds "$secs" --data-dir "$data" --output "$out"
  dir="$(ls -td "$out"/*/ | head -1)"
  "$here/jgan" evaluate --model "$dir/generator.zip" --data-dir "$data" --json "$dir/evaluate.json"
done
