package dev.jgan.spark;

import dev.jgan.api.ImageShape;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.data.IdxFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import java.io.FileNotFoundException;

/**
 * Reads one worker's share of IDX files (gzipped or not) from any Hadoop file system: images {@code i} with
 * {@code i mod workers == worker}, streaming through the file so that a worker holds only its share.
 */
final class IdxShards {

    private IdxShards() {}

    /** The IDX image and label files of {@code split} under {@code directory}, the .gz name if that exists. */
    static Path[] files(String directory, String split, Configuration hadoop) throws IOException {
        String prefix = split.equals("train") ? "train" : "t10k";
        Path images = pick(new Path(directory, prefix + "-images-idx3-ubyte"), hadoop);
        Path labels = pick(new Path(directory, prefix + "-labels-idx1-ubyte"), hadoop);
        return new Path[] {images, labels};
    }

    private static Path pick(Path plain, Configuration hadoop) throws IOException {
        FileSystem fs = plain.getFileSystem(hadoop);
        Path gz = plain.suffix(".gz");
        if (fs.exists(gz)) {
            return gz;
        }
        if (fs.exists(plain)) {
            return plain;
        }
        throw new FileNotFoundException(plain.getParent() + ": missing " + plain.getName() + " (or "
                + gz.getName() + ")");
    }

    /** The image shape and count the header of {@code images} declares (the first {@code limit} when &gt; 0). */
    static int[] header(Path images, Configuration hadoop) throws IOException, DataException {
        try (DataInputStream in = open(images, hadoop)) {
            int magic = in.readInt();
            if (magic != IdxFiles.IMAGES_MAGIC) {
                throw new DataException(images + ": not an IDX image file (magic number " + magic + ", expected "
                        + IdxFiles.IMAGES_MAGIC + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 1 || rows < 1 || cols < 1 || (long) rows * cols > 1 << 24) {
                throw new DataException(images + ": implausible IDX header (" + count + " images of " + rows + "x"
                        + cols + ")");
            }
            return new int[] {count, rows, cols};
        } catch (EOFException e) {
            throw new DataException(images + ": empty or truncated (no IDX header)");
        }
    }

    /** Reads worker {@code worker}'s share of the first {@code count} images and their labels (null: none). */
    static Shard read(Path images, Path labels, int count, int worker, int workers, Configuration hadoop)
            throws IOException {
        int[] h;
        try {
            h = header(images, hadoop);
        } catch (DataException e) {
            throw new IOException(e.getMessage(), e);
        }
        int size = h[1] * h[2];
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        byte[] image = new byte[size];
        try (DataInputStream in = open(images, hadoop)) {
            in.skipNBytes(16);
            for (int i = 0; i < count; i++) {
                in.readFully(image);
                if (i % workers == worker) {
                    pixels.write(image);
                }
            }
        } catch (EOFException e) {
            throw new IOException(images + ": truncated (header says " + h[0] + " images of " + h[1] + "x" + h[2]
                    + ")", e);
        }
        byte[] mine = null;
        if (labels != null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DataInputStream in = open(labels, hadoop)) {
                if (in.readInt() != IdxFiles.LABELS_MAGIC) {
                    throw new IOException(labels + ": not an IDX label file");
                }
                int n = in.readInt();
                if (n < count) {
                    throw new IOException(labels + ": " + n + " labels for " + count + " images");
                }
                for (int i = 0; i < count; i++) {
                    int b = in.readUnsignedByte();
                    if (i % workers == worker) {
                        out.write(b);
                    }
                }
            } catch (EOFException e) {
                throw new IOException(labels + ": truncated", e);
            }
            mine = out.toByteArray();
        }
        return new Shard(worker, new ImageShape(1, h[1], h[2]), pixels.toByteArray(), mine);
    }

    private static DataInputStream open(Path file, Configuration hadoop) throws IOException {
        return IdxFiles.open(file.getFileSystem(hadoop).open(file));
    }
}
