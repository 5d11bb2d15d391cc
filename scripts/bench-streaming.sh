#!/usr/bin/env bash
# Streaming vs in-memory data on the same images: trains CONFIG twice for STEPS iterations (data.storage "memory",
# then "stream"), alone, sampling the process's resident memory every 2 s, and prints images/s and resident memory
# after warm-up (first sample past a third of the run) and at the end, and the ratio of the speeds.
#
#   scripts/bench-streaming.sh CONFIG DATA_DIR STEPS [OUT_DIR]
#
# DATA_DIR holds uncompressed IDX files, or is an image folder when CONFIG's data.type is image_folder; make large
# ones with scripts/make-datasets.py. Run on an otherwise idle machine (the jgan launcher sets the thread policy).
# STORAGES="stream" runs only the streamed case; JGAN_JAVA_OPTS passes JVM options (a large -Xmx for big in-memory
# data; a small one shows what streaming needs).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
config="$1"; data="$2"; steps="$3"; out="${4:-$(mktemp -d)}"
mkdir -p "$out"
for storage in ${STORAGES:-memory stream}; do
  cfg="$out/$storage.json"
  python3 - "$config" "$data" "$storage" "$out/runs-$storage" > "$cfg" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.setdefault("data", {}).update({"location": sys.argv[2], "storage": sys.argv[3], "download": False})
c["output"] = {"directory": sys.argv[4], "name": sys.argv[3]}
c["metrics"] = {"every_epochs": 0, "at_end": False}
print(json.dumps(c))
PY
  start=$(date +%s.%N)
  "$here/jgan" train --config "$cfg" --max-steps "$steps" > "$out/$storage.log" 2>&1 &
  pid=$!
  : > "$out/$storage-rss.csv"
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(ps -o rss= -p "$(pgrep -P "$pid" java || echo "$pid")" 2>/dev/null || true)
    [[ -n "$rss" ]] && echo "$(echo "$(date +%s.%N) - $start" | bc),$rss" >> "$out/$storage-rss.csv"
    sleep 2
  done
  wait "$pid"
  prov=$(ls -d "$out/runs-$storage"/*/ | tail -1)provenance.json
  python3 - "$storage" "$prov" "$out/$storage-rss.csv" <<'PY'
import json, sys
p = json.load(open(sys.argv[2]))
rows = [tuple(map(float, l.split(","))) for l in open(sys.argv[3]) if l.strip()]
t_end = rows[-1][0]
warm = next(r for r in rows if r[0] >= t_end / 3)
peak = max(r[1] for r in rows)
print(f"{sys.argv[1]:7s} images/s {p['images_per_second']:6d}  training {p['wall_seconds']:7.1f} s  "
      f"RSS after warm-up {warm[1] / 1024:7.0f} MB  at end {rows[-1][1] / 1024:7.0f} MB  peak {peak / 1024:7.0f} MB")
PY
done
