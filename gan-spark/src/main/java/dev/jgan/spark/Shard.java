package dev.jgan.spark;

import dev.jgan.api.ImageDataset;
import dev.jgan.api.ImageShape;
import java.io.Serializable;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.data.IdxFiles;

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
        return IdxDatasets.toDataset(name, new IdxFiles.Images(count(), shape.height(), shape.width(), pixels),
                labels);
    }
}
