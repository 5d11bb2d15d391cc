package dev.jgan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jgan.api.ImageDataset;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.data.DataConfig;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.config.TrainingConfig;
import java.nio.file.Path;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Reference values on real MNIST: the floor and the far references order as they must. */
class SampleMetricsTest {

    static Path mnist;
    static MnistClassifier classifier;
    static SampleMetrics metrics;
    static ImageDataset train;

    @BeforeAll
    static void setUp() throws Exception {
        String env = System.getenv("JGAN_MNIST_DIR");
        mnist = env != null ? Path.of(env) : Path.of("..", "..", "shared", "data", "mnist").toAbsolutePath().normalize();
        classifier = MnistClassifier.standard();
        ImageDataset test = IdxDatasets.load(new DataConfig("mnist", mnist, "test", false, null, 0));
        metrics = new SampleMetrics(classifier, test.images(), 1000, 5, 2000);
        train = IdxDatasets.load(new DataConfig("mnist", mnist, "train", false, null, 2000));
    }

    @Test
    void shippedClassifierIsAccurate() throws Exception {
        assertThat((double) classifier.provenance().get("test_accuracy")).isGreaterThanOrEqualTo(0.99);
        ImageDataset test = IdxDatasets.load(new DataConfig("mnist", mnist, "test", false, null, 2000));
        assertThat(classifier.accuracy(test)).isGreaterThan(0.98);
    }

    @Test
    void referencesOrderFromTheRealFloorToCollapseAndNoise() {
        INDArray real = train.images();
        SampleMetrics.Result floor = metrics.evaluate(real);
        SampleMetrics.Result repeated = metrics.evaluate(Nd4j.repeat(real.getRow(0, true), 2000).reshape(2000, 784));
        SampleMetrics.Result black = metrics.evaluate(Nd4j.valueArrayOf(new long[] {2000, 784}, -1f));
        SampleMetrics.Result noise = metrics.evaluate(Nd4j.rand(DataType.FLOAT, 2000, 784).muli(2).subi(1));
        System.out.printf("floor    %s%nrepeated %s%nblack    %s%nnoise    %s%n", floor, repeated, black, noise);

        assertThat(floor.modesCovered()).isEqualTo(10);
        assertThat(floor.classifierScore()).isGreaterThan(9.0);
        assertThat(floor.klFromUniform()).isLessThan(0.01);
        assertThat(floor.precision()).isGreaterThan(0.6);
        assertThat(floor.recall()).isGreaterThan(0.6);
        assertThat(floor.confidentShare()).isGreaterThan(0.95);
        for (SampleMetrics.Result far : new SampleMetrics.Result[] {repeated, black, noise}) {
            assertThat(far.frechetDistance()).isGreaterThan(10 * floor.frechetDistance());
            assertThat(far.kernelDistance()).isGreaterThan(10 * floor.kernelDistance());
            assertThat(far.recall()).isLessThan(0.05);
        }
        assertThat(repeated.modesCovered()).isEqualTo(1);
        assertThat(repeated.klFromUniform()).isCloseTo(Math.log(10), within(1e-9));
        assertThat(repeated.classifierScore()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void sameImagesScoreZeroDistance() {
        INDArray images = train.images().get(NDArrayIndex.interval(0, 500), NDArrayIndex.all());
        SampleMetrics self = new SampleMetrics(classifier, images, 200, 5, 500);
        SampleMetrics.Result r = self.evaluate(images);
        assertThat(r.frechetDistance()).isCloseTo(0, within(1e-3));
        assertThat(r.kernelDistance()).isLessThan(1e-3);
        assertThat(r.precision()).isEqualTo(1.0);
        assertThat(r.recall()).isEqualTo(1.0);
    }

    @Test
    void matrixSquareRootSquaresBack() {
        RealMatrix a = new Array2DRowRealMatrix(new double[][] {{4, 1, 0}, {1, 3, 0.5}, {0, 0.5, 2}});
        RealMatrix s = SampleMetrics.sqrtPsd(a);
        RealMatrix back = s.multiply(s);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(back.getEntry(i, j)).isCloseTo(a.getEntry(i, j), within(1e-10));
            }
        }
    }

    @Test
    void aModelTrainedLongerScoresBetterWithTheSameSeed() throws Exception {
        GanConfig c = new ConfigReader().read("""
                {"seed": 3,
                 "generator": {"type": "dense", "hidden": [128, 256]},
                 "discriminator": {"type": "dense", "hidden": [256, 128]},
                 "training": {"epochs": 20, "batch_size": 64}}
                """, "metrics-test.json");
        ImageDataset data = IdxDatasets.load(new DataConfig("mnist", mnist, "train", false, null, 10_000));
        double[] fd = new double[2];
        double[] kd = new double[2];
        long[] steps = {60, 400};
        for (int i = 0; i < 2; i++) {
            GanConfig run = c.withTraining(new TrainingConfig(20, 64, 1, 1, steps[i], 16));
            var g = GanRun.buildGenerator(run, NetworkRegistry.global(), data.shape());
            var t = new AdversarialTrainer(g, GanRun.buildDiscriminator(run, NetworkRegistry.global(), data.shape()),
                    run.loss().create(), run.latent(), run.training(), run.seed());
            t.train(data);
            INDArray samples = g.generate(run.latent().sample(2000, Nd4j.getRandomFactory().getNewRandomInstance(5)));
            SampleMetrics.Result r = metrics.evaluate(samples.reshape(2000, 784));
            fd[i] = r.frechetDistance();
            kd[i] = r.kernelDistance();
        }
        System.out.printf("after %d steps FD %.2f KD %.4f; after %d steps FD %.2f KD %.4f%n", steps[0], fd[0], kd[0],
                steps[1], fd[1], kd[1]);
        assertThat(fd[1]).isLessThan(0.95 * fd[0]);
        assertThat(kd[1]).isLessThan(0.95 * kd[0]);
    }
}
