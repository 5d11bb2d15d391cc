package dev.jgan.dense;

import dev.jgan.api.BuildContext;
import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.NetworkProvider;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.dl4j.NetworkSize;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.learning.config.Adam;

/** The {@code "dense"} network type: fully connected generator and discriminator. */
public final class DenseNetworks implements NetworkProvider {

    public static final String TYPE = "dense";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<? extends Record> generatorSpec() {
        return DenseGeneratorSpec.class;
    }

    @Override
    public Class<? extends Record> discriminatorSpec() {
        return DenseDiscriminatorSpec.class;
    }

    @Override
    public TrainableGenerator createGenerator(Record spec, BuildContext ctx) {
        DenseGeneratorSpec s = (DenseGeneratorSpec) spec;
        var layers = base(ctx).list();
        int nIn = ctx.latentSize() + ctx.numClasses();
        for (int h : s.hidden()) {
            addHidden(layers, nIn, h, s.leakyRelu(), s.batchNorm(), 0);
            nIn = h;
        }
        layers.layer(new DenseLayer.Builder().nIn(nIn).nOut(ctx.image().size()).activation(Activation.TANH)
                .dropOut(retain(s.dropout())).build());
        return new Dl4jGenerator(TYPE, init(layers), ctx.latentSize(), ctx.image(), ctx.numClasses());
    }

    @Override
    public Discriminator createDiscriminator(Record spec, BuildContext ctx) {
        DenseDiscriminatorSpec s = (DenseDiscriminatorSpec) spec;
        var layers = base(ctx).list();
        int nIn = ctx.image().size() + ctx.numClasses();
        boolean first = true;
        for (int h : s.hidden()) {
            addHidden(layers, nIn, h, s.leakyRelu(), s.batchNorm() && !first, first ? 0 : s.dropout());
            nIn = h;
            first = false;
        }
        layers.layer(new DenseLayer.Builder().nIn(nIn).nOut(1).activation(Activation.IDENTITY)
                .dropOut(retain(s.dropout())).build());
        return new Dl4jDiscriminator(TYPE, init(layers), ctx.image(), ctx.numClasses(), s.spectralNorm(), ctx.seed());
    }

    private static NeuralNetConfiguration.Builder base(BuildContext ctx) {
        var o = ctx.optimizer();
        return new NeuralNetConfiguration.Builder()
                .seed(ctx.seed())
                .updater(new Adam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon()))
                .weightInit(WeightInit.XAVIER);
    }

    /** Dense → (batch norm) → LeakyReLU; dropout, when on, applies to the layer's input. */
    private static void addHidden(NeuralNetConfiguration.ListBuilder layers, int nIn, int nOut, double slope,
                                  boolean batchNorm, double dropout) {
        var lrelu = new ActivationLReLU(slope);
        if (batchNorm) {
            layers.layer(new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(Activation.IDENTITY)
                    .dropOut(retain(dropout)).build());
            // BatchNormalization ignores an activation set on it: the non-linearity needs its own layer.
            layers.layer(new BatchNormalization.Builder().nOut(nOut).build());
            layers.layer(new ActivationLayer.Builder().activation(lrelu).build());
        } else {
            layers.layer(new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(lrelu).dropOut(retain(dropout))
                    .build());
        }
    }

    /** DL4J's dropout takes the probability of keeping a unit; 1 keeps all (no dropout). */
    private static Dropout retain(double dropProbability) {
        return dropProbability > 0 ? new Dropout(1 - dropProbability) : null;
    }

    /** Builds the network once its size is checked ({@link NetworkSize#MAX_PARAMETERS}). */
    private static MultiLayerNetwork init(NeuralNetConfiguration.ListBuilder layers) {
        return NetworkSize.init(layers.build(), "hidden");
    }
}
