package dev.jgan.conv;

import dev.jgan.api.BuildContext;
import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.ImageShape;
import dev.jgan.api.InvalidConfigException;
import dev.jgan.api.NetworkProvider;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.dl4j.NetworkSize;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The {@code "dcgan"} network type (Radford et al. 2015): convolutional generator and discriminator for any
 * C×H×W image whose sides are divisible by 2^(number of stages). Weights start from N(0, 0.02) as in the paper.
 */
public final class DcganNetworks implements NetworkProvider {

    public static final String TYPE = "dcgan";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<? extends Record> generatorSpec() {
        return DcganGeneratorSpec.class;
    }

    @Override
    public Class<? extends Record> discriminatorSpec() {
        return DcganDiscriminatorSpec.class;
    }

    @Override
    public TrainableGenerator createGenerator(Record spec, BuildContext ctx) {
        DcganGeneratorSpec s = (DcganGeneratorSpec) spec;
        ImageShape img = ctx.image();
        List<Integer> f = s.filters();
        int scale = 1 << f.size();
        if (img.height() % scale != 0 || img.width() % scale != 0) {
            throw new InvalidConfigException("filters", "at most as many entries as the image sides ("
                    + img.height() + "x" + img.width() + ") can be halved evenly", f);
        }
        int h0 = img.height() / scale;
        int w0 = img.width() / scale;
        var layers = base(ctx).list();
        layers.layer(new DenseLayer.Builder().nIn(ctx.latentSize() + ctx.numClasses()).nOut((long) f.get(0) * h0 * w0)
                .activation(s.batchNorm() ? Activation.IDENTITY : Activation.RELU).build());
        layers.inputPreProcessor(1, new FeedForwardToCnnPreProcessor(h0, w0, f.get(0)));
        if (s.batchNorm()) {
            normAndActivate(layers, Activation.RELU.getActivationFunction());
        }
        for (int i = 1; i <= f.size(); i++) {
            boolean last = i == f.size();
            int nOut = last ? img.channels() : f.get(i);
            IActivation act = last ? Activation.TANH.getActivationFunction()
                    : (s.batchNorm() ? Activation.IDENTITY : Activation.RELU).getActivationFunction();
            if (s.upsampling() == DcganGeneratorSpec.Upsampling.TRANSPOSED) {
                layers.layer(new Deconvolution2D.Builder().nOut(nOut).kernelSize(s.kernel(), s.kernel())
                        .stride(2, 2).convolutionMode(ConvolutionMode.Same).activation(act).build());
            } else {
                layers.layer(new Upsampling2D.Builder(2).build());
                layers.layer(new ConvolutionLayer.Builder().nOut(nOut).kernelSize(s.kernel(), s.kernel())
                        .stride(1, 1).convolutionMode(ConvolutionMode.Same).activation(act).build());
            }
            if (!last && s.batchNorm()) {
                normAndActivate(layers, Activation.RELU.getActivationFunction());
            }
        }
        layers.setInputType(InputType.feedForward(ctx.latentSize() + ctx.numClasses()));
        return new Dl4jGenerator(TYPE, init(layers), ctx.latentSize(), img, ctx.numClasses());
    }

    @Override
    public Discriminator createDiscriminator(Record spec, BuildContext ctx) {
        DcganDiscriminatorSpec s = (DcganDiscriminatorSpec) spec;
        ImageShape img = ctx.image();
        var lrelu = new ActivationLReLU(s.leakyRelu());
        var layers = base(ctx).list();
        for (int i = 0; i < s.filters().size(); i++) {
            boolean norm = s.batchNorm() && i > 0;
            layers.layer(new ConvolutionLayer.Builder().nOut(s.filters().get(i)).kernelSize(s.kernel(), s.kernel())
                    .stride(2, 2).convolutionMode(ConvolutionMode.Same)
                    .activation(norm ? Activation.IDENTITY.getActivationFunction() : lrelu).build());
            if (norm) {
                normAndActivate(layers, lrelu);
            }
        }
        layers.layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY)
                .dropOut(s.dropout() > 0 ? new Dropout(1 - s.dropout()) : null).build());
        // a conditional D sees one constant plane per class after the image's channels
        layers.setInputType(InputType.convolutional(img.height(), img.width(), img.channels() + ctx.numClasses()));
        return new Dl4jDiscriminator(TYPE, init(layers), img, ctx.numClasses(), s.spectralNorm(), ctx.seed());
    }

    /** BatchNormalization ignores an activation set on it, so the non-linearity is a layer of its own. */
    private static void normAndActivate(NeuralNetConfiguration.ListBuilder layers, IActivation activation) {
        layers.layer(new BatchNormalization.Builder().build());
        layers.layer(new ActivationLayer.Builder().activation(activation).build());
    }

    private static NeuralNetConfiguration.Builder base(BuildContext ctx) {
        var o = ctx.optimizer();
        return new NeuralNetConfiguration.Builder()
                .seed(ctx.seed())
                .updater(new Adam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon()))
                .weightInit(new WeightInitDistribution(new NormalDistribution(0, 0.02)));
    }

    /** Builds the network once its size is checked ({@link NetworkSize#MAX_PARAMETERS}). */
    private static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder layers) {
        return NetworkSize.init(layers.build(), "filters");
    }
}
