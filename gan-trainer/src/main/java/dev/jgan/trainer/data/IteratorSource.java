package dev.jgan.trainer.data;

import dev.jgan.api.ImageBatch;
import dev.jgan.api.ImageBatches;
import dev.jgan.api.ImageShape;
import dev.jgan.api.ImageSource;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A DL4J {@link DataSetIterator} as training images: its features are the images (any shape of {@code n} rows of
 * {@code C·H·W} values), rescaled to [-1, 1] from the range they come in; its labels, when used, are one-hot class
 * rows. Batches are re-cut to the run's batch size, so the iterator's own batch size does not matter.
 *
 * <p>The order is the iterator's own: an epoch is one pass after {@link DataSetIterator#reset()}, and the run's seed
 * does not change it. A run resumes exactly only if the iterator repeats its order after a reset (a fixed-seed
 * iterator, or one that does not shuffle). The number of images is counted by one pass when this source is made.
 */
public final class IteratorSource implements ImageSource {

    /** The range of the iterator's feature values. */
    public enum Range {
        /** [0, 1], as DL4J's image iterators give (scaled to {@code 2x - 1}). */
        ZERO_ONE,
        /** Already [-1, 1]. */
        MINUS_ONE_ONE
    }

    /** What the iterator's labels are to the run. */
    public enum Labels {
        /** Ignored: an unconditional GAN. */
        NONE,
        /** One-hot class rows: classes for a conditional GAN. */
        ONE_HOT
    }

    private final String name;
    private final DataSetIterator iterator;
    private final ImageShape shape;
    private final Range range;
    private final Labels labels;
    private final int size;
    private final int classes;

    /**
     * @param name where the images come from, for provenance
     * @param iterator the iterator (reset before every epoch, so it must support reset)
     * @param shape the shape of one image
     * @param range the range of its feature values
     * @param labels whether its labels are used
     * @throws IllegalArgumentException if it cannot be reset, or its features do not hold images of {@code shape}
     */
    public IteratorSource(String name, DataSetIterator iterator, ImageShape shape, Range range, Labels labels) {
        this.name = Objects.requireNonNull(name, "name");
        this.iterator = Objects.requireNonNull(iterator, "iterator");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.range = Objects.requireNonNull(range, "range");
        this.labels = Objects.requireNonNull(labels, "labels");
        if (!iterator.resetSupported()) {
            throw new IllegalArgumentException(name + ": the iterator cannot be reset, and every epoch starts with "
                    + "a reset");
        }
        iterator.reset();
        int n = 0;
        int k = 0;
        while (iterator.hasNext()) {
            DataSet d = iterator.next();
            INDArray f = d.getFeatures();
            if (f.length() % shape.size() != 0 || f.size(0) * shape.size() != f.length()) {
                throw new IllegalArgumentException(name + ": features of shape " + Arrays.toString(
                        f.shape()) + " are not rows of " + shape + " images");
            }
            if (labels == Labels.ONE_HOT) {
                INDArray l = d.getLabels();
                if (l == null || l.rank() != 2 || l.rows() != f.size(0)) {
                    throw new IllegalArgumentException(name + ": labels must be one-hot rows, one per image");
                }
                k = Math.max(k, (int) l.columns());
            }
            n = Math.addExact(n, (int) f.size(0));
        }
        this.size = n;
        this.classes = k;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int classes() {
        return classes;
    }

    /** One pass of the iterator, after a reset; {@code seed} and {@code epoch} do not change its order. */
    @Override
    public ImageBatches epoch(long seed, int epoch, int skip) {
        iterator.reset();
        return new ImageBatches() {
            private final ArrayDeque<INDArray> images = new ArrayDeque<>();
            private final ArrayDeque<int[]> classRows = new ArrayDeque<>();
            private int used; // images of the head array already taken
            private int buffered; // images not yet taken
            private int toSkip = skip;

            @Override
            public ImageBatch next(int n) {
                while (buffered < n + toSkip && iterator.hasNext()) {
                    DataSet d = iterator.next();
                    long rows = d.getFeatures().size(0);
                    INDArray f = d.getFeatures().castTo(DataType.FLOAT).reshape('c', rows, shape.size());
                    images.add(range == Range.ZERO_ONE ? f.mul(2).subi(1) : f.dup('c'));
                    classRows.add(labels == Labels.ONE_HOT ? d.getLabels().argMax(1).toIntVector() : new int[0]);
                    buffered += (int) rows;
                }
                int skipNow = Math.min(toSkip, buffered);
                take(skipNow, null, null, 0);
                toSkip -= skipNow;
                if (buffered < n) {
                    return null;
                }
                INDArray out = Nd4j.create(DataType.FLOAT, n, shape.size());
                int[] batchLabels = labels == Labels.ONE_HOT ? new int[n] : null;
                take(n, out, batchLabels, 0);
                return new ImageBatch(out, batchLabels);
            }

            /** Takes the next {@code count} buffered images, copying them into {@code out} (when not null). */
            private void take(int count, INDArray out, int[] outLabels, int filled) {
                while (count > 0) {
                    INDArray head = images.peek();
                    int[] headLabels = classRows.peek();
                    int available = (int) head.size(0) - used;
                    int k = Math.min(count, available);
                    if (out != null) {
                        out.get(NDArrayIndex.interval(filled, filled + k), NDArrayIndex.all())
                                .assign(head.get(NDArrayIndex.interval(used, used + k), NDArrayIndex.all()));
                        if (outLabels != null) {
                            System.arraycopy(headLabels, used, outLabels, filled, k);
                        }
                    }
                    filled += k;
                    count -= k;
                    buffered -= k;
                    used += k;
                    if (used == head.size(0)) {
                        images.poll();
                        classRows.poll();
                        used = 0;
                    }
                }
            }

            @Override
            public void close() {}
        };
    }
}
