package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.LearningRateDecay;
import dev.jgan.trainer.config.TrainingConfig;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/** The learning-rate decay follows its formula, trains as the rates it gives, and resumes exactly. */
class LearningRateDecayTest {

    private static GanConfig config(Path out, String optimizers, long maxSteps) throws Exception {
        return TestSupport.config("""
                {"seed": 8, "latent": {"size": 16},
                 "data": {"location": "%s", "limit": 640, "download": false},
                 "generator": {"type": "dense", "hidden": [32], "batch_norm": false},
                 "discriminator": {"type": "dense", "hidden": [32], "dropout": 0},
                 "optimizers": {%s},
                 "training": {"epochs": 1, "batch_size": 32, "max_steps": %d, "grid_size": 4},
                 "checkpoints": {"every_steps": 5, "keep": 2},
                 "output": {"directory": "%s", "name": "d"}}
                """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'), optimizers, maxSteps,
                out.toString().replace('\\', '/')));
    }

    @Test
    void factorIsOneThenLinearThenFinal() {
        LearningRateDecay d = new LearningRateDecay(10L, 20L, 0.2);
        assertThat(d.factorAt(1)).isEqualTo(1);
        assertThat(d.factorAt(10)).isEqualTo(1);
        assertThat(d.factorAt(15)).isCloseTo(0.6, within(1e-12));
        assertThat(d.factorAt(19)).isCloseTo(0.28, within(1e-12));
        assertThat(d.factorAt(20)).isEqualTo(0.2);
        assertThat(d.factorAt(1000)).isEqualTo(0.2);
        assertThat(LearningRateDecay.NONE.enabled()).isFalse();
        assertThat(LearningRateDecay.NONE.factorAt(5)).isEqualTo(1);
        assertThat(new LearningRateDecay(10L, 20L, 1.0).enabled()).isFalse();
    }

    @Test
    void aConstantFactorTrainsExactlyAsTheScaledRates(@TempDir Path tmp) throws Exception {
        // f(t) = 0.5 from step 1 on, against rates configured at half: the same arithmetic, bit for bit
        AdversarialTrainer decayed = TestSupport.trainer(config(tmp.resolve("a"), """
                "generator": {"learning_rate": 0.002}, "discriminator": {"learning_rate": 0.0004},
                "lr_decay": {"start_step": 0, "end_step": 1, "final_factor": 0.5}""", 6));
        AdversarialTrainer halved = TestSupport.trainer(config(tmp.resolve("b"), """
                "generator": {"learning_rate": 0.001}, "discriminator": {"learning_rate": 0.0002}""", 6));
        AdversarialTrainer full = TestSupport.trainer(config(tmp.resolve("c"), """
                "generator": {"learning_rate": 0.002}, "discriminator": {"learning_rate": 0.0004}""", 6));
        for (AdversarialTrainer t : List.of(decayed, halved, full)) {
            t.train(IdxDatasets.load(config(tmp, "", 6).data()));
        }
        assertThat(decayed.generator().params().equals(halved.generator().params())).isTrue();
        assertThat(decayed.discriminator().params().equals(halved.discriminator().params())).isTrue();
        assertThat(decayed.generator().params().sub(full.generator().params()).amaxNumber().doubleValue())
                .isGreaterThan(1e-5);
    }

    @Test
    void aFactorOfZeroFreezesBothNetworksFromItsStep(@TempDir Path tmp) throws Exception {
        // f = 1 up to step 3, 0.5 at step 4, 0 from step 5: steps 5..8 leave G and D as step 4 left them
        String decay = "\"lr_decay\": {\"start_step\": 3, \"end_step\": 5}";
        AdversarialTrainer t = TestSupport.trainer(config(tmp, decay, 8));
        List<INDArray[]> after = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                after.add(new INDArray[] {t.generator().params(), t.discriminator().params()});
            }
        });
        t.train(IdxDatasets.load(config(tmp, "", 8).data()));
        assertThat(after).hasSize(8);
        for (int step = 2; step <= 8; step++) {
            INDArray[] before = after.get(step - 2);
            INDArray[] now = after.get(step - 1);
            boolean frozen = step >= 5;
            assertThat(now[0].equals(before[0])).as("G unchanged by step %d", step).isEqualTo(frozen);
            assertThat(now[1].equals(before[1])).as("D unchanged by step %d", step).isEqualTo(frozen);
        }
    }

    @Test
    void rolledBackRatesAndTheScheduleCompose(@TempDir Path tmp) throws Exception {
        AdversarialTrainer t = TestSupport.trainer(config(tmp, "\"discriminator\": {\"learning_rate\": 0.0008}", 1));
        Dl4jDiscriminator d = (Dl4jDiscriminator) t.discriminator();
        d.setLearningRateFactor(0.25);
        assertThat(rate(d)).isEqualTo(0.0002);
        d.scaleLearningRate(0.5);                        // a rollback: the configured rate halves
        assertThat(rate(d)).isEqualTo(0.0001);
        d.setLearningRateFactor(0.25);                   // the same factor again changes nothing
        assertThat(rate(d)).isEqualTo(0.0001);
        d.setLearningRateFactor(1);
        assertThat(rate(d)).isEqualTo(0.0004);
    }

    private static double rate(Dl4jDiscriminator d) {
        return ((Adam) d.network().getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W"))
                .getLearningRate();
    }

    @Test
    void aRunResumedInsideTheDecayEndsBitIdenticalToAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        String decay = "\"lr_decay\": {\"start_step\": 4, \"end_step\": 18, \"final_factor\": 0.1}";
        ConfigReader reader = new ConfigReader();
        GanRun.Result whole = new GanRun(config(tmp.resolve("a"), decay, 0), "a", reader).run();
        assertThat(whole.summary().steps()).isEqualTo(20);
        GanRun.Result first = new GanRun(config(tmp.resolve("b"), decay, 11), "b", reader).run();
        GanRun.Result rest = GanRun.resume(first.directory(), reader, c -> c.withTraining(new TrainingConfig(
                1, 32, 1, 1, 0L, 4))).run();
        assertThat(rest.summary().steps()).isEqualTo(20);
        assertThat(Arrays.equals(ModelFiles.loadGenerator(rest.generatorFile()).params().toFloatVector(),
                ModelFiles.loadGenerator(whole.generatorFile()).params().toFloatVector())).isTrue();
        assertThat(Arrays.equals(ModelFiles.loadDiscriminator(rest.discriminatorFile()).params().toFloatVector(),
                ModelFiles.loadDiscriminator(whole.discriminatorFile()).params().toFloatVector())).isTrue();
    }
}
