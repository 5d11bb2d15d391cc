package dev.jgan.api;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of training images.
 *
 * @param images {@code [n, C·H·W]} in [-1, 1]
 * @param labels one class per image, or null when the source has no labels
 */
public record ImageBatch(INDArray images, int[] labels) {

    /** Checks that there is one label per image, when there are labels. */
    public ImageBatch {
        Objects.requireNonNull(images, "images");
        if (labels != null && labels.length != images.rows()) {
            throw new IllegalArgumentException(labels.length + " labels for " + images.rows() + " images");
        }
    }

    /** Number of images. */
    public int size() {
        return (int) images.rows();
    }
}
