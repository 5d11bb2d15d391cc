package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;

/**
 * A class-conditional GAN: G and D get the class label as a one-hot vector (G: after the noise; D: after the pixels
 * of a dense network, as constant planes after the channels of a convolutional one). Needs labelled data.
 *
 * @param numClasses number of classes, labels 0 .. numClasses − 1; 0 for an unconditional GAN (default)
 * @param labels where the classes come from: {@code data} (default), the data's labels; {@code clusters}, no labels
 *     needed: {@code num_classes} equal-sized k-means clusters of the training images in pixel space, computed when
 *     the run starts (a self-conditioned GAN: G learns one cluster per label and samples them uniformly)
 */
public record ConditionalConfig(@JsonProperty("num_classes") Integer numClasses,
                                @JsonProperty("labels") Labels labels) {

    /** Where the classes of a conditional GAN come from. */
    public enum Labels {
        /** The data's own labels. */
        @JsonProperty("data") DATA,
        /** Balanced k-means clusters of the training images (no labels needed). */
        @JsonProperty("clusters") CLUSTERS
    }

    /** Every setting at its default (off where a setting can be). */
    public static final ConditionalConfig NONE = new ConditionalConfig(0, null);

    /** Conditioning on the data's labels. */
    public ConditionalConfig(Integer numClasses) {
        this(numClasses, null);
    }

    /** Validates the components and fills in the defaults of null ones. */
    public ConditionalConfig {
        numClasses = numClasses == null ? 0 : numClasses;
        labels = labels == null ? Labels.DATA : labels;
        Checks.check(numClasses >= 0 && numClasses != 1 && numClasses <= 1000, "num_classes",
                "0 (unconditional) or a class count in [2, 1000]", numClasses);
    }

    /** Whether the GAN is conditional. */
    public boolean enabled() {
        return numClasses > 0;
    }
}
