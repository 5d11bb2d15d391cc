package dev.jgan.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Maps images {@code [n, C, H, W]} in [-1, 1] to one real-valued logit each, {@code [n, 1]}: high means "real". */
public interface Discriminator extends Trainable {

    /** Classes this discriminator is conditioned on; 0 when unconditional. */
    default int numClasses() {
        return 0;
    }

    /**
     * A conditional discriminator's forward pass on images and their one-hot labels {@code [n, numClasses]}; the
     * input gradient ({@link #inputGradient}, {@link #backward}) is then with respect to the images only.
     */
    default INDArray forward(INDArray images, INDArray oneHotLabels, boolean training) {
        if (oneHotLabels != null) {
            throw new UnsupportedOperationException("this discriminator (" + type() + ") is not conditional");
        }
        return forward(images, training);
    }

    /**
     * Whether, in training mode, each image's logit depends on that image alone (no batch normalisation or other
     * statistics over the batch), so that a trainer may pass the real and the fake batch through in one pass.
     */
    default boolean samplesIndependent() {
        return false;
    }

    /** Shape of one input image. */
    ImageShape imageShape();

    /** Logits in inference mode. */
    default INDArray logits(INDArray images) {
        return forward(images, false);
    }
}
