package dev.jgan.api;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training images held in memory as one {@code [n, C·H·W]} float matrix scaled to [-1, 1] (the range of a tanh
 * generator), with optional class labels. Its epochs visit every image once in {@link EpochOrder#permutation} order.
 */
public final class ImageDataset implements ImageSource {

    private final String name;
    private final ImageShape shape;
    private final INDArray images;
    private final int[] labels;
    private final int classes;

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
                    + Arrays.toString(images.shape()));
        }
        if (labels != null && labels.length != images.rows()) {
            throw new IllegalArgumentException(
                    labels.length + " labels for " + images.rows() + " images in " + name);
        }
        int max = -1;
        if (labels != null) {
            for (int label : labels) {
                if (label < 0) {
                    throw new IllegalArgumentException("label " + label + " in " + name + "; labels start at 0");
                }
                max = Math.max(max, label);
            }
        }
        this.labels = labels == null ? null : labels.clone();
        this.classes = labels == null ? 0 : max + 1;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
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
    @Override
    public int size() {
        return (int) images.rows();
    }

    /** The largest label plus one, or 0 without labels. */
    @Override
    public int classes() {
        return classes;
    }

    @Override
    public ImageBatches epoch(long seed, int epoch, int skip) {
        int[] order = EpochOrder.permutation(seed, size(), epoch);
        return new ImageBatches() {
            private int next = Math.min(skip, order.length);

            @Override
            public ImageBatch next(int n) {
                if (order.length - next < n) {
                    return null;
                }
                int[] rows = Arrays.copyOfRange(order, next, next + n);
                next += n;
                int[] batchLabels = null;
                if (labels != null) {
                    batchLabels = new int[n];
                    for (int i = 0; i < n; i++) {
                        batchLabels[i] = labels[rows[i]];
                    }
                }
                return new ImageBatch(Nd4j.pullRows(images, 1, rows), batchLabels);
            }

            @Override
            public void close() {}
        };
    }
}
