package dev.jgan.spark;

import dev.jgan.api.ImageDataset;
import dev.jgan.api.ImageShape;
import java.io.Serializable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training images of one worker, as Spark caches them: the pixel bytes (one per value, as in IDX files) and the
 * labels, or null.
 *
 * @param worker the worker (partition) index
 * @param shape the shape of one image
 * @param pixels {@code count · shape.size()} bytes
 * @param labels one class per image, or null
 */
record Shard(int worker, ImageShape shape, byte[] pixels, byte[] labels) implements Serializable {

    int count() {
        return pixels.length / shape.size();
    }

    /** The images in memory, scaled to [-1, 1] as the single-process loader scales them. */
    ImageDataset toDataset(String name) {
        float[] values = new float[pixels.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (pixels[i] & 0xff) / 127.5f - 1f;
        }
        int[] classes = null;
        if (labels != null) {
            classes = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                classes[i] = labels[i] & 0xff;
            }
        }
        return new ImageDataset(name, shape, Nd4j.create(values, new long[] {count(), shape.size()}, 'c'), classes);
    }
}
