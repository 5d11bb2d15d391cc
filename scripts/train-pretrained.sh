#!/usr/bin/env bash
# Trains the generators published in gan-pretrained from the recipes in gan-pretrained/recipes (the shipped
# example configs, trained longer) and scores each with `jgan evaluate` (10,000 samples against the test set);
# scripts/pack-pretrained.sh then packs them into gan-pretrained with their cards.
#   scripts/train-pretrained.sh MNIST_DIR FASHION_DIR OUT_DIR [NAME...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mnist="$1" fashion="$2" out="$3"; shift 3
names=("$@"); [[ ${#names[@]} -gt 0 ]] || names=(mnist-dcgan mnist-dcgan-conditional fashion-mnist-dcgan)
mkdir -p "$out"
for name in "${names[@]}"; do
  data="$mnist"; [[ $name == fashion-* ]] && data="$fashion"
  "$here/jgan" train --config "$here/gan-pretrained/recipes/$name.json" --data-dir "$data" --output "$out/$name" \
      | tee "$out/$name.train.log"
  run="$(ls -d "$out/$name"/*/ | tail -1)"
  "$here/jgan" evaluate --model "$run/generator.zip" --data-dir "$data" --json "$run/evaluate.json" \
      | tee "$out/$name.evaluate.log"
done
