package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.TrainingConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.loop.TrainerState;
import dev.jgan.trainer.run.Checkpoints;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageShape;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.dl4j.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints are atomic, verified and pruned; a stopped run resumed ends where an uninterrupted one does. */
class ResumeTest {

    private static GanConfig config(Path out, long maxSteps) throws Exception {
        return TestSupport.config("""
                {"seed": 21, "latent": {"size": 16},
                 "data": {"location": "%s", "limit": 320, "download": false},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32, 16]},
                 "training": {"epochs": 3, "batch_size": 32, "max_steps": %d, "grid_size": 4},
                 "checkpoints": {"every_steps": 4, "keep": 2},
                 "output": {"directory": "%s", "name": "r"}}
                """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'), maxSteps,
                out.toString().replace('\\', '/')));
    }

    private static float[] params(Path generatorFile) throws Exception {
        return ModelFiles.loadGenerator(generatorFile).params().toFloatVector();
    }

    @Test
    void stoppedAndResumedRunEndsBitIdenticalToAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        GanRun.Result whole = new GanRun(config(tmp.resolve("a"), 0), "a", reader).run();
        assertThat(whole.summary().steps()).isEqualTo(30); // 3 epochs x 10 iterations

        // Stop after 13 steps (mid-epoch, between checkpoints), then resume to the end in two more sessions.
        GanRun.Result first = new GanRun(config(tmp.resolve("b"), 13), "b", reader).run();
        Path dir = first.directory();
        assertThat(new Checkpoints(dir, 2, reader.mapper()).latest().orElseThrow().state().step()).isEqualTo(13);
        GanRun.Result second = GanRun.resume(dir, reader, c -> c.withTraining(new TrainingConfig(
                3, 32, 1, 1, 22L, 4))).run();
        assertThat(second.summary().steps()).isEqualTo(22);
        GanRun.Result last = GanRun.resume(dir, reader, c -> c.withTraining(new TrainingConfig(
                3, 32, 1, 1, 0L, 4))).run();

        assertThat(last.summary().steps()).isEqualTo(30);
        assertThat(Arrays.equals(params(last.generatorFile()), params(whole.generatorFile()))).isTrue();
        assertThat(Arrays.equals(
                ModelFiles.loadDiscriminator(last.discriminatorFile()).optimizerState().toFloatVector(),
                ModelFiles.loadDiscriminator(whole.discriminatorFile()).optimizerState().toFloatVector())).isTrue();
        List<String> steps = Files.readAllLines(dir.resolve("steps.csv"));
        assertThat(steps).hasSize(31);
        assertThat(steps.subList(1, 31)).isEqualTo(Files.readAllLines(whole.directory().resolve("steps.csv"))
                .subList(1, 31));
        assertThat(Files.readAllLines(dir.resolve("epochs.csv"))).hasSize(4);
        assertThat(new Checkpoints(dir, 2, reader.mapper()).list()).hasSize(2); // keep = 2
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToThePreviousOne(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        Path dir = new GanRun(config(tmp, 8), "c", reader).run().directory();
        Checkpoints ckpts = new Checkpoints(dir, 2, reader.mapper());
        List<Path> all = ckpts.list();
        assertThat(all).extracting(p -> p.getFileName().toString()).containsExactly("step-000000008",
                "step-000000004");

        byte[] g = Files.readAllBytes(all.get(0).resolve("generator.zip"));
        Files.write(all.get(0).resolve("generator.zip"), Arrays.copyOf(g, g.length / 2)); // torn write

        assertThat(ckpts.latest().orElseThrow().state().step()).isEqualTo(4);
        GanRun.Result resumed = GanRun.resume(dir, reader, c -> c.withTraining(new TrainingConfig(
                3, 32, 1, 1, 10L, 4))).run();
        assertThat(resumed.summary().steps()).isEqualTo(10);
        assertThat(Files.readAllLines(dir.resolve("steps.csv"))).hasSize(11);
    }

    @Test
    void checkpointsRefuseNonFiniteParametersAndResumeNeedsACheckpoint(@TempDir Path tmp) throws Exception {
        GanConfig c = config(tmp, 1);
        TrainableGenerator g = GanRun.buildGenerator(c, NetworkRegistry.global(), new ImageShape(1, 28, 28));
        var d = GanRun.buildDiscriminator(c, NetworkRegistry.global(), new ImageShape(1, 28, 28));
        ((dev.jgan.dl4j.Dl4jGenerator) g).network().params().putScalar(0, Float.NaN);
        Checkpoints ckpts = new Checkpoints(tmp, 3, new ConfigReader().mapper());
        assertThatThrownBy(() -> ckpts.write(g, d, TrainerState.START, java.util.Map.of()))
                .hasMessageContaining("not finite");
        assertThat(ckpts.list()).isEmpty();

        Files.writeString(tmp.resolve("config.json"), new ConfigReader().write(c));
        assertThatThrownBy(() -> GanRun.resume(tmp, new ConfigReader(), x -> x,
                dev.jgan.trainer.run.Verification.WAIVED_WHERE_MISSING).run())
                .isInstanceOf(DataException.class).hasMessageContaining("no intact checkpoint");
        assertThatThrownBy(() -> GanRun.resume(tmp.resolve("nothing"), new ConfigReader(), x -> x))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a run directory");
    }

    @Test
    void aFailedCheckpointWriteLeavesThePreviousOneIntact(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        GanConfig c = config(tmp, 1);
        TrainableGenerator g = GanRun.buildGenerator(c, NetworkRegistry.global(), new ImageShape(1, 28, 28));
        var d = GanRun.buildDiscriminator(c, NetworkRegistry.global(), new ImageShape(1, 28, 28));
        Checkpoints ckpts = new Checkpoints(tmp, 3, reader.mapper());
        ckpts.write(g, d, new TrainerState(4, 1, 4, 128, 0, 0, 0, 0, 0, 0), java.util.Map.of());
        // A generator whose file cannot be written, as on a full disk.
        Generator full = (Generator) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Generator.class}, (proxy, method, args) -> {
                    if (method.getName().equals("save")) {
                        Files.writeString((Path) args[0], "partial");
                        throw new java.io.IOException("No space left on device");
                    }
                    return method.invoke(g, args);
                });

        assertThatThrownBy(() -> ckpts.write(full, d, new TrainerState(8, 1, 8, 256, 0, 0, 0, 0, 0, 0),
                java.util.Map.of())).hasMessageContaining("No space left on device");

        assertThat(ckpts.list()).extracting(p -> p.getFileName().toString()).containsExactly("step-000000004");
        assertThat(ckpts.latest().orElseThrow().state().step()).isEqualTo(4);
        try (var s = Files.list(tmp.resolve("checkpoints"))) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith(".tmp-"))).isEmpty();
        }
    }
}
