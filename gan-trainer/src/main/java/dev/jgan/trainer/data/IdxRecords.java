package dev.jgan.trainer.data;

import dev.jgan.api.ImageShape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An uncompressed IDX image file read by position, with its labels (one byte each) held in memory. */
final class IdxRecords implements ImageRecords {

    private static final int HEADER = 16;

    private final Path file;
    private final FileChannel channel;
    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] labels;
    private final int classes;

    private IdxRecords(Path file, FileChannel channel, int count, int rows, int cols, byte[] labels) {
        this.file = file;
        this.channel = channel;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.labels = labels;
        int max = -1;
        if (labels != null) {
            for (byte b : labels) {
                max = Math.max(max, b & 0xff);
            }
        }
        this.classes = max + 1;
    }

    /**
     * Opens {@code images} (uncompressed: it is read by position) and reads {@code labelsFile} (gzipped or not);
     * {@code limit} &gt; 0 uses the first {@code limit} images only.
     */
    static IdxRecords open(Path images, Path labelsFile, int limit) throws DataException {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(images, StandardOpenOption.READ);
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                // fill the header
            }
            if (header.position() >= 2 && (header.get(0) & 0xff) == 0x1f && (header.get(1) & 0xff) == 0x8b) {
                throw new DataException(images + ": gzipped; data.storage \"stream\" reads images by position, "
                        + "so it needs the uncompressed file (gunzip -k " + images.getFileName() + ")");
            }
            if (header.hasRemaining()) {
                throw new DataException(images + ": empty or truncated (no IDX header)");
            }
            header.flip();
            int magic = header.getInt();
            if (magic != IdxFiles.IMAGES_MAGIC) {
                throw new DataException(images + ": not an IDX image file (magic number " + magic + ", expected "
                        + IdxFiles.IMAGES_MAGIC + ")");
            }
            int declared = header.getInt();
            int rows = header.getInt();
            int cols = header.getInt();
            if (declared < 0 || rows < 1 || cols < 1 || (long) rows * cols > 1 << 24) {
                throw new DataException(images + ": implausible IDX header (" + declared + " images of " + rows + "x"
                        + cols + ")");
            }
            long needed = HEADER + (long) declared * rows * cols;
            if (channel.size() < needed) {
                throw new DataException(images + ": truncated (header says " + declared + " images of " + rows + "x"
                        + cols + ", " + needed + " bytes, but the file has " + channel.size() + ")");
            }
            int n = limit > 0 ? Math.min(limit, declared) : declared;
            byte[] labels = labelsFile == null ? null : IdxFiles.readLabels(labelsFile, n);
            if (labels != null && labels.length != n) {
                throw new DataException(labelsFile + ": " + labels.length + " labels for " + n + " images in "
                        + images);
            }
            return new IdxRecords(images, channel, n, rows, cols, labels);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DataException(images + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (DataException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Override
    public ImageShape shape() {
        return new ImageShape(1, rows, cols);
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int label(int index) {
        return labels[index] & 0xff;
    }

    @Override
    public void read(int[] indices, int[] slots, int from, int to, float[] out) throws IOException {
        int size = rows * cols;
        ByteBuffer buffer = ByteBuffer.allocate(size);
        byte[] bytes = buffer.array();
        for (int i = from; i < to; i++) {
            buffer.clear();
            long at = HEADER + (long) indices[i] * size;
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    throw new IOException("ends inside image " + indices[i] + " (the file shrank while training)");
                }
            }
            IdxDatasets.scale(bytes, 0, out, slots[i] * size, size);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
