package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.run.GanRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a run ends shows in its report and console: finished with the final figures, or stopped. */
class RunEndTest {

    private static final String CONFIG = """
            {"latent": {"size": 16}, "data": {"limit": 640},
             "generator": {"type": "dense", "hidden": [32]},
             "discriminator": {"type": "dense", "hidden": [32]},
             "training": {"epochs": 2, "batch_size": 64, "grid_size": 4},
             "metrics": {"samples": 300}}
            """;

    @Test
    void aFinishedRunSaysSoAndShowsItsFinalMetrics(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("f.json"), CONFIG);
        PrintStream out = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            code = JganCli.run("train", "--config", config.toString(), "--output", tmp.resolve("runs").toString());
        } finally {
            System.setOut(out);
        }
        assertThat(code).isZero();
        Path run;
        try (var s = Files.list(tmp.resolve("runs"))) {
            run = s.findFirst().orElseThrow();
        }
        JsonNode metrics = new ObjectMapper().readTree(run.resolve("final-metrics.json").toFile());
        double fd = metrics.path("generated").path("frechet_distance").asDouble();
        double floor = metrics.path("real_data").path("frechet_distance").asDouble();
        assertThat(metrics.path("samples").asInt()).isEqualTo(300);
        assertThat(metrics.path("reference").asText()).contains("embedded MNIST test set");
        // 20 steps of a tiny GAN are far from real digits; real training images score near the floor
        assertThat(floor).isPositive().isLessThan(fd / 5);
        JsonNode provenance = new ObjectMapper().readTree(run.resolve("provenance.json").toFile());
        assertThat(provenance.path("status").asText()).isEqualTo("finished");
        assertThat(provenance.path("reason").asText()).isEqualTo("all 2 epochs done");

        String html = Files.readString(run.resolve("report.html"));
        assertThat(html).contains("<b>finished</b> (all 2 epochs done)").doesNotContain("in progress")
                .contains("Final sample quality").contains(String.format(java.util.Locale.ROOT, "FD %.1f", fd))
                .contains(String.format(java.util.Locale.ROOT, "real data: %.1f", floor))
                .contains("embedded MNIST test set");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains(String.format(java.util.Locale.ROOT,
                "quality:       FD %.1f (real data: %.1f)", fd, floor)).contains("report:");
    }

    @Test
    void aRunStoppedOnRequestSaysStopped(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        var config = reader.read(CONFIG.replace("\"metrics\": {\"samples\": 300}", "\"metrics\": {\"at_end\": false}")
                .replace("\"grid_size\": 4}", "\"grid_size\": 4}, \"output\": {\"directory\": \""
                        + tmp.toString().replace('\\', '/') + "\"}"), "s.json");
        GanRun run = new GanRun(config, "s", reader);
        run.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                if (e.step() == 3) {
                    run.requestStop(); // what Ctrl-C does
                }
            }
        });
        GanRun.Result result = run.run();
        assertThat(result.stopped()).isTrue();
        assertThat(result.summary().steps()).isEqualTo(3);
        String html = Files.readString(result.directory().resolve("report.html"));
        assertThat(html).contains("<b>stopped</b> (stopped on request at step 3)").doesNotContain("in progress")
                .doesNotContain("Final sample quality");
        assertThat(result.directory().resolve("final-metrics.json")).doesNotExist();
    }
}
