package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Shared fixtures: the MNIST files beside the checkout, and configs built from JSON. */
final class TestSupport {

    private TestSupport() {}

    /** {@code ../shared/data/mnist} beside the checkout, or {@code $JGAN_MNIST_DIR}. */
    static Path mnistDir() {
        String env = System.getenv("JGAN_MNIST_DIR");
        Path dir = env != null ? Path.of(env) : Path.of("..", "..", "shared", "data", "mnist").toAbsolutePath()
                .normalize();
        assertThat(dir.resolve("train-images-idx3-ubyte.gz"))
                .as("MNIST IDX files are expected in %s (set JGAN_MNIST_DIR to change)", dir).exists();
        return dir;
    }

    static GanConfig config(String json) throws ConfigException {
        return new ConfigReader().read(json, "test.json");
    }

    /** A trainer of {@code cfg}'s networks and options with the non-saturating loss and seed 4. */
    static dev.jgan.trainer.loop.AdversarialTrainer trainer(GanConfig cfg) throws Exception {
        ConfigReader reader = new ConfigReader();
        var data = dev.jgan.trainer.data.IdxDatasets.load(cfg.data());
        return new dev.jgan.trainer.loop.AdversarialTrainer(
                dev.jgan.trainer.run.GanRun.buildGenerator(cfg, reader.registry(), data.shape()),
                dev.jgan.trainer.run.GanRun.buildDiscriminator(cfg, reader.registry(), data.shape()),
                dev.jgan.api.Losses.nonSaturating(), cfg.latent(), cfg.training(), 4,
                dev.jgan.trainer.loop.TrainerOptions.from(cfg));
    }

    static Path copyOf(Path file, Path dir) throws Exception {
        Files.createDirectories(dir);
        return Files.copy(file, dir.resolve(file.getFileName()));
    }

    /** A small double-precision D (16 inputs, tanh hidden layer, one logit) for gradient checks. */
    static dev.jgan.dl4j.Dl4jDiscriminator smallDoubleDiscriminator() {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(3)
                .dataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .updater(new org.nd4j.linalg.learning.config.Sgd(0.1))
                .weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(16).nOut(12)
                        .activation(org.nd4j.linalg.activations.Activation.TANH).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(12).nOut(1)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY).build())
                .build();
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf);
        net.init();
        return new dev.jgan.dl4j.Dl4jDiscriminator("t", net, new dev.jgan.api.ImageShape(1, 4, 4));
    }

    /**
     * Checks every 7th entry of {@code analytic}, D's parameter gradient of a penalty, against central differences
     * of {@code penalty} (evaluated at D's current parameters); restores the parameters.
     */
    static void assertMatchesFiniteDifferences(dev.jgan.dl4j.Dl4jDiscriminator d,
                                               org.nd4j.linalg.api.ndarray.INDArray analytic,
                                               java.util.function.DoubleSupplier penalty) {
        var theta = d.params();
        double delta = 1e-5;
        int checked = 0;
        for (int k = 0; k < theta.length(); k += 7) {
            var plus = theta.dup();
            plus.putScalar(k, theta.getDouble(k) + delta);
            d.setParams(plus);
            double fPlus = penalty.getAsDouble();
            var minus = theta.dup();
            minus.putScalar(k, theta.getDouble(k) - delta);
            d.setParams(minus);
            double fMinus = penalty.getAsDouble();
            double numeric = (fPlus - fMinus) / (2 * delta);
            assertThat(analytic.getDouble(k)).as("parameter %d", k)
                    .isCloseTo(numeric, org.assertj.core.data.Offset.offset(0.02 * Math.abs(numeric) + 1e-4));
            checked++;
        }
        d.setParams(theta);
        assertThat(checked).isGreaterThan(25);
        assertThat(analytic.norm2Number().doubleValue()).isGreaterThan(1e-3);
    }
}
