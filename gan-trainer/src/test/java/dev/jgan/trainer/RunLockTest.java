package dev.jgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.run.GanRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory is trained by one run at a time; a second is refused at once and changes nothing. */
class RunLockTest {

    @Test
    void aLiveRunCannotBeResumedAtTheSameTime(@TempDir Path tmp) throws Exception {
        GanConfig config = TestSupport.config("""
                {"latent": {"size": 8}, "data": {"location": "%s", "limit": 512, "download": false},
                 "generator": {"type": "dense", "hidden": [16]}, "discriminator": {"type": "dense", "hidden": [16]},
                 "training": {"epochs": 2, "batch_size": 32, "grid_size": 4},
                 "checkpoints": {"every_steps": 2}, "metrics": {"at_end": false},
                 "output": {"directory": "%s", "name": "live"}}
                """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'),
                tmp.toString().replace('\\', '/')));
        ConfigReader reader = new ConfigReader();
        GanRun live = new GanRun(config, "live", reader);
        CountDownLatch atStep4 = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        live.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                if (e.step() == 4) {
                    atStep4.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        CompletableFuture<GanRun.Result> first = CompletableFuture.supplyAsync(() -> {
            try {
                return live.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(atStep4.await(60, TimeUnit.SECONDS)).isTrue();
        Path dir;
        try (var s = Files.list(tmp)) {
            dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        String steps = Files.readString(dir.resolve("steps.csv"));
        String provenance = Files.readString(dir.resolve("provenance.json"));
        try (var s = Files.list(dir.resolve("checkpoints"))) {
            assertThat(s.count()).isPositive();
        }

        GanRun second = GanRun.resume(dir, reader, c -> c);
        assertThatThrownBy(second::run).isInstanceOf(DataException.class)
                .hasMessageContaining("the run is being trained by another process (pid "
                        + ProcessHandle.current().pid());
        assertThat(Files.readString(dir.resolve("steps.csv"))).isEqualTo(steps);
        assertThat(Files.readString(dir.resolve("provenance.json"))).isEqualTo(provenance);

        release.countDown();
        GanRun.Result result = first.get(120, TimeUnit.SECONDS);
        assertThat(result.summary().steps()).isEqualTo(32);
        assertThat(Files.readAllLines(dir.resolve("steps.csv"))).hasSize(33);
        assertThat(dir.resolve(".lock")).as("the lock file of a run that ended").doesNotExist();
        // released at the end: the finished run can be resumed for more epochs
        GanRun more = GanRun.resume(dir, reader, c -> c.withTraining(c.training().withLimits(3, 0, 0)));
        assertThat(more.run().summary().steps()).isEqualTo(48);
    }
}
