#!/usr/bin/env bash
# Packs the generators trained by scripts/train-pretrained.sh into gan-pretrained: each run's generator.zip without
# its optimizer state, with the quality `jgan evaluate` measured (evaluate.json in the run) in its card.
#   scripts/pack-pretrained.sh OUT_DIR [NAME...]     (OUT_DIR as given to train-pretrained.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$1"; shift
names=("$@"); [[ ${#names[@]} -gt 0 ]] || names=(mnist-dcgan mnist-dcgan-conditional fashion-mnist-dcgan)
dest="$here/gan-pretrained/src/main/resources/dev/jgan/pretrained"
for name in "${names[@]}"; do
  run="$(ls -d "$out/$name"/*/ | tail -1)"
  "$here/jgan" publish --model "$run/generator.zip" --evaluation "$run/evaluate.json" --out "$dest/$name.zip"
  grep -qx "$name" "$dest/index.txt" || echo "$name" >> "$dest/index.txt"
done
