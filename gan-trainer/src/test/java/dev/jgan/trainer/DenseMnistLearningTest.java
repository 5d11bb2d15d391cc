package dev.jgan.trainer;

import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.run.GanRun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageDataset;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * End to end on real MNIST: a small dense GAN trained for a bounded number of steps must learn measurably. Its
 * samples' pixel statistics must move toward the data's, and D's advantage must first open (D learns to tell real
 * from fake) and then close (G catches up).
 */
class DenseMnistLearningTest {

    /** Pixel statistics of a batch of [-1, 1] images. */
    record Stats(double mean, double background, double ink) {
        static Stats of(INDArray images) {
            float[] v = images.dup('c').data().asFloat();
            double sum = 0;
            int bg = 0;
            int ink = 0;
            for (float x : v) {
                sum += x;
                if (x < -0.5f) {
                    bg++;
                } else if (x > 0.5f) {
                    ink++;
                }
            }
            return new Stats(sum / v.length, (double) bg / v.length, (double) ink / v.length);
        }
    }

    @Test
    void denseGanLearnsMnistStatisticsInBoundedSteps() throws Exception {
        GanConfig c = TestSupport.config("""
                {"seed": 7,
                 "data": {"type": "mnist", "location": "%s", "limit": 20000, "download": false},
                 "generator": {"type": "dense", "hidden": [128, 256]},
                 "discriminator": {"type": "dense", "hidden": [256, 128]},
                 "training": {"epochs": 1, "batch_size": 64, "max_steps": 300}}
                """.formatted(TestSupport.mnistDir().toString().replace('\\', '/')));
        ImageDataset data = IdxDatasets.load(c.data());
        TrainableGenerator g = GanRun.buildGenerator(c, NetworkRegistry.global(), data.shape());
        AdversarialTrainer trainer = new AdversarialTrainer(g,
                GanRun.buildDiscriminator(c, NetworkRegistry.global(), data.shape()), c.loss().create(), c.latent(),
                c.training(), c.seed());
        INDArray noise = c.latent().sample(512, Nd4j.getRandomFactory().getNewRandomInstance(99));
        Stats real = Stats.of(data.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 512)));
        INDArray realImages = data.images().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 512));
        INDArray g0 = g.generate(noise);
        Stats before = Stats.of(g0);
        List<StepEvent> steps = new ArrayList<>();
        trainer.addListener(new TrainingListener() {
            @Override
            public void onStep(StepEvent event) {
                steps.add(event);
            }
        });

        var summary = trainer.train(data);
        Stats after = Stats.of(g.generate(noise));

        System.out.printf("real %s%nbefore %s%nafter %s%n", real, before, after);
        assertThat(summary.steps()).isEqualTo(300);
        assertThat(Math.abs(after.mean() - real.mean()))
                .as("mean intensity moves toward the data's")
                .isLessThan(0.5 * Math.abs(before.mean() - real.mean()));
        assertThat(after.background()).as("most pixels become background, as in MNIST")
                .isGreaterThan(0.5).isGreaterThan(before.background() + 0.3);
        double layoutBefore = correlation(meanImage(g0), meanImage(realImages));
        double layoutAfter = correlation(meanImage(g.generate(noise)), meanImage(realImages));
        System.out.printf("mean-image correlation with the data's: before %.3f, after %.3f%n", layoutBefore,
                layoutAfter);
        assertThat(layoutAfter).as("ink gathers where MNIST strokes are (centre), as in the data's mean image")
                .isGreaterThan(0.8).isGreaterThan(layoutBefore + 0.3);

        double earlyGap = gap(steps.subList(0, 100)).stream().mapToDouble(x -> x).max().orElseThrow();
        double lateGap = gap(steps.subList(250, 300)).stream().mapToDouble(x -> x).average().orElseThrow();
        System.out.printf("D(x) - D(G(z)): early max %.3f, late mean %.3f%n", earlyGap, lateGap);
        assertThat(earlyGap).as("D first tells real from fake").isGreaterThan(0.3);
        assertThat(lateGap).as("then G catches up and D's advantage shrinks").isLessThan(earlyGap - 0.15);
    }

    /** Per-pixel mean over the batch, as a flat vector. */
    private static double[] meanImage(INDArray images) {
        return images.reshape(images.size(0), -1).mean(0).toDoubleVector();
    }

    private static double correlation(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElseThrow();
        double mb = java.util.Arrays.stream(b).average().orElseThrow();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb + 1e-12);
    }

    /** D(x) − D(G(z)) smoothed over 10 steps. */
    private static List<Double> gap(List<StepEvent> steps) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i + 10 <= steps.size(); i++) {
            double s = 0;
            for (StepEvent e : steps.subList(i, i + 10)) {
                s += e.realScore() - e.fakeScore();
            }
            out.add(s / 10);
        }
        return out;
    }
}
