package dev.jgan.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.run.GanRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run started from Java with the metrics section on does what {@code jgan train} does with it. */
class GanRunMetricsTest {

    @Test
    void ganRunWithMetricsOnWritesMetricsJsonlAndTheReport(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        var config = reader.read("""
                {"latent": {"size": 16}, "data": {"limit": 512},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32]},
                 "training": {"epochs": 2, "batch_size": 64, "grid_size": 4},
                 "metrics": {"every_epochs": 1, "samples": 200},
                 "output": {"directory": "%s"}}
                """.formatted(tmp.toString().replace('\\', '/')), "m.json");

        GanRun.Result result = new GanRun(config, "m", reader).run();

        Path run = result.directory();
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        for (int epoch = 1; epoch <= 2; epoch++) {
            JsonNode m = json.readTree(lines.get(epoch - 1));
            assertThat(m.path("epoch").asInt()).isEqualTo(epoch);
            assertThat(m.path("frechet_distance").asDouble()).isPositive();
        }
        assertThat(Files.readString(run.resolve("report.html"))).contains("<h2>Metrics</h2>")
                .contains("report/frechet.png").contains("<b>finished</b>");
        assertThat(run.resolve("report/frechet.png")).isNotEmptyFile();
        assertThat(json.readTree(run.resolve("final-metrics.json").toFile()).path("samples").asInt())
                .isPositive();
    }
}
