package dev.jgan.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Maps images {@code [n, C, H, W]} in [-1, 1] to one real-valued logit each, {@code [n, 1]}: high means "real". */
public interface Discriminator extends Network {

    /** Shape of one input image. */
    ImageShape imageShape();

    /** Logits in inference mode. */
    default INDArray logits(INDArray images) {
        return forward(images, false);
    }
}
