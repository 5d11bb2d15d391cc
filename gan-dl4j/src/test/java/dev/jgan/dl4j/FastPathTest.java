package dev.jgan.dl4j;

import dev.jgan.api.Kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.ImageShape;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

/** The fast dense path computes what DL4J's own layer code computes. */
class FastPathTest {

    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);

    private static MultiLayerNetwork generatorNet() {
        return generatorNet(12);
    }

    private static MultiLayerNetwork generatorNet(int width) {
        var conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-2, 0.5, 0.999, 1e-8))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(width).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(width).build())
                .layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nIn(width).nOut(16).activation(Activation.TANH).build())
                .build();
        return initialised(conf);
    }

    private static MultiLayerNetwork discriminatorNet() {
        return discriminatorNet(true);
    }

    private static MultiLayerNetwork discriminatorNet(boolean dropout) {
        var conf = new NeuralNetConfiguration.Builder().seed(8).updater(new Adam(1e-2, 0.5, 0.999, 1e-8))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(16).nOut(10).activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nIn(10).nOut(8).activation(new ActivationLReLU(0.2))
                        .dropOut(dropout ? new Dropout(0.7) : null).build())
                .layer(new DenseLayer.Builder().nIn(8).nOut(1).activation(Activation.IDENTITY)
                        .dropOut(dropout ? new Dropout(0.7) : null).build())
                .build();
        return initialised(conf);
    }

    private static MultiLayerNetwork initialised(org.deeplearning4j.nn.conf.MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static <T extends Dl4jNetwork> T withFastPath(boolean on, Supplier<T> make) {
        T net = make.get();
        net.useKernels(on ? Kernels.FAST : Kernels.REFERENCE);
        return net;
    }

    private static void assertClose(INDArray a, INDArray b) {
        assertClose(a, b, 1e-4);
    }

    private static void assertClose(INDArray a, INDArray b, double relative) {
        assertThat(a.shape()).isEqualTo(b.shape());
        double scale = Math.max(1e-3, b.amaxNumber().doubleValue());
        assertThat(a.sub(b).amaxNumber().doubleValue() / scale).isLessThan(relative);
    }

    @Test
    void generatorWithBatchNormMatchesDl4jOverSeveralSteps() {
        Dl4jGenerator fast = withFastPath(true, () -> new Dl4jGenerator("t", generatorNet(), 5, SHAPE));
        Dl4jGenerator dl4j = withFastPath(false, () -> new Dl4jGenerator("t", generatorNet(), 5, SHAPE));
        assertThat(fast.usesFastPath()).isTrue();
        assertThat(dl4j.usesFastPath()).isFalse();
        assertThat(fast.fastPathLayers()).containsExactly(0, 1, 2, 3); // dense, batch norm + activation, dense
        for (int step = 0; step < 3; step++) {
            INDArray z = Nd4j.rand(DataType.FLOAT, 6, 5).subi(0.5);
            INDArray eps = Nd4j.rand(DataType.FLOAT, 6, 1, 4, 4).subi(0.5);
            assertClose(fast.forward(z, true), dl4j.forward(z, true));
            // two accumulated backward passes, then one step
            assertClose(fast.backward(eps), dl4j.backward(eps));
            INDArray z2 = Nd4j.rand(DataType.FLOAT, 6, 5);
            fast.forward(z2, true);
            dl4j.forward(z2, true);
            assertClose(fast.backward(eps.mul(2)), dl4j.backward(eps.mul(2)));
            assertClose(fast.network().getGradientsViewArray(), dl4j.network().getGradientsViewArray());
            fast.step();
            dl4j.step();
            // The bias before batch norm has a zero gradient up to rounding, which Adam scales to +-lr; it then
            // shifts batch norm's running mean. Copy it across so the paths stay comparable.
            fast.network().getParam("0_b").assign(dl4j.network().getParam("0_b"));
            assertClose(fast.params(), dl4j.params());
            assertClose(fast.optimizerState(), dl4j.optimizerState(), 1e-3);
        }
        INDArray z = Nd4j.rand(DataType.FLOAT, 3, 5);
        assertClose(fast.generate(z), dl4j.generate(z));
    }

    @Test
    void discriminatorMatchesDl4jAndInputGradientLeavesPendingGradient() {
        Dl4jDiscriminator fast = withFastPath(true, () -> new Dl4jDiscriminator("t", discriminatorNet(false), SHAPE));
        Dl4jDiscriminator dl4j = withFastPath(false, () -> new Dl4jDiscriminator("t", discriminatorNet(false),
                SHAPE));
        assertThat(fast.usesFastPath()).isTrue();
        for (int step = 0; step < 3; step++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 6, 1, 4, 4).subi(0.5);
            INDArray eps = Nd4j.rand(DataType.FLOAT, 6, 1).subi(0.5);
            Nd4j.getRandom().setSeed(100 + step);
            INDArray a = fast.forward(x, true);
            Nd4j.getRandom().setSeed(100 + step);
            INDArray b = dl4j.forward(x, true);
            assertClose(a, b);
            fast.accumulate(eps); // parameter gradient only
            dl4j.backward(eps);
            assertClose(fast.network().getGradientsViewArray(), dl4j.network().getGradientsViewArray());
            INDArray pending = fast.network().getGradientsViewArray().dup();
            assertClose(fast.inputGradient(eps.mul(3)), dl4j.inputGradient(eps.mul(3)));
            assertThat(fast.network().getGradientsViewArray()).isEqualTo(pending);
            fast.step();
            dl4j.step();
            assertClose(fast.params(), dl4j.params());
        }
    }

    /**
     * DL4J lays its dropout mask out differently, so with dropout the two paths draw different masks; what must
     * hold is that backprop uses the forward pass's mask: the input gradient equals a finite difference of
     * sum(eps * D(x)) with the mask fixed by reseeding.
     */
    @Test
    void dropoutGradientMatchesFiniteDifferences() {
        Dl4jDiscriminator d = withFastPath(true, () -> new Dl4jDiscriminator("t", discriminatorNet(true), SHAPE));
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 1, 4, 4).subi(0.5).castTo(DataType.FLOAT);
        INDArray eps = Nd4j.create(new float[] {0.3f, -0.7f, 0.5f, 0.2f}, 4, 1);
        Nd4j.getRandom().setSeed(11);
        d.forward(x, true);
        INDArray grad = d.inputGradient(eps).reshape(4, 16);
        INDArray flat = x.reshape(4, 16).dup();
        double h = 1e-3;
        int checked = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 16; j += 3) {
                double[] f = new double[2];
                for (int s = 0; s < 2; s++) {
                    INDArray xp = flat.dup();
                    xp.putScalar(i, j, xp.getDouble(i, j) + (s == 0 ? h : -h));
                    Nd4j.getRandom().setSeed(11);
                    f[s] = d.forward(xp.reshape(4, 1, 4, 4), true).mul(eps).sumNumber().doubleValue();
                }
                double numeric = (f[0] - f[1]) / (2 * h);
                assertThat(grad.getDouble(i, j)).isCloseTo(numeric, org.assertj.core.data.Offset.offset(2e-3));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(24);
        assertThat(grad.amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    private static MultiLayerNetwork convNet() {
        var conf = new NeuralNetConfiguration.Builder().seed(9).updater(new Adam(1e-2, 0.5, 0.999, 1e-8))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder().nOut(8).kernelSize(4, 4)
                        .stride(2, 2).convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .activation(new ActivationLReLU(0.2)).build())
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder().nOut(4).kernelSize(3, 3)
                        .stride(2, 2).padding(1, 1).convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Truncate)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(8, 8, 2))
                .build();
        return initialised(conf);
    }

    @Test
    void convolutionalDiscriminatorMatchesDl4j() {
        // first layer (2 channels, k4) as im2col + GEMM; second (8 channels, TRUNCATE) on libnd4j's ops
        assertDiscriminatorMatchesDl4j(FastPathTest::convNet, new ImageShape(2, 8, 8), "1_b");
    }

    /** Convolutions with many input channels, and a few-channel one inside the network. */
    private static MultiLayerNetwork manyChannelConvNet() {
        var conf = new NeuralNetConfiguration.Builder().seed(10).updater(new Adam(1e-2, 0.5, 0.999, 1e-8))
                .weightInit(WeightInit.XAVIER).list()
                // 8 x 4 x 4 = 128 rows, 32 outputs: libnd4j's ops; the input gradient as GEMM + col2im
                .layer(conv(32, 4, 2, new ActivationLReLU(0.2)))
                // 32 x 4 x 4 rows, 8 outputs: its transposed convolution gives back the 4 x 4 input (oneDNN)
                .layer(conv(8, 4, 2, new ActivationLReLU(0.2)))
                // 8 x 2 x 2 = 32 rows: im2col + GEMM with parameter and input gradients, activation through ND4J;
                // SAME pads the bottom and right only
                .layer(conv(3, 2, 1, Activation.SIGMOID.getActivationFunction()))
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(8, 8, 8))
                .build();
        return initialised(conf);
    }

    private static ConvolutionLayer conv(int out, int kernel, int stride, IActivation act) {
        return new ConvolutionLayer.Builder().nOut(out).kernelSize(kernel, kernel)
                .stride(stride, stride).convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                .activation(act).build();
    }

    @Test
    void manyChannelConvolutionsMatchDl4j() {
        assertDiscriminatorMatchesDl4j(FastPathTest::manyChannelConvNet, new ImageShape(8, 8, 8), null);
    }

    /**
     * Backward (all gradients), accumulate (parameters only), input gradient only and Adam steps of a discriminator
     * on the fast path against DL4J's own. {@code preNormBias} names a bias right before batch norm: its gradient is
     * rounding noise that Adam magnifies, so it is copied over before parameters are compared.
     */
    private static void assertDiscriminatorMatchesDl4j(Supplier<MultiLayerNetwork> net, ImageShape shape,
                                                       String preNormBias) {
        Dl4jDiscriminator fast = withFastPath(true, () -> new Dl4jDiscriminator("t", net.get(), shape));
        Dl4jDiscriminator dl4j = withFastPath(false, () -> new Dl4jDiscriminator("t", net.get(), shape));
        long[] batch = {5, shape.channels(), shape.height(), shape.width()};
        for (int step = 0; step < 3; step++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, batch).subi(0.5);
            INDArray eps = Nd4j.rand(DataType.FLOAT, 5, 1).subi(0.5);
            assertClose(fast.forward(x, true), dl4j.forward(x, true));
            assertClose(fast.backward(eps), dl4j.backward(eps));
            assertClose(fast.network().getGradientsViewArray(), dl4j.network().getGradientsViewArray());
            INDArray x2 = Nd4j.rand(DataType.FLOAT, batch);
            fast.forward(x2, true);
            dl4j.forward(x2, true);
            fast.accumulate(eps.neg());
            dl4j.backward(eps.neg());
            assertClose(fast.network().getGradientsViewArray(), dl4j.network().getGradientsViewArray());
            // DL4J's own path needs a fresh forward pass before an input gradient after backprop
            fast.forward(x2, true);
            dl4j.forward(x2, true);
            assertClose(fast.inputGradient(eps), dl4j.inputGradient(eps));
            assertClose(fast.network().getGradientsViewArray(), dl4j.network().getGradientsViewArray());
            fast.step();
            dl4j.step();
            if (preNormBias != null) {
                fast.network().getParam(preNormBias).assign(dl4j.network().getParam(preNormBias));
            }
            assertClose(fast.params(), dl4j.params());
        }
    }

    /** A conditional D: {@code channels} image channels and 4 label planes, first convolution {@code kernel}, stride 2, SAME. */
    private static MultiLayerNetwork conditionalConvNet(int kernel, int channels) {
        var conf = new NeuralNetConfiguration.Builder().seed(12).updater(new Adam(1e-2, 0.5, 0.999, 1e-8))
                .weightInit(WeightInit.XAVIER).list()
                .layer(conv(6, kernel, 2, new ActivationLReLU(0.2)))
                .layer(conv(8, 3, 2, new ActivationLReLU(0.2)))
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(9, 8, channels + 4))
                .build();
        return initialised(conf);
    }

    /**
     * The label planes' part of a first convolution as a bias per class (kernels 4 and 3 on a 9x8 grey image: SAME
     * pads unequally on the odd side, and the border taps differ per row and column; these run through {@code
     * ColumnsConv} with the class biases added in its loop; kernel 5 on an RGB image through oneDNN's convolution):
     * outputs, input gradients of the image channels, parameter gradients (written and added) and Adam steps as
     * DL4J's convolution over all channels, with the labels changing between steps and batch sizes alternating
     * (the input buffer of each size is refilled where the labels changed).
     */
    @Test
    void labelPlanesAsClassBiasesMatchDl4j() {
        for (int[] kernelAndChannels : new int[][] {{4, 1}, {3, 1}, {5, 3}}) {
            int kernel = kernelAndChannels[0];
            int channels = kernelAndChannels[1];
            ImageShape shape = new ImageShape(channels, 9, 8);
            Dl4jDiscriminator fast = withFastPath(true,
                    () -> new Dl4jDiscriminator("t", conditionalConvNet(kernel, channels), shape, 4));
            Dl4jDiscriminator dl4j = withFastPath(false,
                    () -> new Dl4jDiscriminator("t", conditionalConvNet(kernel, channels), shape, 4));
            assertThat(fast.fastPathLayers()).contains(0);
            int[][] labelsPerStep = {{0, 3, 1, 3, 2, 0}, {0, 2, 1, 3, 3, 1}, {2, 2, 2, 0, 1, 3}};
            for (int step = 0; step < 3; step++) {
                INDArray oneHot = dev.jgan.api.Conditioning.oneHot(labelsPerStep[step], 4);
                INDArray x = Nd4j.rand(DataType.FLOAT, 6, channels, 9, 8).subi(0.5);
                INDArray eps = Nd4j.rand(DataType.FLOAT, 6, 1).subi(0.5);
                assertClose(fast.forward(x, oneHot, true), dl4j.forward(x, oneHot, true));
                assertClose(fast.backward(eps), dl4j.backward(eps));
                assertClose(fast.network().getGradientsViewArray(), dl4j.network().getGradientsViewArray());
                fast.forward(x.neg(), oneHot, true);
                dl4j.forward(x.neg(), oneHot, true);
                fast.accumulate(eps.neg());
                dl4j.backward(eps.neg());
                assertClose(fast.network().getGradientsViewArray(), dl4j.network().getGradientsViewArray());
                int[] firstFour = java.util.Arrays.copyOf(labelsPerStep[2 - step], 4);
                INDArray fewer = x.get(NDArrayIndex.interval(0, 4));
                INDArray fewerHot = dev.jgan.api.Conditioning.oneHot(firstFour, 4);
                INDArray fewerEps = eps.get(NDArrayIndex.interval(0, 4));
                assertClose(fast.forward(fewer, fewerHot, true), dl4j.forward(fewer, fewerHot, true));
                assertClose(fast.inputGradient(fewerEps), dl4j.inputGradient(fewerEps));
                fast.forward(x, oneHot, true);
                dl4j.forward(x, oneHot, true);
                assertClose(fast.inputGradient(eps), dl4j.inputGradient(eps));
                fast.step();
                dl4j.step();
                assertClose(fast.params(), dl4j.params());
            }
        }
    }

    @Test
    void labelPlanesReadRowMajorAndOtherLayoutsAlike() {
        MultiLayerNetwork rowMajor = conditionalConvNet(4, 1);
        MultiLayerNetwork other = conditionalConvNet(4, 1);
        rowMajor.initGradientsView();
        other.initGradientsView();
        var fastRows = dev.jgan.dl4j.fast.FastPath.of(rowMajor, 1, 4);
        var fastOther = dev.jgan.dl4j.fast.FastPath.of(other, 1, 4);
        int[] labels = {2, 0, 3, 3, 1};
        INDArray planes = Nd4j.zeros(DataType.FLOAT, 5, 4, 9, 8);
        for (int img = 0; img < labels.length; img++) {
            planes.get(NDArrayIndex.point(img), NDArrayIndex.point(labels[img])).assign(1);
        }
        INDArray input = Nd4j.concat(1, Nd4j.rand(DataType.FLOAT, 5, 1, 9, 8).subi(0.5), planes).dup('c');
        INDArray eps = Nd4j.rand(DataType.FLOAT, 5, 1).subi(0.5);
        assertThat(fastRows.forward(input)).isEqualTo(fastOther.forward(input.dup('f')));
        INDArray gradRows = fastRows.backward(eps, dev.jgan.dl4j.fast.ParameterGradient.WRITE,
                dev.jgan.dl4j.fast.InputGradient.COMPUTE);
        INDArray gradOther = fastOther.backward(eps, dev.jgan.dl4j.fast.ParameterGradient.WRITE,
                dev.jgan.dl4j.fast.InputGradient.COMPUTE);
        assertThat(gradRows.shape()).containsExactly(5, 1, 9, 8);
        assertThat(gradRows).isEqualTo(gradOther);
        assertThat(rowMajor.getGradientsViewArray()).isEqualTo(other.getGradientsViewArray());
        assertThat(rowMajor.getGradientsViewArray().getDouble(0)).isNotZero();
        INDArray unlabelled = input.dup('c');
        unlabelled.get(NDArrayIndex.point(3), NDArrayIndex.interval(1, 5)).assign(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fastRows.forward(unlabelled))
                .hasMessageContaining("image 3 has no one-hot label planes");
    }

    private static MultiLayerNetwork deconvNet(int kernel) {
        var conf = new NeuralNetConfiguration.Builder().seed(9).updater(new Adam(1e-2, 0.5, 0.999, 1e-8))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(5).nOut(18).activation(Activation.IDENTITY).build())
                .inputPreProcessor(1, new org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor(3, 3, 2))
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.Deconvolution2D.Builder().nOut(4)
                        .kernelSize(kernel, kernel).stride(2, 2)
                        .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .activation(new ActivationLReLU(0.2)).build())
                .layer(new BatchNormalization.Builder().build()) // alone: no activation layer after it
                // last layer (1 channel: GEMM + col2im): SAME k3 (padding 0 top, 1 bottom), TRUNCATE k4 p1, SAME k4
                .layer(new org.deeplearning4j.nn.conf.layers.Deconvolution2D.Builder().nOut(1)
                        .kernelSize(kernel == 3 ? 3 : 4, kernel == 3 ? 3 : 4).stride(2, 2).padding(kernel == 4 ? 1 : 0,
                                kernel == 4 ? 1 : 0)
                        .convolutionMode(kernel == 4 ? org.deeplearning4j.nn.conf.ConvolutionMode.Truncate
                                : org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                        .activation(Activation.TANH).build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(5))
                .build();
        return initialised(conf);
    }

    /**
     * Transposed convolutions run as convolution gradients, batch norm on rank-4 activations with and without a
     * fused activation: same outputs, gradients, running statistics and steps as DL4J's layers.
     */
    @Test
    void transposedConvolutionGeneratorMatchesDl4j() {
        ImageShape shape = new ImageShape(1, 12, 12);
        for (int kernel : new int[] {3, 4, 5}) {
            Dl4jGenerator fast = withFastPath(true, () -> new Dl4jGenerator("t", deconvNet(kernel), 5, shape));
            Dl4jGenerator dl4j = withFastPath(false, () -> new Dl4jGenerator("t", deconvNet(kernel), 5, shape));
            assertThat(fast.fastPathLayers()).containsExactly(0, 1, 2, 3, 4, 5);
            for (int step = 0; step < 3; step++) {
                INDArray z = Nd4j.rand(DataType.FLOAT, 6, 5).subi(0.5);
                INDArray eps = Nd4j.rand(DataType.FLOAT, 6, 1, 12, 12).subi(0.5);
                assertClose(fast.forward(z, true), dl4j.forward(z, true));
                assertClose(fast.backward(eps), dl4j.backward(eps));
                INDArray z2 = Nd4j.rand(DataType.FLOAT, 6, 5);
                fast.forward(z2, true);
                dl4j.forward(z2, true);
                assertClose(fast.backward(eps.mul(-2)), dl4j.backward(eps.mul(-2)));
                assertClose(fast.network().getGradientsViewArray(), dl4j.network().getGradientsViewArray());
                fast.step();
                dl4j.step();
                fast.network().getParam("0_b").assign(dl4j.network().getParam("0_b")); // before batch norm
                assertClose(fast.params(), dl4j.params());
            }
        }
    }

    /** Dropout done on the fast path keeps about the retain share of the inputs, scaled by 1 / retain, per row. */
    @Test
    void dropoutKeepsTheRetainShareScaled() {
        var conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().nIn(2000).nOut(1).activation(Activation.IDENTITY)
                        .dropOut(new Dropout(0.7)).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.getParam("0_W").assign(1);
        net.getParam("0_b").assign(0);
        Dl4jDiscriminator d = withFastPath(true, () -> new Dl4jDiscriminator("t", net, new ImageShape(1, 40, 50)));
        assertThat(d.fastPathLayers()).containsExactly(0);
        INDArray out = d.forward(Nd4j.ones(DataType.FLOAT, 4, 1, 40, 50), true);
        // each output is (kept inputs) / 0.7; kept ~ Binomial(2000, 0.7): 1400 +- 20.5
        for (int i = 0; i < 4; i++) {
            double kept = out.getDouble(i, 0) * 0.7;
            assertThat(kept).isBetween(1400 - 100.0, 1400 + 100.0);
            assertThat(Math.abs(kept - Math.rint(kept))).isLessThan(0.05);
        }
        assertThat(out.getDouble(0, 0)).isNotEqualTo(out.getDouble(1, 0));
    }

    /**
     * Adam in Java, including a block large enough to be split over two threads, steps as DL4J's updater does
     * (the output layer's sigmoid also runs the Java backward pass).
     */
    @Test
    void adamStepsMatchDl4jOnALargeBlock() {
        Supplier<MultiLayerNetwork> make = () -> {
            var conf = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-2, 0.5, 0.999, 1e-8))
                    .weightInit(WeightInit.XAVIER).list()
                    .layer(new DenseLayer.Builder().nIn(400).nOut(300).activation(new ActivationLReLU(0.2)).build())
                    .layer(new DenseLayer.Builder().nIn(300).nOut(1).activation(Activation.SIGMOID).build())
                    .build();
            return initialised(conf);
        };
        ImageShape shape = new ImageShape(1, 20, 20);
        Dl4jDiscriminator fast = withFastPath(true, () -> new Dl4jDiscriminator("t", make.get(), shape));
        Dl4jDiscriminator dl4j = withFastPath(false, () -> new Dl4jDiscriminator("t", make.get(), shape));
        assertThat(fast.usesFastAdam()).isTrue();
        assertThat(dl4j.usesFastAdam()).isFalse();
        for (int step = 0; step < 4; step++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 20, 20).subi(0.5);
            INDArray eps = Nd4j.rand(DataType.FLOAT, 8, 1).subi(0.5);
            fast.forward(x, true);
            dl4j.forward(x, true);
            fast.backward(eps);
            dl4j.backward(eps);
            fast.step();
            dl4j.step();
            assertClose(fast.params(), dl4j.params(), 1e-5);
            assertClose(fast.optimizerState(), dl4j.optimizerState(), 1e-5);
        }
    }

    /** Wide enough (24 x 4096 activations) that batch norm, bias and activation loops are split over threads. */
    @Test
    void wideGeneratorMatchesDl4j() {
        Dl4jGenerator fast = withFastPath(true, () -> new Dl4jGenerator("t", generatorNet(4096), 5, SHAPE));
        Dl4jGenerator dl4j = withFastPath(false, () -> new Dl4jGenerator("t", generatorNet(4096), 5, SHAPE));
        for (int step = 0; step < 2; step++) {
            INDArray z = Nd4j.rand(DataType.FLOAT, 24, 5).subi(0.5);
            INDArray eps = Nd4j.rand(DataType.FLOAT, 24, 1, 4, 4).subi(0.5);
            assertClose(fast.forward(z, true), dl4j.forward(z, true));
            assertClose(fast.backward(eps), dl4j.backward(eps));
            assertClose(fast.network().getGradientsViewArray(), dl4j.network().getGradientsViewArray());
            fast.step();
            dl4j.step();
            fast.network().getParam("0_b").assign(dl4j.network().getParam("0_b")); // before batch norm, see above
            assertClose(fast.params(), dl4j.params());
        }
    }
}
