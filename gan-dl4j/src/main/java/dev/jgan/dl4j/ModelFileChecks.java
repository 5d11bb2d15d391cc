package dev.jgan.dl4j;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.util.ModelSerializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Checks a model file before DL4J reads it, so that no size written in the file is trusted before it is checked
 * against the bytes present and the network's configuration: every entry is inflated as a stream, counting, and
 * refused past its bound (a zip bomb costs a bounded read, not memory); the configuration's parameter count is
 * computed from its layers without building the network; the array headers of the parameter and optimizer-state
 * entries (ND4J's binary format: shape buffer, then data buffer, each {@code UTF mode, long length, UTF type,
 * values}) must declare the lengths the configuration implies and be followed by that many bytes.
 */
final class ModelFileChecks {

    /** Largest network read: 2^28 parameters (1 GiB of floats). */
    static final long MAX_PARAMETERS = 1L << 28;
    /** Largest configuration or metadata entry. */
    static final int MAX_TEXT_BYTES = 16 << 20;
    /** Optimizer state values per parameter at most (Adam and Nadam keep 2, AMSGrad 3). */
    private static final int MAX_STATE_PER_PARAMETER = 4;

    private ModelFileChecks() {}

    /**
     * Throws if {@code file}'s entries are not what the configuration inside it implies; returns whether the
     * configuration is a {@code ComputationGraph}'s (rather than a {@code MultiLayerNetwork}'s).
     */
    static boolean check(Path file) throws InvalidModelFileException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry confEntry = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            if (confEntry == null) {
                throw new InvalidModelFileException(file, "has no " + ModelSerializer.CONFIGURATION_JSON);
            }
            String json = new String(readBounded(zip, confEntry, MAX_TEXT_BYTES, file), StandardCharsets.UTF_8);
            boolean graph = isGraph(json, file);
            long params = graph ? graphParameters(json, file) : parameters(json, file);
            Enumeration<? extends ZipEntry> entries = zip.entries();
            Set<String> names = new HashSet<>();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!names.add(e.getName())) {
                    // which copy a reader takes differs between readers: refuse rather than guess
                    throw new InvalidModelFileException(file, "holds the entry " + e.getName() + " more than once");
                }
                switch (e.getName()) {
                    case ModelSerializer.COEFFICIENTS_BIN -> checkArray(zip, e, params, params, file);
                    case ModelSerializer.UPDATER_BIN -> checkArray(zip, e, 0, MAX_STATE_PER_PARAMETER * params,
                            file);
                    default -> countBounded(zip, e, MAX_TEXT_BYTES, file);
                }
            }
            return graph;
        } catch (InvalidModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidModelFileException(file, "not a readable model file (" + e.getMessage() + ")", e);
        }
    }

    private static final ObjectMapper JSON =
            new ObjectMapper();

    /** Whether a configuration is a graph's: DL4J writes its vertices as a top-level "vertices" object. */
    private static boolean isGraph(String json, Path file) throws InvalidModelFileException {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidModelFileException(file, "its network configuration is not JSON (" + e.getMessage()
                    + ")", e);
        }
        if (tree == null || !tree.isObject()
                || (!tree.path("vertices").isObject() && !(tree.path("confs").isArray() && tree.path("confs").size() > 0))) {
            throw new InvalidModelFileException(file, "its network configuration (" + ModelSerializer.CONFIGURATION_JSON
                    + ") has no layers: expected a DL4J network's \"confs\" list or a graph's \"vertices\"");
        }
        return tree.has("vertices");
    }

    /** The parameter count of a graph configuration's vertices, computed without allocating them. */
    static long graphParameters(String json, Path file) throws InvalidModelFileException {
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new InvalidModelFileException(file, "its network configuration cannot be read (" + e.getMessage()
                    + ")", e);
        }
        if (conf.getVertices() == null || conf.getVertices().isEmpty()) {
            throw new InvalidModelFileException(file, "its network configuration (" + ModelSerializer.CONFIGURATION_JSON
                    + ") has no vertices");
        }
        long total = 0;
        for (var vertex : conf.getVertices().entrySet()) {
            total = addBounded(total, () -> vertex.getValue().numParams(true), vertex.getKey(), file);
        }
        return total;
    }

    private static long addBounded(long total, LongSupplier count, String name, Path file)
            throws InvalidModelFileException {
        long n;
        try {
            n = count.getAsLong();
        } catch (RuntimeException e) {
            throw new InvalidModelFileException(file, "layer " + name + " of its configuration is not valid ("
                    + e.getMessage() + ")", e);
        }
        if (n < 0 || n > MAX_PARAMETERS || total + n > MAX_PARAMETERS) {
            throw new InvalidModelFileException(file, "its configuration declares a network of more than "
                    + MAX_PARAMETERS + " parameters; refused");
        }
        return total + n;
    }

    /** The parameter count of the configuration's layers, computed without allocating them. */
    static long parameters(String json, Path file) throws InvalidModelFileException {
        MultiLayerConfiguration conf;
        try {
            conf = MultiLayerConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw new InvalidModelFileException(file, "its network configuration cannot be read (" + e.getMessage()
                    + ")", e);
        }
        if (conf.getConfs() == null || conf.getConfs().isEmpty()) {
            throw new InvalidModelFileException(file, "its network configuration (" + ModelSerializer.CONFIGURATION_JSON
                    + ") has no layers");
        }
        long total = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            total = addBounded(total, () -> layer.getLayer().initializer().numParams(layer),
                    String.valueOf(layer.getLayer().getLayerName()), file);
        }
        return total;
    }

    /** Checks an ND4J array entry: its data length in [min, max] values, and all its bytes present. */
    private static void checkArray(ZipFile zip, ZipEntry e, long min, long max, Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(zip.getInputStream(e))) {
            Header shape = header(in, e, 0, 64, file);
            skipExactly(in, shape.length() * 8, e, file);
            Header data = header(in, e, min, max, file);
            long length = data.length();
            String type = data.type();
            int width = switch (type) {
                case "FLOAT" -> 4;
                case "DOUBLE", "LONG" -> 8;
                case "HALF", "BFLOAT16", "SHORT", "UINT16" -> 2;
                case "INT", "UINT32" -> 4;
                case "BYTE", "UBYTE", "BOOL" -> 1;
                default -> throw new InvalidModelFileException(file, e.getName() + " holds values of type " + type
                        + ", which a network does not use");
            };
            skipExactly(in, length * width, e, file);
            if (in.read() >= 0) {
                throw new InvalidModelFileException(file, e.getName() + " has bytes after its " + length
                        + " values");
            }
        } catch (EOFException ex) {
            throw new InvalidModelFileException(file, e.getName() + " is truncated (" + ex.getMessage() + ")");
        }
    }

    /** A buffer header of ND4J's binary format. */
    private record Header(String mode, long length, String type) {}

    /** Reads a buffer header and checks its length is in [min, max]. */
    private static Header header(DataInputStream in, ZipEntry e, long min, long max, Path file) throws IOException {
        String mode = in.readUTF();
        long length = in.readLong();
        String type = in.readUTF();
        if (length < min || length > max) {
            throw new InvalidModelFileException(file, e.getName() + " declares " + length + " values ("
                    + mode + "); its configuration implies " + (min == max ? String.valueOf(min)
                    : "between " + min + " and " + max));
        }
        return new Header(mode, length, type);
    }

    private static void skipExactly(InputStream in, long bytes, ZipEntry e, Path file) throws IOException {
        byte[] sink = new byte[1 << 16];
        long left = bytes;
        while (left > 0) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                throw new InvalidModelFileException(file, e.getName() + " is truncated: it declares " + bytes
                        + " bytes of values and ends " + left + " bytes short");
            }
            left -= n;
        }
    }

    private static byte[] readBounded(ZipFile zip, ZipEntry e, int bound, Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copyBounded(zip, e, bound, file, out);
        return out.toByteArray();
    }

    private static void countBounded(ZipFile zip, ZipEntry e, long bound, Path file) throws IOException {
        copyBounded(zip, e, bound, file, OutputStream.nullOutputStream());
    }

    /** Inflates {@code e} into {@code out}, refusing it once it passes {@code bound} bytes. */
    private static void copyBounded(ZipFile zip, ZipEntry e, long bound, Path file, OutputStream out)
            throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (total > bound) {
                    throw new InvalidModelFileException(file, e.getName() + " inflates to more than " + bound
                            + " bytes; refused");
                }
                out.write(buf, 0, n);
            }
        }
    }
}
