package dev.jgan.api;

import java.util.Objects;

/**
 * What a {@link NetworkProvider} needs besides its own config to build a network.
 *
 * @param image shape of the images generated or discriminated
 * @param latentSize generator input size
 * @param optimizer the optimizer this network trains with
 * @param seed seed for weight initialisation
 */
public record BuildContext(ImageShape image, int latentSize, OptimizerConfig optimizer, long seed) {

    public BuildContext {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(optimizer, "optimizer");
    }
}
