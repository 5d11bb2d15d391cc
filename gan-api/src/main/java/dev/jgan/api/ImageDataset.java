package dev.jgan.api;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training images held in memory as one {@code [n, C·H·W]} float matrix scaled to [-1, 1] (the range of a tanh
 * generator), with optional class labels.
 */
public final class ImageDataset {

    private final String name;
    private final ImageShape shape;
    private final INDArray images;
    private final int[] labels;

    /**
     * @param name where the images came from, for provenance
     * @param shape shape of one image
     * @param images {@code [n, shape.size()]} in [-1, 1]
     * @param labels one class per image, or null
     */
    public ImageDataset(String name, ImageShape shape, INDArray images, int[] labels) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.images = Objects.requireNonNull(images, "images");
        if (images.rank() != 2 || images.columns() != shape.size()) {
            throw new IllegalArgumentException("images must be [n, " + shape.size() + "], got "
                    + java.util.Arrays.toString(images.shape()));
        }
        if (labels != null && labels.length != images.rows()) {
            throw new IllegalArgumentException(
                    labels.length + " labels for " + images.rows() + " images in " + name);
        }
        this.labels = labels;
    }

    /** A name for messages and provenance. */
    public String name() {
        return name;
    }

    /** The shape of one image. */
    public ImageShape shape() {
        return shape;
    }

    /** The {@code [n, C·H·W]} matrix (not a copy). */
    public INDArray images() {
        return images;
    }

    /** Class labels, or null. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** Number of images. */
    public int size() {
        return (int) images.rows();
    }
}
