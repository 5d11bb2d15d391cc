package dev.jgan.trainer.data;

import dev.jgan.api.ImageShape;
import java.io.Closeable;
import java.io.IOException;

/** Images on disk read one at a time by index: what a {@link StreamingSource} reads ahead from. */
interface ImageRecords extends Closeable {

    /** Where the images are, for messages. */
    String name();

    ImageShape shape();

    int count();

    /** Number of classes of the labels, or 0 without labels. */
    int classes();

    /** The label of image {@code index} (only when {@link #classes()} &gt; 0). */
    int label(int index);

    /**
     * Reads images {@code indices[from .. to)} (ascending) into {@code out}, image {@code indices[i]} at
     * {@code slots[i] · shape.size()}, as [-1, 1] floats.
     */
    void read(int[] indices, int[] slots, int from, int to, float[] out) throws IOException;
}
