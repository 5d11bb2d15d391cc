package dev.jgan.trainer;

import dev.jgan.trainer.config.AugmentConfig;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.loop.DiffAugment;
import dev.jgan.trainer.loop.GradientPenalty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.dl4j.Dl4jDiscriminator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** R1, differentiable augmentation and the delayed EMA start do what their javadoc says. */
class TrainingOptionsTest {

    /** R1(θ) = (γ/2)·mean ‖∇ₓD(x)‖², read through D's input gradient. */
    private static double r1(Dl4jDiscriminator d, INDArray x, double gamma) {
        d.forward(x, true);
        INDArray g = d.inputGradient(Nd4j.ones(DataType.DOUBLE, x.size(0), 1)).reshape(x.size(0), 16);
        double sum = 0;
        for (double n : g.norm2(1).toDoubleVector()) {
            sum += n * n;
        }
        return gamma / 2 * sum / x.size(0);
    }

    @Test
    void r1ParameterGradientMatchesFiniteDifferences() {
        Dl4jDiscriminator d = TestSupport.smallDoubleDiscriminator();
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 1, 4, 4).muli(4).subi(2);
        double gamma = 5;

        double value = GradientPenalty.r1(d, x, null, gamma);
        assertThat(value).isCloseTo(r1(d, x, gamma), within(1e-9));
        INDArray analytic = d.network().getGradientsViewArray().dup();

        TestSupport.assertMatchesFiniteDifferences(d, analytic, () -> r1(d, x, gamma));
    }

    private static double dot(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).mul(b.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    @Test
    void augmentationGradientIsTheAdjointOfItsLinearPart() {
        DiffAugment aug = new DiffAugment(new AugmentConfig(0.25, 0.5));
        var draw = aug.draw(5, 8, 6, new Random(3));
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 2, 8, 6).muli(2).subi(1);
        INDArray y = Nd4j.rand(DataType.FLOAT, 5, 2, 8, 6).muli(2).subi(1);
        // T(x) = Mx + b: b = T(0), and <Mx, y> = <x, M'y>
        INDArray b = draw.apply(Nd4j.zeros(DataType.FLOAT, 5, 2, 8, 6));
        INDArray mx = draw.apply(x).sub(b);
        assertThat(dot(mx, y)).isCloseTo(dot(x, draw.adjoint(y)), within(1e-4));
        // linear part: T(x) - T(0) is linear in x
        INDArray twice = draw.apply(x.mul(2)).sub(b);
        assertThat(twice.equalsWithEps(mx.mul(2), 1e-6)).isTrue();
    }

    @Test
    void augmentationShiftsAndCutsAsDefined() {
        // one 1x5x5 image, shift only: pixel (y, x) of the output is pixel (y - dy, x - dx) of the input, else -1
        DiffAugment shift = new DiffAugment(new AugmentConfig(0.4, 0.0));
        INDArray x = Nd4j.arange(25).castTo(DataType.FLOAT).reshape(1, 1, 5, 5);
        boolean sawShift = false;
        for (int seed = 0; seed < 20; seed++) {
            var draw = shift.draw(1, 5, 5, new Random(seed));
            INDArray out = draw.apply(x);
            // find the shift from where input pixel 12 (the centre) went
            int at = -1;
            for (int i = 0; i < 25; i++) {
                if (out.getFloat(i) == 12f) {
                    at = i;
                }
            }
            assertThat(at).isNotNegative();
            int dy = at / 5 - 2;
            int dx = at % 5 - 2;
            assertThat(Math.abs(dy)).isLessThanOrEqualTo(2);
            assertThat(Math.abs(dx)).isLessThanOrEqualTo(2);
            sawShift |= dy != 0 || dx != 0;
            for (int yy = 0; yy < 5; yy++) {
                for (int xx = 0; xx < 5; xx++) {
                    int sy = yy - dy;
                    int sx = xx - dx;
                    float expected = sy < 0 || sy >= 5 || sx < 0 || sx >= 5 ? -1f : sy * 5 + sx;
                    assertThat(out.getFloat(yy * 5 + xx)).isEqualTo(expected);
                }
            }
        }
        assertThat(sawShift).isTrue();

        // cutout only: the pixels set to -1 form one square of side 2 clipped at the image edge, the rest unchanged
        DiffAugment cut = new DiffAugment(new AugmentConfig(0.0, 0.4));
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, 1, 5, 5);
        for (int seed = 0; seed < 20; seed++) {
            INDArray out = cut.draw(1, 5, 5, new Random(seed)).apply(ones);
            int cutCount = 0;
            int minY = 5, maxY = -1, minX = 5, maxX = -1;
            for (int i = 0; i < 25; i++) {
                if (out.getFloat(i) == -1f) {
                    cutCount++;
                    minY = Math.min(minY, i / 5);
                    maxY = Math.max(maxY, i / 5);
                    minX = Math.min(minX, i % 5);
                    maxX = Math.max(maxX, i % 5);
                } else {
                    assertThat(out.getFloat(i)).isEqualTo(1f);
                }
            }
            assertThat(cutCount).isBetween(1, 4);
            assertThat(cutCount).isEqualTo((maxY - minY + 1) * (maxX - minX + 1));
        }
    }

    private static GanConfig config(Path out, String training) throws Exception {
        return config(out, training, "");
    }

    private static GanConfig config(Path out, String training, String sections) throws Exception {
        return TestSupport.config("""
                {"seed": 4, "latent": {"size": 16},
                 "data": {"location": "%s", "limit": 640, "download": false},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32], "dropout": 0},
                 "training": {"epochs": 1, "batch_size": 32, "max_steps": 8, "grid_size": 4%s},
                 "output": {"directory": "%s", "name": "t"}%s}
                """.formatted(TestSupport.mnistDir().toString().replace('\\', '/'), training,
                out.toString().replace('\\', '/'), sections));
    }

    @Test
    void emaEqualsTheWeightsUntilItsStartAndAveragesAfter(@TempDir Path tmp) throws Exception {
        GanConfig cfg = config(tmp, ", \"ema_decay\": 0.9, \"ema_start\": 4");
        assertThat(cfg.training().emaStart()).isEqualTo(4);
        assertAverageFollows(cfg, 4, step -> 0.9);
    }

    @Test
    void emaWarmupShortensTheDecayOfTheFirstUpdates(@TempDir Path tmp) throws Exception {
        GanConfig cfg = config(tmp, ", \"ema_decay\": 0.5, \"ema_start\": 2, \"ema_warmup\": 4");
        // n-th update after the start: min(0.5, (1 + n) / (4 + n)) = 0.4, 0.5, 0.5, ...
        assertAverageFollows(cfg, 2, step -> Math.min(0.5, (1.0 + step - 2) / (4 + step - 2)));
    }

    /** The average equals G's weights up to {@code start}, then follows θ̄ ← d·θ̄ + (1 − d)·θ with d = decay(step). */
    private static void assertAverageFollows(GanConfig cfg, long start, java.util.function.LongToDoubleFunction decay)
            throws Exception {
        AdversarialTrainer t = TestSupport.trainer(cfg);
        List<double[]> gaps = new ArrayList<>();
        List<INDArray> previous = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent e) {
                INDArray p = t.generator().params();
                INDArray avg = t.averagedParams();
                double d = decay.applyAsDouble(e.step());
                INDArray expected = e.step() <= start ? p : previous.get(0).mul(d).addi(p.mul(1 - d));
                gaps.add(new double[] {e.step(), avg.sub(expected).amaxNumber().doubleValue(),
                        avg.sub(p).amaxNumber().doubleValue()});
                previous.clear();
                previous.add(avg);
            }
        });
        t.train(IdxDatasets.load(cfg.data()));
        assertThat(gaps).hasSize(8);
        for (double[] g : gaps) {
            assertThat(g[1]).as("step %s: average vs recurrence", g[0]).isLessThan(1e-6);
            if (g[0] <= start) {
                assertThat(g[2]).as("step %s: average = weights", g[0]).isZero();
            } else {
                assertThat(g[2]).as("step %s: average differs from weights", g[0]).isGreaterThan(1e-6);
            }
        }
    }

    @Test
    void augmentationAndR1ChangeTrainingAndRepeatExactly(@TempDir Path tmp) throws Exception {
        String both = ", \"augment\": {\"translation\": 0.125, \"cutout\": 0.5}, "
                + "\"loss\": {\"r1\": 1, \"r1_interval\": 2}";
        INDArray plain = trainedD(config(tmp.resolve("p"), ""));
        INDArray withBoth = trainedD(config(tmp.resolve("a"), "", both));
        INDArray again = trainedD(config(tmp.resolve("b"), "", both));
        assertThat(withBoth.equals(again)).as("same seed, same result").isTrue();
        assertThat(withBoth.sub(plain).amaxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    private static INDArray trainedD(GanConfig cfg) throws Exception {
        AdversarialTrainer t = TestSupport.trainer(cfg);
        t.train(IdxDatasets.load(cfg.data()));
        return t.discriminator().params();
    }
}
