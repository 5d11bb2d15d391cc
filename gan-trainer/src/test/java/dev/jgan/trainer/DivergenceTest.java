package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.loop.DivergenceException;
import dev.jgan.trainer.run.Checkpoints;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.AdversarialLoss;
import dev.jgan.api.LossRegistry;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.Losses;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.dl4j.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A non-finite loss is caught at the step it appears; nothing is written from it, or the run rolls back. */
class DivergenceTest {

    /** Non-saturating, except that the generator's loss is NaN at the given steps (counted in G steps). */
    static final class PoisonedLoss implements AdversarialLoss {
        private final AdversarialLoss base = Losses.nonSaturating();
        private final List<Integer> poisonAt;
        private int generatorCalls;

        PoisonedLoss(List<Integer> poisonAt) {
            this.poisonAt = poisonAt;
        }

        @Override
        public String name() {
            return "poisoned";
        }

        @Override
        public Term discriminatorReal(INDArray l) {
            return base.discriminatorReal(l);
        }

        @Override
        public Term discriminatorFake(INDArray l) {
            return base.discriminatorFake(l);
        }

        @Override
        public Term generator(INDArray l) {
            Term t = base.generator(l);
            return poisonAt.contains(++generatorCalls) ? new Term(Double.NaN, t.gradient().mul(0)) : t;
        }
    }

    /** A reader that knows the loss "poisoned", NaN at the given G calls of each run. */
    private static ConfigReader poisonedAt(Integer... steps) {
        return new ConfigReader(NetworkRegistry.global(),
                LossRegistry.builtIn().register("poisoned", () -> new PoisonedLoss(List.of(steps))));
    }

    private static GanConfig config(Path out, String divergence) throws Exception {
        return poisonedAt().read(config(out, divergence, true), "test.json");
    }

    private static String config(Path out, String divergence, boolean poisoned) {
        return ("""
                {"seed": 4, "latent": {"size": 16},
                 "data": {"location": "%s", "limit": 320, "download": false},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32]},
                 "training": {"epochs": 2, "batch_size": 32, "grid_size": 4},
                 "checkpoints": {"every_steps": 4, "every_epoch": false},
                 "loss": {"type": "poisoned"},
                 %s
                 "output": {"directory": "%s", "name": "div"}}
                """).formatted(TestSupport.mnistDir().toString().replace('\\', '/'), divergence,
                out.toString().replace('\\', '/'));
    }

    @Test
    void stopsAtTheStepAndWritesNothingFromIt(@TempDir Path tmp) throws Exception {
        GanRun run = new GanRun(config(tmp, ""), "div", poisonedAt(7));

        assertThatThrownBy(run::run).isInstanceOf(DivergenceException.class)
                .hasMessageContaining("training diverged at step 7 (epoch 1): D loss")
                .hasMessageContaining("G loss NaN");

        Path dir;
        try (var s = Files.list(tmp)) {
            dir = s.findFirst().orElseThrow();
        }
        assertThat(new Checkpoints(dir, 3, new ConfigReader().mapper()).latest().orElseThrow().state().step())
                .isEqualTo(4);
        assertThat(dir.resolve("generator.zip")).doesNotExist();
    }

    @Test
    void rollsBackToTheLastCheckpointWithLowerLearningRates(@TempDir Path tmp) throws Exception {
        GanRun run = new GanRun(config(tmp, "\"divergence\": {\"action\": \"rollback\", \"lr_factor\": 0.5},"), "div",
                poisonedAt(7));

        GanRun.Result r = run.run();

        assertThat(r.summary().steps()).isEqualTo(20);
        List<String> steps = Files.readAllLines(r.directory().resolve("steps.csv"));
        assertThat(steps).hasSize(21).noneMatch(line -> line.contains("NaN"));
        var g = (Dl4jGenerator) ModelFiles.loadGenerator(r.generatorFile());
        assertThat(g.network().getLearningRate(0)).isEqualTo(1e-4, org.assertj.core.api.Assertions.within(1e-12));
        @SuppressWarnings("unchecked")
        Map<String, Object> prov = new ConfigReader().mapper().readValue(
                r.directory().resolve("provenance.json").toFile(), Map.class);
        assertThat(prov.get("rollbacks").toString()).contains("diverged_at_step=7").contains("rolled_back_to_step=4");
    }

    @Test
    void aRunResumedAfterARollbackKeepsTheLoweredRates(@TempDir Path tmp) throws Exception {
        // the same run, once in one session and once stopped at step 14 (after the rollback at step 7) and resumed
        String rollback = "\"divergence\": {\"action\": \"rollback\", \"lr_factor\": 0.5},";
        ConfigReader reader = poisonedAt(7);
        GanRun.Result whole = new GanRun(config(tmp.resolve("a"), rollback), "div", reader).run();
        GanConfig stopped = config(tmp.resolve("b"), rollback);
        stopped = stopped.withTraining(stopped.training().withLimits(2, 14, 0));
        GanRun.Result first = new GanRun(stopped, "div", reader).run();
        assertThat(new Checkpoints(first.directory(), 3, reader.mapper()).latest().orElseThrow().state().rollbacks())
                .isEqualTo(1);
        GanRun.Result rest = GanRun.resume(first.directory(), reader,
                c -> c.withTraining(c.training().withLimits(2, 0, 0))).run();

        assertThat(rest.summary().steps()).isEqualTo(20);
        var g = (Dl4jGenerator) ModelFiles.loadGenerator(rest.generatorFile());
        assertThat(g.network().getLearningRate(0)).isEqualTo(1e-4, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(java.util.Arrays.equals(g.params().toFloatVector(),
                ModelFiles.loadGenerator(whole.generatorFile()).params().toFloatVector())).isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Object> prov = reader.mapper().readValue(rest.directory().resolve("provenance.json").toFile(),
                Map.class);
        assertThat(prov.get("resumed_from_step")).isEqualTo(14);
        assertThat(prov.get("rollbacks").toString()).contains("diverged_at_step=7").contains("rolled_back_to_step=4");
    }

    @Test
    void rollbackGivesUpAfterMaxRollbacks(@TempDir Path tmp) throws Exception {
        GanRun run = new GanRun(config(tmp, "\"divergence\": {\"action\": \"rollback\", \"max_rollbacks\": 2},"),
                "div", poisonedAt(6, 9, 12));
        assertThatThrownBy(run::run).isInstanceOf(DivergenceException.class);
    }
}
