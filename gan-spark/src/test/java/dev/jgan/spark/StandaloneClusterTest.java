package dev.jgan.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.trainer.config.ConfigReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone cluster (Spark's own Master and two 1-core Workers in child JVMs, executors launched
 * by the workers): a worker killed in the middle of a round changes nothing, the run ends bit-identical to an
 * undisturbed one.
 */
class StandaloneClusterTest {

    /** This JVM's module openings and system properties, which Spark's JVMs need as well. */
    static List<String> jvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized")
                        || a.startsWith("-Dorg.bytedeco") || a.startsWith("-Djdk.reflect")
                        || a.startsWith("-Dio.netty"))
                .toList();
    }

    @Test
    void aWorkerKilledMidRoundLeavesTheRunBitIdentical(@TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("executor-of-round-2");
        String markerPath = marker.toString();
        try (StandaloneCluster cluster = StandaloneCluster.start(Files.createDirectories(tmp.resolve("spark")), 2,
                jvmOptions()); JavaSparkContext spark = new JavaSparkContext(cluster.driverConf(2))) {
            // executors of more cores than a worker has would never start: said before a Spark context starts
            org.apache.spark.SparkConf twoCores = cluster.driverConf(2).set("spark.executor.cores", "2")
                    .set("spark.master.ui.port", String.valueOf(cluster.uiPort()));
            assertThat(StandaloneMaster.executorsCannotStart(twoCores)).contains("spark.executor.cores 2 "
                    + "(--executor-cores): no worker of spark://127.0.0.1:", "has 2 cores (the largest of its 2 has 1)");
            assertThat(StandaloneMaster.executorsCannotStart(twoCores.set("spark.executor.cores", "1"))).isNull();
            DistributedTrainer.Result undisturbed = new DistributedTrainer(spark,
                    DistributedTrainerTest.config(tmp.resolve("a"), 12), new ConfigReader()).train();

            // replica 1's first attempt at round 2 names its executor's process and waits to be killed with it
            TaskHook hook = (round, worker, attempt) -> {
                if (round == 2 && worker == 1 && attempt == 0) {
                    try {
                        Files.writeString(Path.of(markerPath), String.valueOf(ProcessHandle.current().pid()));
                        Thread.sleep(60_000);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
            CompletableFuture<Integer> killer = CompletableFuture.supplyAsync(() -> {
                try {
                    while (!Files.exists(marker) || Files.readString(marker).isBlank()) {
                        Thread.sleep(100);
                    }
                    return cluster.killWorkerOf(Long.parseLong(Files.readString(marker).trim()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            DistributedTrainer.Result disturbed = new DistributedTrainer(spark,
                    DistributedTrainerTest.config(tmp.resolve("b"), 12), new ConfigReader()).withTaskHook(hook)
                    .train();

            assertThat(killer.get(10, TimeUnit.SECONDS)).as("the worker killed").isBetween(0, 1);
            assertThat(disturbed.step()).isEqualTo(12);
            assertThat(Arrays.equals(DistributedTrainerTest.params(disturbed.generatorFile()),
                    DistributedTrainerTest.params(undisturbed.generatorFile()))).isTrue();
            assertThat(Files.readAllLines(disturbed.directory().resolve("rounds.csv")))
                    .hasSameSizeAs(Files.readAllLines(undisturbed.directory().resolve("rounds.csv")));
        }
    }
}
