package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;

/**
 * A class-conditional GAN: G and D get the class label as a one-hot vector (G: after the noise; D: after the pixels
 * of a dense network, as constant planes after the channels of a convolutional one). Needs labelled data.
 *
 * @param numClasses number of classes, labels 0 .. numClasses − 1; 0 for an unconditional GAN (default)
 */
public record ConditionalConfig(@JsonProperty("num_classes") Integer numClasses) {

    /** Every setting at its default (off where a setting can be). */
    public static final ConditionalConfig NONE = new ConditionalConfig(0);

    /** Validates the components and fills in the defaults of null ones. */
    public ConditionalConfig {
        numClasses = numClasses == null ? 0 : numClasses;
        Checks.check(numClasses >= 0 && numClasses != 1 && numClasses <= 1000, "num_classes",
                "0 (unconditional) or a class count in [2, 1000]", numClasses);
    }

    /** Whether the GAN is conditional. */
    public boolean enabled() {
        return numClasses > 0;
    }
}
