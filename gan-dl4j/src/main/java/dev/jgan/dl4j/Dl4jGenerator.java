package dev.jgan.dl4j;

import dev.jgan.api.Generator;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.ImageShape;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import dev.jgan.api.ModelMetadata;
import java.util.Arrays;

/**
 * Any DL4J {@link MultiLayerNetwork} or {@link ComputationGraph} (one input, one output) as a {@link Generator}: it
 * takes {@code [n, latentSize]} and may produce either {@code [n, C·H·W]} rows or NCHW images; both are returned as
 * NCHW.
 */
public final class Dl4jGenerator extends Dl4jNetwork implements TrainableGenerator {

    private final int latentSize;
    private final int numClasses;
    private final ImageShape imageShape;
    private long[] lastOutputShape;

    /**
     * @param type the registered type name the network was built for
     * @param net an initialised {@link MultiLayerNetwork} or {@link ComputationGraph} ending in a layer without a loss (tanh output for images in [-1, 1])
     * @param latentSize length of its input vectors
     * @param imageShape shape of one generated image
     */
    public Dl4jGenerator(String type, Model net, int latentSize, ImageShape imageShape) {
        this(type, net, latentSize, imageShape, 0);
    }

    /**
     * A conditional generator: {@code net} takes {@code [n, latentSize + numClasses]}, noise then one-hot label.
     */
    public Dl4jGenerator(String type, Model net, int latentSize, ImageShape imageShape, int numClasses) {
        super(type, net);
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be >= 0, got " + numClasses);
        }
        this.numClasses = numClasses;
        if (latentSize < 1) {
            throw new IllegalArgumentException("latent size must be >= 1, got " + latentSize);
        }
        this.latentSize = latentSize;
        this.imageShape = imageShape;
    }

    @Override
    public int latentSize() {
        return latentSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public ImageShape imageShape() {
        return imageShape;
    }

    @Override
    String role() {
        return ModelMetadata.GENERATOR;
    }

    @Override
    INDArray toNetwork(INDArray latent) {
        if (latent.rank() != 2 || latent.columns() != latentSize + numClasses) {
            throw new IllegalArgumentException("generator input must be [n, " + (latentSize + numClasses) + "]"
                    + (numClasses > 0 ? " (noise, then a one-hot label of " + numClasses + " classes)" : "") + ", got "
                    + Arrays.toString(latent.shape()));
        }
        return latent;
    }

    @Override
    INDArray fromNetwork(INDArray output) {
        if (output.length() != output.size(0) * imageShape.size()) {
            throw new IllegalStateException("the generator network produced " + Arrays.toString(
                    output.shape()) + " per batch, not images of " + imageShape);
        }
        lastOutputShape = output.shape();
        return toImages(output, imageShape);
    }

    @Override
    INDArray outputToNetwork(INDArray outputGradient) {
        return lastOutputShape == null ? outputGradient : outputGradient.reshape('c', lastOutputShape);
    }

    @Override
    INDArray inputFromNetwork(INDArray inputGradient) {
        return inputGradient;
    }
}
