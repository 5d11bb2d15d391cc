#!/usr/bin/env bash
# Runs jgan-spark on a Spark standalone cluster on this machine, started from the Spark jars Maven resolved for
# gan-spark (Maven Central; nothing else is downloaded): a master, WORKERS workers of CORES cores each (each task
# with CORES OpenMP threads), the driver in client mode; stops them all at the end, however it ends.
#   needs: ./mvnw -B -q install -DskipTests
#   usage: scripts/spark-standalone.sh WORKERS CORES [jgan-spark arguments...]
#   e.g.   scripts/spark-standalone.sh 2 1 --config examples/spark/mnist-dcgan-spark.json --data MNIST_DIR
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
workers="$1"; cores="$2"; shift 2
home="$(mktemp -d -t jgan-spark-XXXXXX)"
./mvnw -B -q -o dependency:build-classpath -pl gan-spark -Dmdep.includeScope=test -Dmdep.outputFile="$home/cp.txt" \
  >/dev/null || ./mvnw -B -q dependency:build-classpath -pl gan-spark -Dmdep.includeScope=test -Dmdep.outputFile="$home/cp.txt"
cp="$(cat "$home/cp.txt"):$PWD/gan-spark/target/classes"
# Spark's launcher builds each executor's class path from SPARK_HOME/jars: the same jars, linked
mkdir -p "$home/jars"
tr ':' '\n' < "$home/cp.txt" | grep '\.jar$' | while read -r j; do ln -sf "$j" "$home/jars/"; done
port=$(( 20000 + RANDOM % 20000 ))
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n "${JGAN_SPARK_KEEP:-}" ]] || rm -rf "$home"
}
trap cleanup EXIT
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 OMP_WAIT_POLICY=passive OPENBLAS_THREAD_TIMEOUT=4
opens="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true -Dorg.bytedeco.javacpp.platform.extension=-onednn"
java $opens -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port 0 \
  > "$home/master.log" 2>&1 & pids+=($!)
await() {  # LOG LINE: wait up to 90 s for LINE in LOG
  for _ in $(seq 450); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "spark-standalone: no '$2' in $1 after 90 s:" >&2; tail -n 20 "$1" >&2; exit 1
}
await "$home/master.log" "I have been elected leader"
for i in $(seq "$workers"); do
  OMP_NUM_THREADS="$cores" java $opens -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --cores "$cores" --memory 6g --webui-port 0 --work-dir "$home/work-$i" "spark://127.0.0.1:$port" \
    > "$home/worker-$i.log" 2>&1 & pids+=($!)
done
for i in $(seq "$workers"); do await "$home/worker-$i.log" "Successfully registered with master"; done
echo "spark-standalone: master spark://127.0.0.1:$port, $workers workers x $cores cores; logs in $home (deleted at the end unless JGAN_SPARK_KEEP=1)" >&2
OMP_NUM_THREADS="$cores" java $opens -Dspark.executor.cores="$cores" -Dspark.cores.max=$(( workers * cores )) \
  -Dspark.executorEnv.OMP_NUM_THREADS="$cores" -Dspark.executor.extraClassPath="$cp" \
  "-Dspark.executor.extraJavaOptions=$opens" -Dspark.executor.memory=4g \
  -cp "$cp" dev.jgan.spark.SparkTrain --master "spark://127.0.0.1:$port" "$@"
