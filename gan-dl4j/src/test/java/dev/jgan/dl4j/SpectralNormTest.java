package dev.jgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.ImageShape;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** Spectral normalisation: unit spectral norm, the gradient through W/σ(W), save and load. */
class SpectralNormTest {

    private static final ImageShape SHAPE = new ImageShape(1, 3, 3);

    private static MultiLayerNetwork net(DataType type, double lr) {
        var conf = new NeuralNetConfiguration.Builder().seed(11).dataType(type).updater(new Sgd(lr))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(9).nOut(7).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(7).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        n.getLayer(0).getParam("W").muli(3); // a spectral norm well away from 1
        return n;
    }

    /** Largest singular value by many power iterations, in double precision. */
    private static double sigma(INDArray w) {
        INDArray m = w.castTo(DataType.DOUBLE);
        INDArray v = Nd4j.ones(DataType.DOUBLE, m.columns(), 1);
        for (int i = 0; i < 500; i++) {
            v = m.transpose().mmul(m.mmul(v));
            v.divi(v.norm2Number());
        }
        return m.mmul(v).norm2Number().doubleValue();
    }

    @Test
    void layersComputeWithUnitSpectralNormAndParamsAreTheRawWeights(@TempDir Path tmp) throws Exception {
        MultiLayerNetwork n = net(DataType.FLOAT, 0.1);
        INDArray raw = n.getLayer(0).getParam("W").dup();
        Dl4jDiscriminator d = new Dl4jDiscriminator("t", n, SHAPE, 0, true, 1);
        assertThat(sigma(raw)).isGreaterThan(1.5);
        assertThat(sigma(n.getLayer(0).getParam("W"))).isCloseTo(1.0, Offset.offset(0.01));
        assertThat(d.spectralNorms()[0]).isCloseTo(sigma(raw), Offset.offset(0.02 * sigma(raw)));
        // params() are the trainable raw weights; the file keeps them and says how to use them
        assertThat(d.params().reshape(d.params().length()).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 63)))
                .isEqualTo(raw.reshape('f', new long[] {63}));
        Path file = tmp.resolve("d.zip");
        d.save(file, new dev.jgan.api.ModelMetadata("discriminator", "t", 0, SHAPE, 1, null));
        var loaded = ModelFiles.loadDiscriminator(file);
        assertThat(ModelFiles.readMetadata(file).spectrallyNormalised()).isTrue();
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 3, 3);
        assertThat(loaded.logits(x).sub(d.logits(x)).amaxNumber().doubleValue()).isLessThan(1e-4);
        // training keeps the normalisation
        for (int i = 0; i < 5; i++) {
            d.forward(x, true);
            d.backward(Nd4j.ones(DataType.FLOAT, 4, 1).divi(4));
            d.step();
            assertThat(sigma(n.getLayer(0).getParam("W"))).isCloseTo(1.0, Offset.offset(0.05));
        }
    }

    @Test
    void rawGradientMatchesFiniteDifferencesThroughTheNormalisation() {
        // one SGD step with rate 1 moves the raw weights by exactly their gradient
        MultiLayerNetwork n = net(DataType.DOUBLE, 1.0);
        Dl4jDiscriminator d = new Dl4jDiscriminator("t", n, SHAPE, 0, true, 1);
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 1, 3, 3).subi(0.5);
        INDArray eps = Nd4j.rand(DataType.DOUBLE, 5, 1).subi(0.5);
        SpectralNorm sn = spectralOf(d);
        INDArray rawBefore = d.params();

        // L(W) = sum(eps * D(x)) with every layer computing W/σ(W), σ = uᵀWv for the current u, v
        double delta = 1e-6;
        double[] numeric = new double[6];
        int[] indices = {0, 5, 17, 40, 62, 70};
        for (int j = 0; j < indices.length; j++) {
            double[] f = new double[2];
            for (int s = 0; s < 2; s++) {
                INDArray p = rawBefore.dup();
                p.putScalar(indices[j], p.getDouble(indices[j]) + (s == 0 ? delta : -delta));
                f[s] = sn.lossWithFixedVectors(n, p, () -> d.forward(x, true).mul(eps).sumNumber().doubleValue());
            }
            numeric[j] = (f[0] - f[1]) / (2 * delta);
        }
        d.forward(x, true);
        d.backward(eps);
        d.step();
        INDArray moved = rawBefore.sub(d.params());
        for (int j = 0; j < indices.length; j++) {
            assertThat(moved.getDouble(indices[j])).as("parameter %d", indices[j])
                    .isCloseTo(numeric[j], Offset.offset(1e-5 + 1e-4 * Math.abs(numeric[j])));
        }
    }

    private static SpectralNorm spectralOf(Dl4jDiscriminator d) throws RuntimeException {
        try {
            var f = Dl4jNetwork.class.getDeclaredField("spectral");
            f.setAccessible(true);
            return (SpectralNorm) f.get(d);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
