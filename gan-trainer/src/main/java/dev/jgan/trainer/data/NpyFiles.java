package dev.jgan.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format, read by its own parser so that nothing native ever sees a file that was not checked:
 * magic {@code \x93NUMPY}, version, a little-endian header length, a Python-literal header dict
 * ({@code 'descr'}, {@code 'fortran_order'}, {@code 'shape'}), then the values. Only unsigned bytes and 32- and
 * 64-bit floats are read, little- or big-endian, in C or Fortran order; the size the header declares is checked
 * against the bytes present before anything is allocated. Written by hand: ND4J's reader hands the header to native
 * code unchecked (a complex or object dtype crashed the JVM), and no small library reads the format.
 */
public final class NpyFiles {

    /** Most values one file may hold (a float array of this size takes 2 GB). */
    public static final long MAX_VALUES = 1L << 29;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFiles() {}

    /**
     * An array read from a {@code .npy} file, as floats in C (row-major) order.
     *
     * @param shape the dimensions
     * @param values the values, row-major
     */
    public record Array(long[] shape, float[] values) {}

    /** Reads {@code file}; any problem is a {@link DataException} naming the file and what was expected. */
    public static Array read(Path file) throws DataException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] preamble = in.readNBytes(10);
            if (preamble.length < 10 || (preamble[0] & 0xff) != 0x93
                    || !new String(preamble, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
                throw new DataException(file + ": not a .npy file (it does not start with \\x93NUMPY)");
            }
            int major = preamble[6];
            long headerLength;
            int prefix;
            if (major == 1) {
                headerLength = (preamble[8] & 0xff) | (preamble[9] & 0xff) << 8;
                prefix = 10;
            } else if (major == 2 || major == 3) {
                byte[] more = in.readNBytes(2);
                if (more.length < 2) {
                    throw new DataException(file + ": truncated .npy header");
                }
                headerLength = (preamble[8] & 0xffL) | (preamble[9] & 0xffL) << 8 | (more[0] & 0xffL) << 16
                        | (more[1] & 0xffL) << 24;
                prefix = 12;
            } else {
                throw new DataException(file + ": .npy format version " + major + " is not supported (1, 2 or 3)");
            }
            if (headerLength > 65536 || prefix + headerLength > size) {
                throw new DataException(file + ": .npy header length " + headerLength + " does not fit the file ("
                        + size + " bytes)");
            }
            byte[] headerBytes = in.readNBytes((int) headerLength);
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Header h = parse(file, header);
            long dataBytes = size - prefix - headerLength;
            long expected = h.count * h.itemSize;
            if (dataBytes != expected) {
                throw new DataException(file + ": the header declares " + h.count + " values of '" + h.descr
                        + "' (" + expected + " bytes), but the file holds " + dataBytes + " bytes of data");
            }
            byte[] data = in.readNBytes((int) expected);
            if (data.length != expected) {
                throw new DataException(file + ": truncated: " + data.length + " of " + expected + " data bytes");
            }
            return new Array(h.shape, values(data, h));
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private record Header(String descr, char kind, int itemSize, ByteOrder order, boolean fortran, long[] shape,
                          long count) {}

    private static Header parse(Path file, String header) throws DataException {
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new DataException(file + ": malformed .npy header (expected 'descr', 'fortran_order' and 'shape'): "
                    + header.strip());
        }
        String descr = d.group(1);
        ByteOrder order;
        char kind;
        int itemSize;
        switch (descr) {
            case "|u1", "<u1", ">u1", "=u1" -> {
                order = ByteOrder.LITTLE_ENDIAN;
                kind = 'u';
                itemSize = 1;
            }
            case "<f4", ">f4", "=f4", "<f8", ">f8", "=f8" -> {
                order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN
                        : descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
                kind = 'f';
                itemSize = descr.charAt(2) - '0';
            }
            default -> throw new DataException(file + ": dtype '" + descr + "' is not supported; expected uint8 "
                    + "('|u1'), float32 ('<f4', '>f4') or float64 ('<f8', '>f8')");
        }
        List<Long> dims = new ArrayList<>();
        long count = 1;
        for (String part : s.group(1).split(",")) {
            String t = part.strip();
            if (t.isEmpty()) {
                continue;
            }
            long dim;
            try {
                dim = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new DataException(file + ": malformed shape in the .npy header: (" + s.group(1) + ")");
            }
            if (dim < 0 || dim > MAX_VALUES || (count = count * Math.max(dim, 1)) > MAX_VALUES) {
                throw new DataException(file + ": shape (" + s.group(1) + ") holds more than " + MAX_VALUES
                        + " values");
            }
            if (dim == 0) {
                count = 0;
            }
            dims.add(dim);
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        if (shape.length == 0) {
            count = 1;
        }
        return new Header(descr, kind, itemSize, order, f.group(1).equals("True"), shape, count);
    }

    private static float[] values(byte[] data, Header h) {
        int n = (int) h.count;
        float[] stored = new float[n];
        ByteBuffer buf = ByteBuffer.wrap(data).order(h.order);
        for (int i = 0; i < n; i++) {
            stored[i] = h.kind == 'u' ? data[i] & 0xff : h.itemSize == 4 ? buf.getFloat(i * 4)
                    : (float) buf.getDouble(i * 8);
        }
        if (!h.fortran || h.shape.length < 2) {
            return stored;
        }
        // Fortran order: the first index varies fastest
        float[] c = new float[n];
        int rank = h.shape.length;
        long[] fStride = new long[rank];
        fStride[0] = 1;
        for (int k = 1; k < rank; k++) {
            fStride[k] = fStride[k - 1] * h.shape[k - 1];
        }
        int[] index = new int[rank];
        for (int i = 0; i < n; i++) {
            long at = 0;
            for (int k = 0; k < rank; k++) {
                at += index[k] * fStride[k];
            }
            c[i] = stored[(int) at];
            for (int k = rank - 1; k >= 0; k--) {
                if (++index[k] < h.shape[k]) {
                    break;
                }
                index[k] = 0;
            }
        }
        return c;
    }

    /** For messages: the shape as NumPy prints it. */
    public static String describe(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString().toLowerCase(Locale.ROOT);
    }
}
