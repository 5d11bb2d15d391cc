package dev.jgan.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.run.Checkpoints;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a real jgan-spark driver process: it finishes the round, checkpoints, exits 0, and the run resumes. */
class DriverSignalTest {

    @Test
    void sigtermStopsTheDriverWithAResumableCheckpoint(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        Path runs = tmp.resolve("runs");
        Path config = Files.writeString(tmp.resolve("spark.json"),
                DistributedTrainerTest.config(runs, 3000).write(reader));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g"));
        cmd.addAll(StandaloneClusterTest.jvmOptions());
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, StandaloneCluster.classPathEntries()),
                SparkTrain.class.getName(), "--config", config.toString(), "--master", "local[2]"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("driver.log").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process driver = pb.start();
        try {
            Path rounds = null;
            long end = System.nanoTime() + 120_000_000_000L;
            while (System.nanoTime() < end && (rounds == null || Files.readAllLines(rounds).size() < 3)) {
                Thread.sleep(200);
                assertThat(driver.isAlive()).as(log(tmp)).isTrue();
                if (rounds == null && Files.isDirectory(runs)) {
                    try (var s = Files.list(runs)) {
                        rounds = s.map(d -> d.resolve("rounds.csv")).filter(Files::exists).findFirst().orElse(null);
                    }
                }
            }
            assertThat(rounds).as("two rounds done: " + log(tmp)).isNotNull();
            driver.destroy(); // SIGTERM
            assertThat(driver.waitFor(120, TimeUnit.SECONDS)).as(log(tmp)).isTrue();
            assertThat(driver.exitValue()).as(log(tmp)).isZero();
            assertThat(log(tmp)).contains("stopped after").contains("--resume " + rounds.getParent());

            Path dir = rounds.getParent();
            long step = new Checkpoints(dir, 2, reader.mapper()).latest().orElseThrow().state().step();
            assertThat(step).isPositive().isLessThan(3000);
            assertThat(Files.readString(dir.resolve("provenance.json"))).contains("\"stopped\"");
            assertThat(dir.resolve(".lock")).doesNotExist();

            SparkTrainTest.Run resumed = SparkTrainTest.sparkTrain("--resume", dir.toString(), "--max-steps",
                    String.valueOf(step + 3), "--master", "local[2]");
            assertThat(resumed.code()).as(resumed.err()).isZero();
            assertThat(new Checkpoints(dir, 2, reader.mapper()).latest().orElseThrow().state().step())
                    .isEqualTo(step + 3);
        } finally {
            driver.destroyForcibly();
        }
    }

    private static String log(Path tmp) {
        try {
            return Files.readString(tmp.resolve("driver.log"), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "(no log)";
        }
    }
}
