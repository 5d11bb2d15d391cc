package dev.jgan.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's per-step charts show a run from its first step and average long runs into about 100 points. */
class RunReportTest {

    @Test
    void shortRunsArePlottedStepByStepAndLongOnesAveraged() {
        assertThat(RunReport.window(1)).isEqualTo(1);
        assertThat(RunReport.window(24)).isEqualTo(1);    // was 25 rows a point: no point at all below 25 steps
        assertThat(RunReport.window(250)).isEqualTo(2);
        assertThat(RunReport.window(3120)).isEqualTo(25);
        assertThat(RunReport.window(1_000_000)).isEqualTo(25);
    }

    @Test
    void reportsWrittenAtOnceOnALiveRunAllSucceedAndLeaveNoTemporaryFile(@TempDir Path dir) throws Exception {
        StringBuilder steps = new StringBuilder("step,epoch,d_loss,g_loss,d_real,d_fake\n");
        for (int i = 1; i <= 40; i++) {
            steps.append(i).append(",1,1.2,0.8,0.6,0.4\n");
        }
        Files.writeString(dir.resolve("steps.csv"), steps);
        Files.writeString(dir.resolve("epochs.csv"), "epoch,steps,d_loss,g_loss,d_real,d_fake,images_per_second\n");
        ExecutorService pool = Executors.newFixedThreadPool(3);   // the run's own report and two `jgan report`s
        try {
            List<Future<Path>> writes = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                writes.add(pool.submit((Callable<Path>) () -> new RunReport(dir).write()));
            }
            for (Future<Path> w : writes) {
                assertThat(w.get()).isEqualTo(dir.resolve("report.html"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.readString(dir.resolve("report.html"))).contains("losses.png");
        // no ImageIO cache files: one cut short by a full disk broke ImageIO's StreamCloser at exit
        assertThat(javax.imageio.ImageIO.getUseCache()).isFalse();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"))
                    .contains("losses.png", "scores.png");
        }
    }

    @Test
    void aStepsLogThatIsAFolderIsNamedInTheError(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("steps.csv"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RunReport(dir).write())
                .isInstanceOf(java.nio.file.FileSystemException.class)
                .hasMessageContaining(dir.resolve("steps.csv").toString())
                .hasMessageContaining("not a file; expected the run's CSV log");
    }
}
