#!/usr/bin/env bash
# Training speed of jgan against PyTorch on the same three networks (batch 64), alternating the two in ROUNDS
# rounds, then the median images/s of each and their ratio. Run it with nothing else on the CPU.
#   needs: ./mvnw -B -q package -DskipTests -pl gan-examples -am;  apt-get install -y python3-torch libopenblas0-openmp
#   (without an optimised BLAS, Debian's PyTorch runs on the reference BLAS: 148 instead of 2,057 img/s, dense)
#   usage: scripts/bench-vs-pytorch.sh [ROUNDS (default 3)] [PEER (default scripts/torch_peer_speed.py)]
# Networks: dense = examples/mnist-dense.json; dcgan = examples/bench/dcgan2.json (two-stage D); dcgan3 =
# examples/bench/dcgan3.json (examples/mnist-dcgan.json without its conditioning). The jgan configs keep their EMA of
# G, which the peer does not compute.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
peer="${2:-scripts/torch_peer_speed.py}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
out="$(mktemp -d)"
declare -A config=([dense]=examples/mnist-dense.json [dcgan]=examples/bench/dcgan2.json [dcgan3]=examples/bench/dcgan3.json)
for r in $(seq "$rounds"); do
  for net in dense dcgan dcgan3; do
    ./jgan bench --config "${config[$net]}" --batches 64 --windows 5 --json "$out/jgan-$net-$r.json" > "$out/jgan-$net-$r.log" 2>&1
    /usr/bin/python3 "$peer" --net "$net" --seconds 20 > "$out/torch-$net-$r.json"
    echo "round $r $net: jgan $(python3 -c "import json;print(json.load(open('$out/jgan-$net-$r.json'))['cases'][0]['imagesPerSecond'])") img/s, PyTorch $(python3 -c "import json;print(json.load(open('$out/torch-$net-$r.json'))['img_per_s'])") img/s"
  done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
print(f"\nOMP_NUM_THREADS={__import__('os').environ['OMP_NUM_THREADS']}, batch 64, {rounds} alternating rounds; median [min-max]")
print(f"{'network':8} {'jgan img/s':>22} {'PyTorch img/s':>22} {'ratio':>6}")
for net in ["dense", "dcgan", "dcgan3"]:
    j = [json.load(open(f"{out}/jgan-{net}-{r}.json"))["cases"][0]["imagesPerSecond"] for r in range(1, rounds + 1)]
    t = [json.load(open(f"{out}/torch-{net}-{r}.json"))["img_per_s"] for r in range(1, rounds + 1)]
    mj, mt = statistics.median(j), statistics.median(t)
    print(f"{net:8} {mj:8.0f} [{min(j):.0f}-{max(j):.0f}]".ljust(32) + f"{mt:8.0f} [{min(t):.0f}-{max(t):.0f}]".ljust(24) + f"{mj / mt:6.2f}")
PY
