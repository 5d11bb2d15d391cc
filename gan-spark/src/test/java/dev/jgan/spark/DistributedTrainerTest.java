package dev.jgan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.dl4j.ModelFiles;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training on Spark's {@code local[2]}: two replicas of a small DCGAN average their state every 3
 * iterations. Replicas start every round from the same state, a run stopped and resumed ends bit-identical to one
 * that was not, and a task that fails is retried by Spark with the same result.
 */
class DistributedTrainerTest {

    private static JavaSparkContext spark;

    /** Retried tasks seen by the hook (local mode runs tasks in this JVM). */
    private static final java.util.concurrent.atomic.AtomicInteger RETRIES =
            new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void startSpark() {
        // local[2, 4]: two task threads, a task may fail up to 4 times before the job does
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2,4]").setAppName("jgan-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stopSpark() {
        spark.close();
    }

    static Path mnistDir() {
        String env = System.getenv("JGAN_MNIST_DIR");
        Path dir = env != null ? Path.of(env) : Path.of("..", "..", "shared", "data", "mnist").toAbsolutePath()
                .normalize();
        assertThat(dir.resolve("train-images-idx3-ubyte.gz")).exists();
        return dir;
    }

    static DistributedConfig config(Path out, long maxSteps) throws ConfigException {
        return config(out, maxSteps, 1280, "{\"at_end\": false}");
    }

    /** The test run on the first {@code images} images, with {@code metrics} as its metrics section. */
    static DistributedConfig config(Path out, long maxSteps, int images, String metrics) throws ConfigException {
        return DistributedConfig.read("""
                {"seed": 11, "latent": {"size": 16}, "metrics": %s,
                 "data": {"location": "%s", "limit": %d, "download": false},
                 "generator": {"type": "dcgan", "filters": [16, 8]},
                 "discriminator": {"type": "dcgan", "filters": [8, 16]},
                 "optimizers": {"generator": {"learning_rate": 0.002}, "discriminator": {"learning_rate": 0.002}},
                 "training": {"epochs": 5, "batch_size": 32, "max_steps": %d, "grid_size": 4,
                              "ema_decay": 0.9, "ema_start": 2},
                 "checkpoints": {"keep": 2},
                 "output": {"directory": "%s", "name": "d"},
                 "spark": {"workers": 2, "averaging_every": 3, "checkpoint_every_rounds": 2}}
                """.formatted(metrics, mnistDir().toString().replace('\\', '/'), images, maxSteps,
                out.toString().replace('\\', '/')),
                "test.json", new ConfigReader());
    }

    static float[] params(Path model) throws Exception {
        return ModelFiles.loadGenerator(model).params().toFloatVector();
    }

    @Test
    void everyReplicaStartsEachRoundFromTheAveragedState(@TempDir Path tmp) throws Exception {
        DistributedTrainer.Result r = new DistributedTrainer(spark, config(tmp, 9), new ConfigReader()).train();

        assertThat(r.step()).isEqualTo(9);
        assertThat(r.rounds()).hasSize(3);
        for (DistributedTrainer.Round round : r.rounds()) {
            assertThat(round.startFingerprints()).as("round %d", round.round()).hasSize(2)
                    .containsOnly(round.broadcastFingerprint());
            assertThat(round.discriminatorLoss()).isFinite().isPositive();
            assertThat(round.bytesReturned()).isEqualTo(2 * round.bytesSent());
        }
        assertThat(r.rounds().stream().map(DistributedTrainer.Round::broadcastFingerprint).distinct())
                .as("the averaged state changes from round to round").hasSize(3);
        assertThat(Files.readAllLines(r.directory().resolve("rounds.csv"))).hasSize(4);
        var g = ModelFiles.loadGenerator(r.generatorFile());
        assertThat(g.generate(org.nd4j.linalg.factory.Nd4j.randn(4, 16)).shape()).containsExactly(4, 1, 28, 28);
        assertThat(r.directory().resolve("samples/final.png")).exists();
        assertThat(Files.readString(r.directory().resolve("provenance.json"))).contains("2 partitions");
    }

    @Test
    void aSparkRunDirectoryHasTheFilesOfASingleProcessRun(@TempDir Path tmp) throws Exception {
        // 256 images in 2 partitions of 128: an epoch is 4 iterations of 32, so rounds of 3 end epochs 1 and 2
        DistributedTrainer.Result r = new DistributedTrainer(spark, config(tmp, 9, 256, "{\"at_end\": false}"),
                new ConfigReader()).train();

        Path dir = r.directory();
        assertThat(Files.readAllLines(dir.resolve("steps.csv"))).as("a row per round").hasSize(4)
                .first().isEqualTo("step,epoch,d_loss,g_loss,d_real,d_fake");
        assertThat(Files.readAllLines(dir.resolve("steps.csv")).subList(1, 4)).extracting(l -> l.split(",")[0] + ","
                + l.split(",")[1]).containsExactly("3,1", "6,2", "9,3");
        List<String> epochs = Files.readAllLines(dir.resolve("epochs.csv"));
        assertThat(epochs.subList(1, epochs.size())).extracting(l -> l.split(",")[0] + "," + l.split(",")[1])
                .containsExactly("1,6", "2,9");
        assertThat(dir.resolve("samples/epoch-001.png")).isRegularFile();
        assertThat(dir.resolve("samples/epoch-002.png")).isRegularFile();
        assertThat(Files.readString(dir.resolve("report.html"))).contains("3 steps, 2 epochs", "finished");
    }

    @Test
    void aRunStoppedAndResumedEndsBitIdenticalToAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        DistributedTrainer.Result whole = new DistributedTrainer(spark, config(tmp.resolve("a"), 12),
                new ConfigReader()).train();

        DistributedTrainer.Result first = new DistributedTrainer(spark, config(tmp.resolve("b"), 6),
                new ConfigReader()).train();
        // a row of a round past the checkpoint, as a driver that crashed before checkpointing leaves it
        Files.writeString(first.directory().resolve("rounds.csv"), "2,9,0.7,0.7,0.5,0.5,1,1,0,10,20\n",
                java.nio.file.StandardOpenOption.APPEND);
        DistributedTrainer.Result rest = DistributedTrainer.resume(spark, first.directory(),
                c -> c.withTraining(c.training().withLimits(c.training().epochs(), 12, 0))).train();

        assertThat(rest.step()).isEqualTo(12);
        assertThat(rest.rounds()).hasSize(2);
        assertThat(params(rest.generatorFile())).containsExactly(params(whole.generatorFile()));
        assertThat(params(rest.directory().resolve("generator-raw.zip")))
                .containsExactly(params(whole.directory().resolve("generator-raw.zip")));
        assertThat(ModelFiles.loadDiscriminator(rest.directory().resolve("discriminator.zip")).optimizerState()
                .toFloatVector()).containsExactly(ModelFiles.loadDiscriminator(whole.directory()
                .resolve("discriminator.zip")).optimizerState().toFloatVector());
        List<String> rows = Files.readAllLines(rest.directory().resolve("rounds.csv"));
        assertThat(rows).hasSize(5);
        assertThat(rows.subList(1, 5)).extracting(r -> r.split(",")[0]).containsExactly("0", "1", "2", "3");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(rest.directory()
                .resolve("provenance.json").toFile()).path("earlier_sessions")).as("every session kept").hasSize(1);
        List<String> steps = Files.readAllLines(rest.directory().resolve("steps.csv"));
        assertThat(steps.subList(1, steps.size())).as("a row per round, none twice")
                .extracting(l -> l.split(",")[0]).containsExactly("3", "6", "9", "12");
    }

    /** The trainer a task hook stops (local mode runs the tasks in this JVM). */
    private static final java.util.concurrent.atomic.AtomicReference<DistributedTrainer> TO_STOP =
            new java.util.concurrent.atomic.AtomicReference<>();

    @Test
    void aStopRequestEndsTheRoundWithACheckpointThatResumesBitIdentically(@TempDir Path tmp) throws Exception {
        DistributedTrainer.Result whole = new DistributedTrainer(spark, config(tmp.resolve("a"), 12),
                new ConfigReader()).train();
        DistributedTrainer stopped = new DistributedTrainer(spark, config(tmp.resolve("b"), 12), new ConfigReader())
                .withTaskHook((round, worker, attempt) -> {
                    if (round == 0) {
                        TO_STOP.get().requestStop();  // as SIGTERM does: round 0 still ends normally
                    }
                });
        TO_STOP.set(stopped);
        DistributedTrainer.Result first = stopped.train();
        assertThat(first.status()).isEqualTo(dev.jgan.trainer.run.RunStatus.STOPPED);
        assertThat(first.step()).isEqualTo(3);  // one round of 3 iterations; checkpoints are due every 2 rounds
        assertThat(Files.readString(first.directory().resolve("provenance.json"))).contains("\"stopped\"");

        DistributedTrainer.Result rest = DistributedTrainer.resume(spark, first.directory(), c -> c).train();
        assertThat(rest.status()).isEqualTo(dev.jgan.trainer.run.RunStatus.FINISHED);
        assertThat(params(rest.generatorFile())).containsExactly(params(whole.generatorFile()));
    }

    @Test
    void aRoundWhoseTasksNeverReturnStopsTheRunWithACheckpointAndAMessage(@TempDir Path tmp) throws Exception {
        DistributedConfig base = config(tmp, 12);
        var spark2 = base.spark();
        DistributedConfig impatient = new DistributedConfig(base.gan(), new SparkOptions(spark2.workers(),
                spark2.averagingEvery(), spark2.checkpointEveryRounds(), spark2.checkpointEverySeconds(), 2,
                spark2.data()));
        DistributedTrainer trainer = new DistributedTrainer(spark, impatient, new ConfigReader())
                .withTaskHook((round, worker, attempt) -> {
                    if (round == 1) {
                        try {
                            Thread.sleep(20_000);  // as an executor that is gone: the round does not finish
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();  // the cancelled job interrupts it
                            throw new IllegalStateException("cancelled", e);
                        }
                    }
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(trainer::train)
                .isInstanceOf(RoundTimeoutException.class)
                .hasMessageContaining("round 1: the executors returned no result within 2 s")
                .hasMessageContaining("iteration 3) is checkpointed: --resume");
        Path dir;
        try (var runs = Files.list(tmp)) {
            dir = runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(new dev.jgan.trainer.run.Checkpoints(dir, 2, new ConfigReader().mapper()).latest().orElseThrow()
                .state().step()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("provenance.json"))).contains("\"failed\"");
    }

    @Test
    void aResumeRefusesAnEditedConfigNamingTheField(@TempDir Path tmp) throws Exception {
        DistributedTrainer.Result first = new DistributedTrainer(spark, config(tmp, 3), new ConfigReader()).train();
        Path configFile = first.directory().resolve("config.json");
        String original = Files.readString(configFile);
        Files.writeString(configFile, original.replace("\"batch_size\" : 32", "\"batch_size\" : 16"));
        assertThat(Files.readString(configFile)).isNotEqualTo(original);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DistributedTrainer.resume(spark, first.directory(),
                        c -> c.withTraining(c.training().withLimits(c.training().epochs(), 6, 0))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("training.batch_size (32 -> 16) was changed");
    }

    @Test
    void aTaskThatFailsMidRunIsRetriedAndTheRunEndsAsAnUndisturbedOne(@TempDir Path tmp) throws Exception {
        DistributedTrainer.Result calm = new DistributedTrainer(spark, config(tmp.resolve("calm"), 9),
                new ConfigReader()).train();
        DistributedTrainer.Result failed = new DistributedTrainer(spark, config(tmp.resolve("failed"), 9),
                new ConfigReader()).withTaskHook((round, worker, attempt) -> {
                    if (attempt > 0) {
                        RETRIES.incrementAndGet();
                    }
                    if (round == 1 && worker == 0 && attempt == 0) {
                        throw new IllegalStateException("injected failure of worker 0 in round 1");
                    }
                }).train();

        assertThat(failed.step()).isEqualTo(9);
        assertThat(RETRIES.get()).as("Spark ran the failed task again").isEqualTo(1);
        assertThat(params(failed.generatorFile())).containsExactly(params(calm.generatorFile()));
        assertThat(failed.rounds().stream().map(DistributedTrainer.Round::broadcastFingerprint).toList())
                .isEqualTo(calm.rounds().stream().map(DistributedTrainer.Round::broadcastFingerprint).toList());
    }

    @Test
    void theSparkSectionIsCheckedLikeTheRestOfTheConfig() throws Exception {
        assertThatThrownBy(() -> DistributedConfig.read("{\"spark\": {\"workers\": 0}}", "x.json",
                new ConfigReader())).isInstanceOf(ConfigException.class).hasMessageContaining("spark.workers");
        assertThatThrownBy(() -> DistributedConfig.read("{\"spark\": {\"worker\": 2}}", "x.json",
                new ConfigReader())).isInstanceOf(ConfigException.class).hasMessageContaining("worker");
        assertThat(List.of(SparkOptions.DEFAULT.workers(), SparkOptions.DEFAULT.averagingEvery()))
                .containsExactly(2, 4);
        DistributedConfig example = DistributedConfig.read(Path.of("..", "examples", "spark", "mnist-dcgan-spark.json"),
                new ConfigReader());
        assertThat(example.spark().averagingEvery()).isEqualTo(4);
        assertThat(example.gan().generator().type()).isEqualTo("dcgan");
    }
}
