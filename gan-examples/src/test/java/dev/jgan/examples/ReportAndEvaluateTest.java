package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics during training, the HTML report, and the evaluate command on models and on sample files. */
class ReportAndEvaluateTest {

    static String mnist() {
        String env = System.getenv("JGAN_MNIST_DIR");
        return (env != null ? Path.of(env) : Path.of("..", "..", "shared", "data", "mnist")).toAbsolutePath()
                .normalize().toString().replace('\\', '/');
    }

    @Test
    void trainingWritesMetricsAndAReportAndEvaluateScoresItsModel(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("m.json"), """
                {"latent": {"size": 16}, "data": {"limit": 512},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32]},
                 "training": {"epochs": 2, "batch_size": 64, "grid_size": 4},
                 "metrics": {"every_epochs": 1, "samples": 200, "reference": "%s"}}
                """.formatted(mnist()));
        assertThat(JganCli.run("train", "--config", config.toString(), "--output", tmp.resolve("runs").toString()))
                .isZero();
        Path run;
        try (var s = Files.list(tmp.resolve("runs"))) {
            run = s.findFirst().orElseThrow();
        }
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(metrics).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(metrics.get(0));
        assertThat(first.path("epoch").asInt()).isEqualTo(1);
        assertThat(first.path("frechet_distance").asDouble()).isPositive();
        assertThat(first.path("class_counts")).hasSize(10);

        String html = Files.readString(run.resolve("report.html"));
        assertThat(html).contains("report/losses.png").contains("report/frechet.png")
                .contains("samples/epoch-002.png").contains("<h2>Metrics</h2>").contains("provenance.json");
        assertThat(run.resolve("report/losses.png")).exists();
        assertThat(run.resolve("report/precision-recall.png")).exists();

        Files.delete(run.resolve("report.html"));
        assertThat(JganCli.run("report", run.toString())).isZero();
        assertThat(run.resolve("report.html")).exists();

        Path json = tmp.resolve("eval.json");
        assertThat(JganCli.run("evaluate", "--model", run.resolve("generator.zip").toString(), "--count", "300",
                "--data-dir", mnist(), "--json", json.toString())).isZero();
        JsonNode result = new ObjectMapper().readTree(json.toFile()).path("results").elements().next();
        assertThat(result.path("samples").asInt()).isEqualTo(300);
        assertThat(result.path("frechet_distance").asDouble()).isPositive();

        Path idx = tmp.resolve("s.idx");
        assertThat(JganCli.run("sample", "--model", run.resolve("generator.zip").toString(), "--count", "300",
                "--out", idx.toString())).isZero();
        Path json2 = tmp.resolve("eval2.json");
        assertThat(JganCli.run("evaluate", "--samples", idx.toString(), "--data-dir", mnist(), "--json",
                json2.toString())).isZero();
        JsonNode fromFile = new ObjectMapper().readTree(json2.toFile()).path("results").elements().next();
        assertThat(fromFile.path("samples").asInt()).isEqualTo(300);

        // The same images as a NumPy array of bytes in [0, 255], shaped [N, 28, 28], score the same.
        var images = dev.jgan.trainer.data.IdxFiles.readImages(idx, 0);
        float[] values = new float[images.pixels().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = images.pixels()[i] & 0xff;
        }
        Path npy = tmp.resolve("s.npy");
        org.nd4j.linalg.factory.Nd4j.writeAsNumpy(org.nd4j.linalg.factory.Nd4j.create(values, new long[] {300, 28, 28},
                'c'), npy.toFile());
        Path json3 = tmp.resolve("eval3.json");
        assertThat(JganCli.run("evaluate", "--samples", npy.toString(), "--data-dir", mnist(), "--json",
                json3.toString())).isZero();
        JsonNode fromNpy = new ObjectMapper().readTree(json3.toFile()).path("results").elements().next();
        assertThat(fromNpy.path("frechet_distance").asDouble())
                .isCloseTo(fromFile.path("frechet_distance").asDouble(), org.assertj.core.api.Assertions.within(1e-3));
    }
}
