#!/usr/bin/env bash
# Training speed of jgan against PyTorch on the same three networks (batch 64), alternating the two in ROUNDS
# rounds, then the median images/s of each and their ratio. Run it with nothing else on the CPU.
#   needs: ./mvnw -B -q package -DskipTests -pl gan-examples -am;  apt-get install -y python3-torch libopenblas0-openmp
#   (without an optimised BLAS, Debian's PyTorch runs on the reference BLAS: 148 instead of 2,057 img/s, dense)
#   usage: scripts/bench-vs-pytorch.sh [ROUNDS (default 3)] [PEER (default scripts/torch_peer_speed.py)]
# Networks: dense = examples/mnist-dense.json; dcgan = examples/bench/dcgan2.json (two-stage D); dcgan3 =
# examples/bench/dcgan3.json (examples/mnist-dcgan.json without its conditioning). The jgan configs keep their EMA of
# G, which the peer does not compute. Each is timed as shipped and with training.g_fakes "reused", the peer's
# algorithm (G's step on the fakes of D's step, one G forward pass fewer per iteration).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
peer="${2:-scripts/torch_peer_speed.py}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
out="$(mktemp -d)"
declare -A config=([dense]=examples/mnist-dense.json [dcgan]=examples/bench/dcgan2.json [dcgan3]=examples/bench/dcgan3.json)
for net in dense dcgan dcgan3; do
  python3 -c "import json,sys; c=json.load(open(sys.argv[1])); c.setdefault('training',{})['g_fakes']='reused'; json.dump(c,open(sys.argv[2],'w'))" \
    "${config[$net]}" "$out/$net-reused.json"
done
ips() { python3 -c "import json,sys;print(json.load(open(sys.argv[1]))[sys.argv[2]] if sys.argv[2]!='c' else json.load(open(sys.argv[1]))['cases'][0]['imagesPerSecond'])" "$@"; }
for r in $(seq "$rounds"); do
  for net in dense dcgan dcgan3; do
    ./jgan bench --config "${config[$net]}" --batches 64 --windows 5 --json "$out/jgan-$net-$r.json" > "$out/jgan-$net-$r.log" 2>&1
    ./jgan bench --config "$out/$net-reused.json" --batches 64 --windows 5 --json "$out/reused-$net-$r.json" > "$out/reused-$net-$r.log" 2>&1
    /usr/bin/python3 "$peer" --net "$net" --seconds 20 > "$out/torch-$net-$r.json"
    echo "round $r $net: jgan $(ips "$out/jgan-$net-$r.json" c) img/s, g_fakes reused $(ips "$out/reused-$net-$r.json" c) img/s, PyTorch $(ips "$out/torch-$net-$r.json" img_per_s) img/s"
  done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
print(f"\nOMP_NUM_THREADS={__import__('os').environ['OMP_NUM_THREADS']}, batch 64, {rounds} alternating rounds; median [min-max]")
print(f"{'network':8} {'jgan img/s':>20} {'reused img/s':>20} {'PyTorch img/s':>20} {'ratio':>6} {'reused':>7}")
for net in ["dense", "dcgan", "dcgan3"]:
    j = [json.load(open(f"{out}/jgan-{net}-{r}.json"))["cases"][0]["imagesPerSecond"] for r in range(1, rounds + 1)]
    u = [json.load(open(f"{out}/reused-{net}-{r}.json"))["cases"][0]["imagesPerSecond"] for r in range(1, rounds + 1)]
    t = [json.load(open(f"{out}/torch-{net}-{r}.json"))["img_per_s"] for r in range(1, rounds + 1)]
    mj, mu, mt = statistics.median(j), statistics.median(u), statistics.median(t)
    cell = lambda m, v: f"{m:8.0f} [{min(v):.0f}-{max(v):.0f}]".ljust(21)
    print(f"{net:8} " + cell(mj, j) + cell(mu, u) + cell(mt, t) + f"{mj / mt:6.2f} {mu / mt:7.2f}")
PY
