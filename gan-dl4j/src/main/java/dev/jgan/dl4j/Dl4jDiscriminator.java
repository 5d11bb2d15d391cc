package dev.jgan.dl4j;

import dev.jgan.api.Discriminator;
import dev.jgan.api.ImageShape;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Any DL4J {@link MultiLayerNetwork} with one output unit (a logit, identity activation) as a {@link Discriminator}.
 * Networks whose first layer is dense, or that start with a {@code FeedForwardToCnnPreProcessor}
 * ({@code InputType.convolutionalFlat}), get {@code [n, C·H·W]} rows; all others get NCHW images.
 */
public final class Dl4jDiscriminator extends Dl4jNetwork implements Discriminator {

    private final ImageShape imageShape;
    private final boolean flatInput;

    /**
     * @param type the registered type name the network was built for
     * @param net an initialised network ending in one identity unit without a loss
     * @param imageShape shape of one input image
     */
    public Dl4jDiscriminator(String type, MultiLayerNetwork net, ImageShape imageShape) {
        super(type, net);
        this.imageShape = imageShape;
        this.flatInput = expectsFlatInput(net);
    }

    @Override
    public ImageShape imageShape() {
        return imageShape;
    }

    @Override
    String role() {
        return dev.jgan.api.ModelMetadata.DISCRIMINATOR;
    }

    @Override
    INDArray toNetwork(INDArray images) {
        if (images.length() != images.size(0) * imageShape.size()) {
            throw new IllegalArgumentException("discriminator input must be images of " + imageShape + ", got "
                    + java.util.Arrays.toString(images.shape()));
        }
        return flatInput ? toFlat(images) : toImages(images, imageShape);
    }

    @Override
    INDArray fromNetwork(INDArray output) {
        if (output.rank() != 2 || output.columns() != 1) {
            throw new IllegalStateException("the discriminator network must output one logit per image, [n, 1]; got "
                    + java.util.Arrays.toString(output.shape()));
        }
        return output;
    }

    @Override
    INDArray outputToNetwork(INDArray outputGradient) {
        return outputGradient;
    }

    @Override
    INDArray inputFromNetwork(INDArray inputGradient) {
        return toImages(inputGradient, imageShape);
    }
}
