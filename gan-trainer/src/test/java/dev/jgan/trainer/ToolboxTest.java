package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.TrainingConfig;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.loop.GradientPenalty;
import dev.jgan.trainer.loop.TrainerOptions;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.Conditioning;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageShape;
import dev.jgan.api.LatentSpace;
import dev.jgan.api.Losses;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.ModelFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Gradient penalty, generator EMA, conditional GAN, instance noise and the Wasserstein loss, end to end. */
class ToolboxTest {

    /** P(θ) = λ·mean((‖∇ₓD(x)‖ − 1)²), read through D's input gradient. */
    private static double penalty(Dl4jDiscriminator d, INDArray x, double lambda) {
        d.forward(x, true);
        INDArray g = d.inputGradient(Nd4j.ones(DataType.DOUBLE, x.size(0), 1)).reshape(x.size(0), 16);
        double sum = 0;
        for (double n : g.norm2(1).toDoubleVector()) {
            sum += (n - 1) * (n - 1);
        }
        return lambda * sum / x.size(0);
    }

    @Test
    void gradientPenaltyParameterGradientMatchesFiniteDifferences() {
        Dl4jDiscriminator d = TestSupport.smallDoubleDiscriminator();
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 1, 4, 4).muli(4).subi(2);
        double lambda = 10;

        // real = fake makes the interpolates x itself, whatever the random mixing weights
        double value = GradientPenalty.accumulate(d, x, x, null, lambda,
                Nd4j.getRandomFactory().getNewRandomInstance(1));
        assertThat(value).isCloseTo(penalty(d, x, lambda), org.assertj.core.data.Offset.offset(1e-9));
        INDArray analytic = d.network().getGradientsViewArray().dup();

        TestSupport.assertMatchesFiniteDifferences(d, analytic, () -> penalty(d, x, lambda));
    }

    private static GanConfig config(Path out, String extra, long maxSteps, String gType, String dType)
            throws Exception {
        return TestSupport.config("""
                {"seed": 4, "latent": {"size": 16},
                 "data": {"location": "%s", "limit": 640, "download": false},
                 "generator": {"type": "%s", "hidden": [32]},
                 "discriminator": {"type": "%s", "hidden": [32]},
                 "training": {"epochs": 2, "batch_size": 32, "max_steps": %d, "grid_size": 20%s},
                 "checkpoints": {"every_steps": 5, "keep": 2},
                 "output": {"directory": "%s", "name": "t"}%s}
                """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'), gType, dType, maxSteps,
                extra.contains("ema") ? ", \"ema_decay\": 0.9" : "", out.toString().replace('\\', '/'),
                extra.contains("ema") ? "" : extra));
    }

    @Test
    void emaFollowsItsRecurrenceAndResumesExactly(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        GanConfig cfg = config(tmp.resolve("a"), "ema", 12, "dense", "dense");
        assertThat(cfg.training().emaDecay()).isEqualTo(0.9);

        // the recurrence, checked against the trainer's average step by step
        var data = IdxDatasets.load(cfg.data());
        TrainableGenerator g = GanRun.buildGenerator(cfg, reader.registry(), data.shape());
        var d = GanRun.buildDiscriminator(cfg, reader.registry(), data.shape());
        AdversarialTrainer t = new AdversarialTrainer(g, d, Losses.nonSaturating(), cfg.latent(),
                cfg.training(), 4, TrainerOptions.from(cfg));
        List<INDArray> expected = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                INDArray p = g.params();
                expected.add(expected.isEmpty() ? p : expected.get(expected.size() - 1).mul(0.9).addi(p.mul(0.1)));
            }
        });
        t.train(data);
        INDArray average = t.averagedParams();
        assertThat(average.sub(expected.get(expected.size() - 1)).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(average.sub(g.params()).amaxNumber().doubleValue()).isGreaterThan(1e-4);
        // sampling uses the averaged weights and leaves the trained ones in place
        INDArray z = Nd4j.rand(DataType.FLOAT, 3, 16);
        INDArray trained = g.params();
        INDArray sampled = t.samplingGenerator().generate(z);
        assertThat(g.params()).isEqualTo(trained);
        g.setParams(average);
        assertThat(g.generate(z)).isEqualTo(sampled);

        // stop at 7, resume to 12: the averaged generator equals the uninterrupted run's
        GanRun.Result whole = new GanRun(cfg, "a", reader).run();
        GanConfig stopped = config(tmp.resolve("b"), "ema", 7, "dense", "dense");
        Path dir = new GanRun(stopped, "b", reader).run().directory();
        GanRun.Result resumed = GanRun.resume(dir, reader, c -> c.withTraining(new TrainingConfig(2, 32, 1, 1,
                12L, 20, 0.9))).run();
        assertThat(resumed.summary().steps()).isEqualTo(12);
        assertThat(ModelFiles.loadGenerator(resumed.generatorFile()).params())
                .isEqualTo(ModelFiles.loadGenerator(whole.generatorFile()).params());
        assertThat(ModelFiles.loadGenerator(resumed.directory().resolve("generator-raw.zip")).params())
                .isEqualTo(ModelFiles.loadGenerator(whole.directory().resolve("generator-raw.zip")).params());
        assertThat(ModelFiles.loadGenerator(whole.generatorFile()).params())
                .isNotEqualTo(ModelFiles.loadGenerator(whole.directory().resolve("generator-raw.zip")).params());
    }

    @Test
    void conditionalDenseAndDcganTrainSaveAndSampleByClass(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        for (String type : List.of("dense", "dcgan")) {
            String nets = type.equals("dense") ? "dense" : "dcgan";
            GanConfig cfg = TestSupport.config("""
                    {"seed": 4, "latent": {"size": 16},
                     "data": {"location": "%s", "limit": 320, "download": false},
                     "generator": {"type": "%s"}, "discriminator": {"type": "%s"},
                     "conditional": {"num_classes": 10},
                     "training": {"epochs": 1, "batch_size": 32, "max_steps": 3, "grid_size": 20},
                     "output": {"directory": "%s", "name": "%s"}}
                    """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'), nets, nets,
                    tmp.toString().replace('\\', '/'), type));
            GanRun.Result r = new GanRun(cfg, type, reader).run();
            assertThat(r.summary().steps()).isEqualTo(3);
            var grid = ImageIO.read(r.lastGrid().toFile());
            assertThat(grid.getHeight()).as("one row per class").isGreaterThan(grid.getWidth() * 4);
            Generator g = ModelFiles.loadGenerator(r.generatorFile());
            assertThat(g.numClasses()).isEqualTo(10);
            assertThat(ModelFiles.loadDiscriminator(r.discriminatorFile()).numClasses()).isEqualTo(10);
            INDArray noise = new LatentSpace(16, LatentSpace.Distribution.NORMAL).sample(4,
                    Nd4j.getRandomFactory().getNewRandomInstance(1));
            INDArray sevens = g.generate(noise, new int[] {7, 7, 7, 7});
            INDArray threes = g.generate(noise, new int[] {3, 3, 3, 3});
            assertThat(sevens.shape()).containsExactly(4, 1, 28, 28);
            assertThat(sevens).as("the label changes the image").isNotEqualTo(threes);
            assertThat(g.generate(Conditioning.generatorInput(noise, new int[] {7, 7, 7, 7}, 10)))
                    .isEqualTo(sevens);
        }
    }

    @Test
    void wassersteinWithPenaltyAndInstanceNoiseTrainsWithFiniteLosses(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        GanConfig cfg = config(tmp, ", \"loss\": {\"type\": \"wasserstein\", \"gradient_penalty\": 10, "
                + "\"n_critic\": 3, \"instance_noise\": 0.1, \"instance_noise_decay_steps\": 4}", 4, "dense",
                "dense");
        assertThat(TrainerOptions.training(cfg).discriminatorSteps()).isEqualTo(3);
        List<StepEvent> events = new ArrayList<>();
        GanRun run = new GanRun(cfg, "w", reader);
        run.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                events.add(e);
            }
        });
        GanRun.Result r = run.run();
        assertThat(r.summary().steps()).isEqualTo(4);
        assertThat(events).allSatisfy(e -> {
            assertThat(Double.isFinite(e.discriminatorLoss())).isTrue();
            assertThat(e.images()).isEqualTo(3 * 32); // three critic batches per generator step
        });
        assertThat(Arrays.stream(new double[] {events.get(0).discriminatorLoss()}).allMatch(Double::isFinite))
                .isTrue();
    }

    @Test
    void spectrallyNormalisedDiscriminatorsTrainThroughTheConfig(@TempDir Path tmp) throws Exception {
        ConfigReader reader = new ConfigReader();
        for (String type : List.of("dense", "dcgan")) {
            GanConfig cfg = TestSupport.config("""
                    {"seed": 4, "latent": {"size": 16},
                     "data": {"location": "%s", "limit": 320, "download": false},
                     "generator": {"type": "%s"}, "discriminator": {"type": "%s", "spectral_norm": true},
                     "training": {"epochs": 1, "batch_size": 32, "max_steps": 3, "grid_size": 4},
                     "output": {"directory": "%s", "name": "sn-%s"}}
                    """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'), type, type,
                    tmp.toString().replace('\\', '/'), type));
            var d = (Dl4jDiscriminator) GanRun.buildDiscriminator(cfg, reader.registry(), new ImageShape(1, 28, 28));
            assertThat(d.spectralNorms()).isNotEmpty();
            GanRun.Result r = new GanRun(cfg, type, reader).run();
            assertThat(r.summary().steps()).isEqualTo(3);
            assertThat(ModelFiles.readMetadata(r.discriminatorFile()).spectrallyNormalised()).isTrue();
            assertThat(Double.isFinite(r.summary().last() == null ? 0 : r.summary().last().discriminatorLoss()))
                    .isTrue();
        }
    }
}
