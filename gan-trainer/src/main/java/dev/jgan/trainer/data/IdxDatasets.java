package dev.jgan.trainer.data;

import dev.jgan.api.ImageDataset;
import dev.jgan.api.ImageShape;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MNIST and Fashion-MNIST from IDX files: from a directory, downloaded once (checksum-verified) into it, or, for
 * MNIST without a directory, from the class path: the first 10,000 training images embedded in this module
 * (1.6 MB), and the 10,000 test images embedded in {@code gan-metrics} (1.65 MB) as the metrics' reference. Pixels
 * are scaled from [0, 255] to [-1, 1] here and nowhere else.
 */
public final class IdxDatasets {

    /** Dataset types a config may name. */
    public static final List<String> TYPES = List.of("mnist", "fashion_mnist", ImageFolders.TYPE);

    /** Class-path folder of the embedded MNIST training subset (in this module). */
    public static final String EMBEDDED_MNIST = "jgan/data/mnist-10k/";

    /** Class-path folder of the embedded MNIST test set (in {@code gan-metrics}). */
    public static final String EMBEDDED_MNIST_TEST = "jgan/data/mnist-test-10k/";

    private static final Logger LOG = LoggerFactory.getLogger(IdxDatasets.class);

    private static final Map<String, List<URI>> MIRRORS = Map.of(
            "mnist", List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            "fashion_mnist", List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")));

    /** MD5 of the published .gz files (as torchvision and the datasets' pages list them). */
    private static final Map<String, String> MD5 = Map.of(
            "mnist/train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "mnist/train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
            "mnist/t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
            "mnist/t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c",
            "fashion_mnist/train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "fashion_mnist/train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
            "fashion_mnist/t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
            "fashion_mnist/t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310");

    private IdxDatasets() {}

    /** Loads the images (and labels) that {@code config} names. */
    public static ImageDataset load(DataConfig config) throws DataException {
        if (config.isImageFolder()) {
            return ImageFolders.load(config);
        }
        String prefix = config.split().equals("train") ? "train" : "t10k";
        String imagesName = prefix + "-images-idx3-ubyte";
        String labelsName = prefix + "-labels-idx1-ubyte";
        IdxFiles.Images img;
        byte[] lab;
        String source;
        String images;
        String labels;
        if (config.location() == null) {
            if (!config.type().equals("mnist")) {
                throw new DataException("data.location: not set; only MNIST is embedded, so " + config.type()
                        + " needs a directory with its IDX files");
            }
            boolean train = config.split().equals("train");
            String folder = train ? EMBEDDED_MNIST : EMBEDDED_MNIST_TEST;
            String module = train ? "gan-trainer" : "gan-metrics";
            images = folder + imagesName + ".gz";
            labels = folder + labelsName + ".gz";
            img = readEmbedded(images, module, in -> IdxFiles.readImages(in, images, config.limit()));
            lab = readEmbedded(labels, module, in -> IdxFiles.readLabels(in, labels, config.limit()));
            source = train ? "embedded MNIST subset (first 10,000 training images)"
                    : "embedded MNIST test set (10,000 images)";
        } else {
            Path imagesFile = locate(config, imagesName);
            Path labelsFile = locate(config, labelsName);
            images = imagesFile.toString();
            labels = labelsFile.toString();
            img = IdxFiles.readImages(imagesFile, config.limit());
            lab = IdxFiles.readLabels(labelsFile, config.limit());
            source = config.type() + " " + config.split() + " from " + config.location();
        }
        if (lab.length != img.count()) {
            throw new DataException(labels + ": " + lab.length + " labels for " + img.count() + " images in "
                    + images);
        }
        return toDataset(source, img, lab);
    }

    /** Scales IDX bytes to [-1, 1] floats (x / 127.5 − 1). */
    public static ImageDataset toDataset(String name, IdxFiles.Images img, byte[] labels) {
        int size = img.rows() * img.cols();
        float[] values = new float[img.pixels().length];
        scale(img.pixels(), 0, values, 0, values.length);
        INDArray matrix = Nd4j.create(values, new long[] {img.count(), size}, 'c').castTo(DataType.FLOAT);
        int[] classes = null;
        if (labels != null) {
            classes = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                classes[i] = labels[i] & 0xff;
            }
        }
        return new ImageDataset(name, new ImageShape(1, img.rows(), img.cols()), matrix, classes);
    }

    /** Writes {@code count} pixel bytes from {@code pixels[from]} as [-1, 1] floats (x / 127.5 − 1) at {@code out[at]}. */
    public static void scale(byte[] pixels, int from, float[] out, int at, int count) {
        for (int i = 0; i < count; i++) {
            out[at + i] = (pixels[from + i] & 0xff) / 127.5f - 1f;
        }
    }

    /** Maps [-1, 1] floats back to bytes (the inverse of {@link #toDataset}), clamping. */
    public static byte[] toBytes(INDArray images) {
        float[] v = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) Math.round(Math.max(0, Math.min(255, (v[i] + 1f) * 127.5f)));
        }
        return out;
    }

    private static Path locate(DataConfig config, String name) throws DataException {
        Path dir = config.location();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DataException(dir + ": not a directory; data.location (--data-dir) is the folder that holds the "
                    + config.type() + " IDX files");
        }
        for (String candidate : List.of(name + ".gz", name)) {
            if (Files.isRegularFile(dir.resolve(candidate))) {
                return dir.resolve(candidate);
            }
        }
        String gz = name + ".gz";
        if (!config.download()) {
            throw new DataException(dir + ": missing " + gz + " (or " + name + "); put the " + config.type()
                    + " IDX files there, or set data.download to true on a machine with a network");
        }
        List<URI> mirrors = config.mirrors() != null ? config.mirrors() : MIRRORS.get(config.type());
        return download(dir, gz, config.type(), mirrors);
    }

    private static Path download(Path dir, String file, String type, List<URI> mirrors) throws DataException {
        String expected = MD5.get(type + "/" + file);
        StringBuilder failures = new StringBuilder();
        for (URI mirror : mirrors) {
            URI url = mirror.resolve(file);
            try {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, file, ".part");
                try {
                    MessageDigest md5 = MessageDigest.getInstance("MD5");
                    LOG.info("downloading {}", url);
                    try (InputStream in = new DigestInputStream(openUrl(url), md5)) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    }
                    String actual = HexFormat.of().formatHex(md5.digest());
                    if (!actual.equals(expected)) {
                        failures.append("\n  ").append(url).append(": checksum mismatch (md5 ").append(actual)
                                .append(", expected ").append(expected).append(')');
                        continue;
                    }
                    Path target = dir.resolve(file);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    return target;
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                failures.append("\n  ").append(url).append(": ").append(e.getClass().getSimpleName()).append(' ')
                        .append(e.getMessage());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new DataException(dir + ": missing " + file + " and no mirror gave a valid copy:" + failures
                + "\nOffline, put the " + type + " IDX files (" + file + " and the others) into " + dir);
    }

    private static InputStream openUrl(URI url) throws IOException {
        var conn = url.toURL().openConnection();
        conn.setConnectTimeout(10_000);
        conn.setReadTimeout(30_000);
        return conn.getInputStream();
    }

    private interface Reader<T> {
        T read(InputStream in) throws DataException;
    }

    private static <T> T readEmbedded(String resource, String module, Reader<T> reader) throws DataException {
        try (InputStream in = embedded(resource, module)) {
            return reader.read(in);
        } catch (IOException e) {
            throw new DataException(resource + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static InputStream embedded(String resource, String module) throws DataException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = loader == null ? null : loader.getResourceAsStream(resource);
        if (in == null) {
            in = IdxDatasets.class.getClassLoader().getResourceAsStream(resource);
        }
        if (in == null) {
            throw new DataException("data.location: not set, and the embedded MNIST file " + resource
                    + " is not on the class path; it ships in " + module + ". Set data.location to a "
                    + "directory with the MNIST IDX files");
        }
        return in;
    }
}
