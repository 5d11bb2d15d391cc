package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quality-over-time harness: snapshots at the asked steps, one scored row each, the plot. */
class QualityCommandTest {

    @Test
    void snapshotsAreTakenScoredAndPlotted(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("q.json"), """
                {"latent": {"size": 16}, "data": {"limit": 512},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32]},
                 "training": {"epochs": 1, "batch_size": 32, "grid_size": 4, "ema_decay": 0.9, "ema_start": 2}}
                """);
        Path out = tmp.resolve("q");
        assertThat(JganCli.run("quality", "--config", config.toString(), "--data-dir",
                ReportAndEvaluateTest.mnist(), "--at-steps", "6,3", "--samples", "200", "--out", out.toString()))
                .isZero();
        List<String> csv = Files.readAllLines(out.resolve("quality.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).contains(",3,96,");
        assertThat(csv.get(2)).contains(",6,192,");
        double fd3 = Double.parseDouble(csv.get(1).split(",")[3]);
        double fd6 = Double.parseDouble(csv.get(2).split(",")[3]);
        assertThat(fd3).isPositive().isNotEqualTo(fd6);
        assertThat(out.resolve("snapshots/generator-000003steps.zip")).exists();
        assertThat(ImageIO.read(out.resolve("fd-vs-time.png").toFile()).getWidth()).isEqualTo(720);
        assertThat(ImageIO.read(out.resolve("grid-000006steps.png").toFile())).isNotNull();
        assertThat(Files.readString(out.resolve("quality.md"))).contains("| 3 | 96 |");

        Path plot = tmp.resolve("both.png");
        assertThat(JganCli.run("quality", "--plot", out.resolve("quality.csv").toString(),
                out.resolve("quality.csv").toString(), "--out", plot.toString())).isZero();
        assertThat(plot).exists();
        assertThat(JganCli.run("quality", "--plot", config.toString(), "--out", plot.toString())).isEqualTo(2);
    }

    @Test
    void snapshotTimesTakeUnits() {
        assertThat(QualityCommand.seconds("90")).isEqualTo(90);
        assertThat(QualityCommand.seconds("90s")).isEqualTo(90);
        assertThat(QualityCommand.seconds("2m")).isEqualTo(120);
        assertThat(QualityCommand.seconds("0.5h")).isEqualTo(1800);
        assertThatThrownBy(() -> QualityCommand.seconds("soon")).hasMessageContaining("--at");
        assertThatThrownBy(() -> QualityCommand.seconds("-1m")).hasMessageContaining("> 0");
    }
}
