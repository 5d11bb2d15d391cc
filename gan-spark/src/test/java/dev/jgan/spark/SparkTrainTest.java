package dev.jgan.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input to jgan-spark is reported (exit 2, one line naming the field) before Spark starts, leaving no run. */
class SparkTrainTest {

    record Run(int code, String err) {}

    static Run sparkTrain(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new SparkTrain()).execute(args);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    private static final String EXAMPLE = Path.of("..", "examples", "spark", "mnist-dcgan-spark.json").toString();

    @Test
    void theShippedExampleAsksForItsDataAndNamesMissingFiles(@TempDir Path tmp) {
        Run none = sparkTrain("--config", EXAMPLE, "--output", tmp.resolve("runs").toString(), "--master", "local[1]");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("spark.data: expected the folder of IDX files that every executor can read: give --data PATH")
                .doesNotContain("\tat ");

        Run missing = sparkTrain("--config", EXAMPLE, "--data", tmp.resolve("no-data").toString(), "--output",
                tmp.resolve("runs").toString(), "--master", "local[1]");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("spark.data: ").contains("missing train-images-idx3-ubyte")
                .contains("every executor can reach").doesNotContain("\tat ");
        assertThat(tmp.resolve("runs")).doesNotExist();

        Run resumed = sparkTrain("--resume", tmp.toString(), "--data", tmp.toString());
        assertThat(resumed.code()).isEqualTo(2);
        assertThat(resumed.err()).contains("--data applies to new runs");
    }

    @Test
    void anUnreachableMasterIsSaidInOneLineAtOnce(@TempDir Path tmp) throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        Run run = sparkTrain("--config", EXAMPLE, "--data", DistributedTrainerTest.mnistDir().toString(), "--output",
                tmp.resolve("runs").toString(), "--master", "spark://127.0.0.1:" + port);
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--master spark://127.0.0.1:" + port + ": no Spark master answers at 127.0.0.1:"
                + port).doesNotContain("\tat ");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
        assertThat(tmp.resolve("runs")).doesNotExist();
        assertThat(StandaloneMaster.unreachable("local[2]")).isNull();
        assertThat(StandaloneMaster.unreachable("spark://host:port")).contains("expected spark://HOST:PORT");
    }

    @Test
    void theShippedExampleTrainsAsShippedGivenItsData(@TempDir Path tmp) throws Exception {
        Run run = sparkTrain("--config", EXAMPLE, "--data", DistributedTrainerTest.mnistDir().toString(),
                "--max-steps", "2", "--output", tmp.resolve("runs").toString(), "--master", "local[2]");
        assertThat(run.code()).as(run.err()).isZero();
        Path dir;
        try (var s = Files.list(tmp.resolve("runs"))) {
            dir = s.findFirst().orElseThrow();
        }
        assertThat(dir.resolve("generator.zip")).isRegularFile();
        assertThat(dir.resolve(".lock")).doesNotExist();
        assertThat(Files.readString(dir.resolve("config.json")))
                .contains(DistributedTrainerTest.mnistDir().toUri().toString());
        // the end-of-run scoring of jgan train, on the driver
        var metrics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("final-metrics.json")
                .toFile());
        assertThat(metrics.path("step").asLong()).isEqualTo(2);
        assertThat(metrics.path("samples").asInt()).isEqualTo(2000);
        assertThat(metrics.path("real_data").path("frechet_distance").asDouble()).as("real images score near 0")
                .isLessThan(metrics.path("generated").path("frechet_distance").asDouble() / 10);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("Final sample quality");
        assertThat(Files.readAllLines(dir.resolve("steps.csv"))).as("one round of the two iterations").hasSize(2);
    }

    @Test
    void moreWorkersThanTheDataCanFeedAreRefusedBeforeSparkStarts(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("spark.json"),
                Files.readString(Path.of(EXAMPLE)).replace("\"workers\": 2", "\"workers\": 1000"));
        Run run = sparkTrain("--config", file.toString(), "--data", DistributedTrainerTest.mnistDir().toString(),
                "--output", tmp.resolve("runs").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("spark.workers: at most 937 workers: 60000 images split 1000 ways")
                .doesNotContain("\tat ");
        assertThat(tmp.resolve("runs")).doesNotExist();
    }

    @Test
    void aSparkSectionOfTheWrongTypeIsNamedWithoutJacksonText(@TempDir Path tmp) throws Exception {
        String[][] cases = {
            {"\"workers\": 2", "\"workers\": \"two\"", "spark.workers: expected an integer"},
            {"\"workers\": 2", "\"workers\": 0", "spark.workers: expected an integer in [1, 10000], got 0"},
            {"\"workers\": 2", "\"workerz\": 2", "spark.workerz"},
        };
        String shipped = Files.readString(Path.of("..", "examples", "spark", "mnist-dcgan-spark.json"));
        for (String[] c : cases) {
            Path file = Files.writeString(tmp.resolve("spark.json"), shipped.replace(c[0], c[1]));
            Run run = sparkTrain("--config", file.toString());
            assertThat(run.code()).as(c[1]).isEqualTo(2);
            assertThat(run.err()).as(c[1]).contains(c[2]).doesNotContain("Cannot deserialize").doesNotContain("\tat ");
        }
    }

    @Test
    void anHdfsPathWithoutAHostIsRefusedNamingTheField(@TempDir Path tmp) throws Exception {
        Run run = sparkTrain("--config", EXAMPLE, "--data", "hdfs:///data/mnist", "--output",
                tmp.resolve("runs").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("spark.data").contains("hdfs://HOST:PORT/path");
        assertThat(tmp.resolve("runs")).doesNotExist();
    }
}
