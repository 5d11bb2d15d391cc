package dev.jgan.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Maps latent vectors {@code [n, latentSize]} to images {@code [n, C, H, W]} in [-1, 1]. A conditional generator
 * ({@link #numClasses()} &gt; 0) takes {@code [n, latentSize + numClasses]}: the noise followed by a one-hot class
 * label ({@link Conditioning#generatorInput}).
 */
public interface Generator extends Network {

    /** Length of one latent vector. */
    int latentSize();

    /** Shape of one generated image. */
    ImageShape imageShape();

    /** Classes this generator is conditioned on; 0 when unconditional. */
    default int numClasses() {
        return 0;
    }

    /** Generates images in inference mode (for a conditional generator, {@code latent} carries the labels). */
    default INDArray generate(INDArray latent) {
        return forward(latent, false);
    }

    /**
     * Images from noise {@code [n, latentSize]} alone: a conditional generator takes the classes in turn
     * (0, 1, ..., K−1, 0, ...), so every class is equally represented.
     */
    default INDArray generateFromNoise(INDArray noise) {
        return numClasses() == 0 ? generate(noise)
                : generate(noise, Conditioning.balancedLabels((int) noise.size(0), numClasses()));
    }

    /** Generates images of the given classes (conditional generators). */
    default INDArray generate(INDArray noise, int[] labels) {
        return forward(Conditioning.generatorInput(noise, labels, numClasses()), false);
    }
}
