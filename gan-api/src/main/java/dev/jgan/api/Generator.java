package dev.jgan.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Maps latent vectors {@code [n, latentSize]} to images {@code [n, C, H, W]} in [-1, 1]. */
public interface Generator extends Network {

    /** Length of one latent vector. */
    int latentSize();

    /** Shape of one generated image. */
    ImageShape imageShape();

    /** Generates images in inference mode. */
    default INDArray generate(INDArray latent) {
        return forward(latent, false);
    }
}
