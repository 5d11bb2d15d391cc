package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.dl4j.ModelFiles;
import dev.jgan.trainer.run.Checkpoints;
import dev.jgan.trainer.config.ConfigReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training in a child JVM is killed with SIGKILL at random steps, several times, and resumed each time; it must
 * lose at most one checkpoint interval per kill and end with the parameters of an uninterrupted run.
 */
class KillResumeTest {

    private static final int INTERVAL = 20;
    private static final int TOTAL_STEPS = 320;

    private static Process jgan(Path log, String... args) throws IOException {
        return jgan(List.of(), log, args);
    }

    /** A child JVM running {@code jgan args}, started through {@code launcher} (e.g. a shell) if not empty. */
    private static Process jgan(List<String> launcher, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), JganCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "2");
        return pb.start();
    }

    private static long lastStep(Path stepsCsv) throws IOException {
        if (!Files.exists(stepsCsv)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(stepsCsv);
        for (int i = lines.size() - 1; i > 0; i--) {
            String[] f = lines.get(i).split(",");
            if (f.length == 6) { // a complete row
                return Long.parseLong(f[0]);
            }
        }
        return 0;
    }

    private static Path onlyRun(Path runs) throws IOException {
        try (var s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElse(null);
        }
    }

    @Test
    void sigkillAtRandomStepsLosesAtMostOneIntervalAndEndsBitIdentical(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("kill.json"), """
                {"seed": 8, "latent": {"size": 16},
                 "data": {"limit": 2048},
                 "generator": {"type": "dense", "hidden": [64, 128]},
                 "discriminator": {"type": "dense", "hidden": [128, 64]},
                 "training": {"epochs": 5, "batch_size": 32, "grid_size": 4},
                 "metrics": {"at_end": false},
                 "checkpoints": {"every_steps": %d, "every_epoch": false, "keep": 2}}
                """.formatted(INTERVAL));

        Process whole = jgan(tmp.resolve("whole.log"), "train", "--config", config.toString(), "--output",
                tmp.resolve("whole").toString());
        assertThat(whole.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(whole.exitValue()).as(Files.readString(tmp.resolve("whole.log"))).isZero();
        Path wholeRun = onlyRun(tmp.resolve("whole"));

        Random random = new Random(42);
        Path runs = tmp.resolve("killed");
        Path run = null;
        List<String> report = new ArrayList<>();
        long maxLost = 0;
        int kills = 0;
        for (int round = 0; round < 3; round++) {
            long from = run == null ? 0 : lastStep(run.resolve("steps.csv"));
            long target = from + 25 + random.nextInt(60);
            Path log = tmp.resolve("round" + round + ".log");
            Process p = run == null
                    ? jgan(log, "train", "--config", config.toString(), "--output", runs.toString())
                    : jgan(log, "train", "--resume", run.toString());
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (p.isAlive() && System.nanoTime() < deadline) {
                if (run == null && Files.isDirectory(runs)) {
                    run = onlyRun(runs);
                }
                if (run != null && lastStep(run.resolve("steps.csv")) >= target) {
                    break;
                }
                Thread.sleep(5);
            }
            assertThat(p.isAlive()).as("still training at step %d: %s", target, Files.readString(log)).isTrue();
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
            p.waitFor(30, TimeUnit.SECONDS);
            kills++;
            long killedAt = lastStep(run.resolve("steps.csv"));
            long checkpoint = new Checkpoints(run, 2, new com.fasterxml.jackson.databind.ObjectMapper()).latest()
                    .orElseThrow().state().step();
            long lost = killedAt - checkpoint;
            maxLost = Math.max(maxLost, lost);
            report.add("killed at step " + killedAt + ", newest checkpoint " + checkpoint + ", lost " + lost);
            assertThat(lost).as(report.toString()).isBetween(0L, (long) INTERVAL);
        }
        // what a final save killed half-way leaves behind: resume cleans it
        Path halfSaved = Files.write(run.resolve("generator.zip4613790562.tmp"), new byte[1 << 20]);
        Process last = jgan(tmp.resolve("last.log"), "train", "--resume", run.toString());
        assertThat(last.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(last.exitValue()).as(Files.readString(tmp.resolve("last.log"))).isZero();
        assertThat(halfSaved).doesNotExist();
        System.out.println(String.join("\n", report) + "\nkills " + kills + ", at most " + maxLost
                + " steps lost per kill (interval " + INTERVAL + ")");

        assertThat(lastStep(run.resolve("steps.csv"))).isEqualTo(TOTAL_STEPS);
        assertThat(Files.readAllLines(run.resolve("steps.csv")))
                .as("the resumed log equals the uninterrupted one, row for row")
                .isEqualTo(Files.readAllLines(wholeRun.resolve("steps.csv")));
        float[] resumed = ModelFiles.loadGenerator(run.resolve("generator.zip")).params().toFloatVector();
        float[] uninterrupted = ModelFiles.loadGenerator(wholeRun.resolve("generator.zip")).params().toFloatVector();
        assertThat(Arrays.equals(resumed, uninterrupted)).as("generator parameters bit-identical").isTrue();
        float[] dResumed = ModelFiles.loadDiscriminator(run.resolve("discriminator.zip")).optimizerState()
                .toFloatVector();
        float[] dWhole = ModelFiles.loadDiscriminator(wholeRun.resolve("discriminator.zip")).optimizerState()
                .toFloatVector();
        assertThat(Arrays.equals(dResumed, dWhole)).as("discriminator Adam state bit-identical").isTrue();
        assertThat(new ConfigReader().read(run.resolve("config.json")))
                .isEqualTo(new ConfigReader().read(wholeRun.resolve("config.json")).withOutput(
                        new ConfigReader().read(run.resolve("config.json")).output()));
    }

    /** Whether this process ignores SIGINT (and so do the processes it starts): bit 2 of SigIgn in /proc. */
    static boolean sigintIgnoredHere() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2L) != 0;
            }
        }
        return false;
    }

    @Test
    void sigintStopsAfterTheCurrentStepAndCheckpointsIt(@TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnoredHere(), "SIGINT is ignored in this process "
                + "tree (a background job of a script): sigtermStops... covers the graceful stop");
        stopsAfterTheCurrentStep(tmp, "INT", false);
    }

    @Test
    void withSigintIgnoredAtStartTheRunSaysSoAndSigtermStopsItAfterTheCurrentStep(@TempDir Path tmp)
            throws Exception {
        String log = stopsAfterTheCurrentStep(tmp, "TERM", true);
        assertThat(log).contains("note: SIGINT is ignored by this process").contains("stop it with SIGTERM (kill ");
    }

    /**
     * Trains in a child JVM (started with SIGINT ignored if {@code ignoreSigint}), sends {@code signal} after 50
     * steps, and checks the run stopped after the current step with a checkpoint of it; returns the child's log.
     */
    private static String stopsAfterTheCurrentStep(Path tmp, String signal, boolean ignoreSigint) throws Exception {
        Path config = Files.writeString(tmp.resolve("int.json"), """
                {"seed": 9, "latent": {"size": 16}, "data": {"limit": 2048},
                 "generator": {"type": "dense", "hidden": [64, 128]},
                 "discriminator": {"type": "dense", "hidden": [128, 64]},
                 "training": {"epochs": 50, "batch_size": 32, "grid_size": 4},
                 "checkpoints": {"every_steps": 1000, "every_epoch": false}}
                """);
        Path runs = tmp.resolve("runs");
        String[] args = {"train", "--config", config.toString(), "--output", runs.toString()};
        Process p = ignoreSigint ? jganWithSigintIgnored(tmp.resolve("int.log"), args) : jgan(tmp.resolve("int.log"),
                args);
        Path run = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (p.isAlive() && System.nanoTime() < deadline
                && (run == null || lastStep(run.resolve("steps.csv")) < 50)) {
            run = Files.isDirectory(runs) ? onlyRun(runs) : null;
            Thread.sleep(5);
        }
        assertThat(p.isAlive()).isTrue();
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();

        String log = Files.readString(tmp.resolve("int.log"));
        long stoppedAt = lastStep(run.resolve("steps.csv"));
        assertThat(log).contains("stopping after the current step").contains("continue with: jgan train --resume");
        assertThat(stoppedAt).isLessThan(50L * 64);
        assertThat(new Checkpoints(run, 3, new com.fasterxml.jackson.databind.ObjectMapper()).latest().orElseThrow()
                .state().step()).as("no step lost").isEqualTo(stoppedAt);
        assertThat(run.resolve("generator.zip")).exists();
        return log;
    }

    /** {@link #jgan}, exec'd by a shell that ignores SIGINT first, as a background job of a script would be. */
    private static Process jganWithSigintIgnored(Path log, String... args) throws IOException {
        return jgan(List.of("bash", "-c", "trap '' INT; exec \"$@\"", "bash"), log, args);
    }

    @Test
    void aSecondProcessResumingALiveRunIsRefusedAndTheLiveRunCompletes(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("live.json"), """
                {"seed": 5, "latent": {"size": 16}, "data": {"limit": 2048},
                 "generator": {"type": "dense", "hidden": [64, 128]},
                 "discriminator": {"type": "dense", "hidden": [128, 64]},
                 "training": {"epochs": 6, "batch_size": 32, "grid_size": 4},
                 "checkpoints": {"every_steps": 20}}
                """);
        Path runs = tmp.resolve("runs");
        Process live = jgan(tmp.resolve("live.log"), "train", "--config", config.toString(), "--output",
                runs.toString());
        Path run = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (live.isAlive() && System.nanoTime() < deadline
                && (run == null || lastStep(run.resolve("steps.csv")) < 40)) {
            run = Files.isDirectory(runs) ? onlyRun(runs) : null;
            Thread.sleep(5);
        }
        assertThat(live.isAlive()).as("the first run is still training").isTrue();

        Process second = jgan(tmp.resolve("second.log"), "train", "--resume", run.toString(), "--epochs", "8");
        assertThat(second.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(second.exitValue()).isEqualTo(2);
        assertThat(Files.readString(tmp.resolve("second.log"))).contains(run.getFileName().toString())
                .contains("being trained by another process");
        assertThat(live.isAlive()).as("the refusal did not stop the live run").isTrue();

        assertThat(live.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(live.exitValue()).isZero();
        List<String> steps = Files.readAllLines(run.resolve("steps.csv"));
        assertThat(steps).hasSize(1 + 6 * 64); // header + 6 epochs of 2048/32 steps, none lost or rewritten
        for (int i = 1; i < steps.size(); i++) {
            assertThat(steps.get(i)).startsWith(i + ",");
        }
    }
}
