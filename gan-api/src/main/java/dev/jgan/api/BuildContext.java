package dev.jgan.api;

import java.util.Objects;

/**
 * What a {@link NetworkProvider} needs besides its own config to build a network.
 *
 * @param image shape of the images generated or discriminated
 * @param latentSize generator input size
 * @param optimizer the optimizer this network trains with
 * @param seed seed for weight initialisation
 * @param numClasses classes to condition on (one-hot label concatenated to G's input and to D's input, see
 *        {@link Generator#numClasses()} and {@link Discriminator#numClasses()}); 0 for an unconditional GAN
 */
public record BuildContext(ImageShape image, int latentSize, OptimizerConfig optimizer, long seed, int numClasses) {

    /** Validates the components. */
    public BuildContext {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(optimizer, "optimizer");
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be >= 0, got " + numClasses);
        }
    }

    /** An unconditional context. */
    public BuildContext(ImageShape image, int latentSize, OptimizerConfig optimizer, long seed) {
        this(image, latentSize, optimizer, seed, 0);
    }
}
