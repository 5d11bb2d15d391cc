package dev.jgan.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST: big-endian int32 magic (2051 images, 2049 labels), the dimension sizes,
 * then one unsigned byte per value. Gzipped files are recognised by their content, not their name. Written by hand
 * because it is 30 lines and no dependency-light library reads it (DataVec's reader brings OpenCV's natives).
 */
public final class IdxFiles {

    /** Magic number of an image file (unsigned bytes, 3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a label file (unsigned bytes, 1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {}

    /**
     * Images as read from an IDX file.
     *
     * @param count number of images
     * @param rows image height
     * @param cols image width
     * @param pixels {@code count·rows·cols} bytes, row-major, 0 = background
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {}

    /** Reads an image file; {@code limit} > 0 reads only the first {@code limit} images. */
    public static Images readImages(Path file, int limit) throws DataException {
        try (InputStream in = Files.newInputStream(file)) {
            return readImages(in, file.toString(), limit);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads images from a stream; {@code file} names it in messages. */
    public static Images readImages(InputStream stream, String file, int limit) throws DataException {
        try (DataInputStream in = open(stream)) {
            int magic = readMagic(in, file);
            if (magic != IMAGES_MAGIC) {
                throw new DataException(file + ": not an IDX image file (magic number " + magic
                        + ", expected " + IMAGES_MAGIC + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0 || rows < 1 || cols < 1 || (long) rows * cols > 1 << 24) {
                throw new DataException(file + ": implausible IDX header (" + count + " images of " + rows + "x"
                        + cols + ")");
            }
            int n = limit > 0 ? Math.min(limit, count) : count;
            long bytes = (long) n * rows * cols;
            if (bytes > MAX_BYTES) {
                throw new DataException(file + ": the header declares " + count + " images of " + rows + "x" + cols
                        + " (" + bytes + " bytes), more than the " + MAX_BYTES + " one file may hold");
            }
            byte[] pixels = readBounded(in, (int) bytes, file, "header says " + count + " images of " + rows + "x"
                    + cols);
            return new Images(n, rows, cols, pixels);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads a label file; {@code limit} > 0 reads only the first {@code limit} labels. */
    public static byte[] readLabels(Path file, int limit) throws DataException {
        try (InputStream in = Files.newInputStream(file)) {
            return readLabels(in, file.toString(), limit);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads labels from a stream; {@code file} names it in messages. */
    public static byte[] readLabels(InputStream stream, String file, int limit) throws DataException {
        try (DataInputStream in = open(stream)) {
            int magic = readMagic(in, file);
            if (magic != LABELS_MAGIC) {
                throw new DataException(file + ": not an IDX label file (magic number " + magic + ", expected "
                        + LABELS_MAGIC + ")");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new DataException(file + ": implausible IDX header (" + count + " labels)");
            }
            int n = limit > 0 ? Math.min(limit, count) : count;
            return readBounded(in, n, file, "header says " + count + " labels");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Writes the header of an uncompressed IDX image file; {@code count·rows·cols} pixel bytes must follow. */
    public static void writeImagesHeader(OutputStream out, int count, int rows, int cols) throws IOException {
        out.write(ByteBuffer.allocate(16).putInt(IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).array());
    }

    /** Writes images as an uncompressed IDX image file ({@code 2051, n, rows, cols}, one byte per pixel). */
    public static void writeImages(OutputStream out, int count, int rows, int cols, byte[] pixels)
            throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16).putInt(IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        out.write(header.array());
        out.write(pixels, 0, count * rows * cols);
    }

    /** Most bytes of values one IDX file may hold. */
    static final int MAX_BYTES = Integer.MAX_VALUE - 16;

    /**
     * Reads exactly {@code size} bytes. {@link InputStream#readNBytes(int)} reads in small chunks, so a header that
     * claims more than the file holds fails at the end of the file instead of allocating the claim up front.
     */
    private static byte[] readBounded(DataInputStream in, int size, String file, String expected)
            throws DataException, IOException {
        byte[] bytes = in.readNBytes(size);
        if (bytes.length < size) {
            throw new DataException(file + ": truncated (" + expected + ", but the file ends after " + bytes.length
                    + " of " + size + " bytes)");
        }
        return bytes;
    }

    private static int readMagic(DataInputStream in, String file) throws DataException, IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataException(file + ": empty or truncated (no IDX header)");
        }
    }

    /** {@code stream} as a data stream, inflated when it is gzipped (recognised by its first two bytes). */
    public static DataInputStream open(InputStream stream) throws IOException {
        InputStream raw = new BufferedInputStream(stream, 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }
}
