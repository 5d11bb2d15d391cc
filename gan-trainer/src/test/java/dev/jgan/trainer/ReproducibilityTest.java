package dev.jgan.trainer;

import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.ImageDataset;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Same config and seed, same machine and threads: the same losses and parameters, step by step. */
class ReproducibilityTest {

    record Outcome(List<StepEvent> steps, float[] g, float[] d) {}

    private static Outcome train(GanConfig c, ImageDataset data) throws Exception {
        var t = new AdversarialTrainer(GanRun.buildGenerator(c, NetworkRegistry.global(), data.shape()),
                GanRun.buildDiscriminator(c, NetworkRegistry.global(), data.shape()), c.loss().create(), c.latent(),
                c.training(), c.seed());
        List<StepEvent> steps = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                steps.add(e);
            }
        });
        t.train(data);
        return new Outcome(steps, t.generator().params().toFloatVector(), t.discriminator().params().toFloatVector());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense", "dcgan"})
    void sameSeedSameStepsAndParameters(String type) throws Exception {
        // The dense discriminator keeps its default dropout (0.3): dropout masks must repeat too.
        String nets = type.equals("dense")
                ? "\"generator\": {\"type\": \"dense\", \"hidden\": [32, 64]}, \"discriminator\": {\"type\": \"dense\"}"
                : "\"generator\": {\"type\": \"dcgan\", \"filters\": [8, 4]},"
                  + " \"discriminator\": {\"type\": \"dcgan\", \"filters\": [4, 8], \"dropout\": 0.2}";
        GanConfig c = TestSupport.config("""
                {"seed": 11, "latent": {"size": 16},
                 "data": {"location": "%s", "limit": 256, "download": false},
                 %s,
                 "training": {"epochs": 2, "batch_size": 32, "max_steps": 6}}
                """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'), nets));
        ImageDataset data = IdxDatasets.load(c.data());

        Outcome a = train(c, data);
        Outcome b = train(c, data);

        assertThat(a.steps()).hasSize(6);
        assertThat(b.steps()).isEqualTo(a.steps());
        assertThat(Arrays.equals(a.g(), b.g())).as("generator parameters bit-identical").isTrue();
        assertThat(Arrays.equals(a.d(), b.d())).as("discriminator parameters bit-identical").isTrue();

        GanConfig other = c.withSeed(12L);
        assertThat(train(other, data).steps()).as("another seed gives another run").isNotEqualTo(a.steps());
    }
}
