package dev.jgan.conv;

import dev.jgan.api.BuildContext;
import dev.jgan.api.Discriminator;
import dev.jgan.api.ImageShape;
import dev.jgan.api.InvalidConfigException;
import dev.jgan.api.NetworkProvider;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.dl4j.NetworkSize;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The {@code "resnet"} network type: residual generator and discriminator in the style of SNGAN (Miyato et al.
 * 2018, appendix B), as DL4J {@link ComputationGraph}s, for any C×H×W image whose sides are divisible by 2^blocks.
 * Up-block: BN, ReLU, 2× nearest upsampling, 3×3 conv, BN, ReLU, 3×3 conv, plus the upsampled input through a 1×1
 * conv. Down-block: (ReLU,) 3×3 conv, ReLU, 3×3 conv, 2×2 average pooling, plus the pooled input through a 1×1 conv.
 * Graphs train on DL4J's own layer code (the CPU fast path covers multi-layer networks only).
 */
public final class ResnetNetworks implements NetworkProvider {

    public static final String TYPE = "resnet";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<? extends Record> generatorSpec() {
        return ResnetGeneratorSpec.class;
    }

    @Override
    public Class<? extends Record> discriminatorSpec() {
        return ResnetDiscriminatorSpec.class;
    }

    @Override
    public TrainableGenerator createGenerator(Record spec, BuildContext ctx) {
        ResnetGeneratorSpec s = (ResnetGeneratorSpec) spec;
        ImageShape img = ctx.image();
        int scale = divisor(img, s.upsamples(), "upsamples");
        int c = s.channels();
        int in = ctx.latentSize() + ctx.numClasses();
        GraphBuilder g = base(ctx).graphBuilder().addInputs("z").setInputTypes(InputType.feedForward(in));
        g.addLayer("fc", new DenseLayer.Builder().nIn(in).nOut((long) c * (img.height() / scale)
                * (img.width() / scale)).activation(Activation.IDENTITY).build(), "z");
        g.addVertex("map", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(img.height() / scale,
                img.width() / scale, c)), "fc");
        String x = "map";
        for (int b = 1; b <= s.upsamples(); b++) {
            String p = "up" + b + "_";
            g.addLayer(p + "bn1", new BatchNormalization.Builder().build(), x);
            g.addLayer(p + "relu1", relu(), p + "bn1");
            g.addLayer(p + "up", new Upsampling2D.Builder(2).build(), p + "relu1");
            g.addLayer(p + "conv1", conv(3, c, Activation.IDENTITY), p + "up");
            g.addLayer(p + "bn2", new BatchNormalization.Builder().build(), p + "conv1");
            g.addLayer(p + "relu2", relu(), p + "bn2");
            g.addLayer(p + "conv2", conv(3, c, Activation.IDENTITY), p + "relu2");
            g.addLayer(p + "skip_up", new Upsampling2D.Builder(2).build(), x);
            g.addLayer(p + "skip", conv(1, c, Activation.IDENTITY), p + "skip_up");
            g.addVertex(p + "sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), p + "conv2", p + "skip");
            x = p + "sum";
        }
        g.addLayer("bn", new BatchNormalization.Builder().build(), x);
        g.addLayer("relu", relu(), "bn");
        g.addLayer("image", conv(3, img.channels(), Activation.TANH), "relu");
        g.setOutputs("image");
        return new Dl4jGenerator(TYPE, init(g), ctx.latentSize(), img, ctx.numClasses());
    }

    @Override
    public Discriminator createDiscriminator(Record spec, BuildContext ctx) {
        ResnetDiscriminatorSpec s = (ResnetDiscriminatorSpec) spec;
        ImageShape img = ctx.image();
        divisor(img, s.downsamples(), "downsamples");
        int c = s.channels();
        // a conditional D sees one constant plane per class after the image's channels
        GraphBuilder g = base(ctx).graphBuilder().addInputs("x").setInputTypes(
                InputType.convolutional(img.height(), img.width(), img.channels() + ctx.numClasses()));
        String x = "x";
        for (int b = 1; b <= s.downsamples() + 1; b++) {
            String p = "down" + b + "_";
            boolean first = b == 1;
            boolean pool = b <= s.downsamples();
            String in = x;
            if (!first) {
                // the first block sees the image itself, the others ReLU of the previous block's sum
                g.addLayer(p + "relu0", relu(), x);
                in = p + "relu0";
            }
            g.addLayer(p + "conv1", conv(3, c, Activation.RELU), in);
            g.addLayer(p + "conv2", conv(3, c, Activation.IDENTITY), p + "conv1");
            String main = p + "conv2";
            String skip = x;
            if (pool) {
                g.addLayer(p + "pool", avgPool(), main);
                main = p + "pool";
                g.addLayer(p + "skip_pool", avgPool(), x);
                skip = p + "skip_pool";
            }
            if (pool || first) {
                g.addLayer(p + "skip", conv(1, c, Activation.IDENTITY), skip);
                skip = p + "skip";
            }
            g.addVertex(p + "sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), main, skip);
            x = p + "sum";
        }
        g.addLayer("relu", relu(), x);
        g.addLayer("sum", new GlobalPoolingLayer.Builder(PoolingType.SUM).build(), "relu");
        g.addLayer("logit", new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build(), "sum");
        g.setOutputs("logit");
        return new Dl4jDiscriminator(TYPE, init(g), img, ctx.numClasses(), s.spectralNorm(), ctx.seed());
    }

    private static int divisor(ImageShape img, int blocks, String field) {
        int scale = 1 << blocks;
        if (img.height() % scale != 0 || img.width() % scale != 0) {
            throw new InvalidConfigException(field, "at most as many blocks as the image sides (" + img.height()
                    + "x" + img.width() + ") can be halved evenly", blocks);
        }
        return scale;
    }

    private static ConvolutionLayer conv(int kernel, int nOut, Activation activation) {
        return new ConvolutionLayer.Builder().nOut(nOut).kernelSize(kernel, kernel).stride(1, 1)
                .convolutionMode(ConvolutionMode.Same).activation(activation).build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    private static SubsamplingLayer avgPool() {
        return new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build();
    }

    private static NeuralNetConfiguration.Builder base(BuildContext ctx) {
        var o = ctx.optimizer();
        return new NeuralNetConfiguration.Builder()
                .seed(ctx.seed())
                .updater(new Adam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon()))
                .weightInit(WeightInit.XAVIER_UNIFORM);
    }

    /** Builds the graph once its size is checked ({@link NetworkSize#MAX_PARAMETERS}). */
    private static ComputationGraph init(GraphBuilder g) {
        return NetworkSize.init(g.build(), "channels");
    }
}
