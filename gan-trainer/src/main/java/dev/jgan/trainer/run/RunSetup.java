package dev.jgan.trainer.run;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.OutputConfig;
import dev.jgan.trainer.data.DataException;

import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import dev.jgan.api.Conditioning;
import dev.jgan.api.ImageDataset;
import dev.jgan.trainer.data.BalancedKMeans;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.slf4j.LoggerFactory;

/** Checks and folders a run needs before it trains. */
public final class RunSetup {

    private RunSetup() {}

    static void checkShapes(Generator g, Discriminator d, ImageSource data)
            throws ConfigException, DataException {
        int k = g.numClasses();
        if (k > 0) {
            if (data.classes() == 0) {
                throw new DataException(data.name() + ": conditional.num_classes is " + k
                        + " but the data has no labels");
            }
            int max = data.classes() - 1;
            if (max >= k) {
                throw new ConfigException("config", "conditional.num_classes", "expected more than the largest "
                        + "label of the data (" + max + "), got " + k, null);
            }
        }
        int[] labels = k > 0 ? new int[] {0, k - 1} : null;
        INDArray z = Nd4j.zeros(DataType.FLOAT, 2, g.latentSize());
        INDArray images;
        try {
            images = k > 0 ? g.generate(z, labels) : g.generate(z);
        } catch (RuntimeException e) {
            throw new ConfigException("config", "generator", "the generator network does not produce "
                    + data.shape() + " images like the data: " + e.getMessage(), e);
        }
        try {
            d.forward(images, k > 0 ? Conditioning.oneHot(labels, k) : null, false);
        } catch (RuntimeException e) {
            throw new ConfigException("config", "discriminator", "the discriminator network cannot take the "
                    + data.shape() + " images of the data and generator: " + e.getMessage(), e);
        }
    }

    /**
     * {@code data} labelled by {@code k} balanced k-means clusters of its pixels (seeded by {@code seed}), for a
     * self-conditioned GAN; needs the images in memory.
     */
    static ImageSource clustered(ImageSource data, int k, long seed) throws ConfigException {
        if (!(data instanceof ImageDataset memory)) {
            throw new ConfigException("config", "conditional.labels", "\"data\" for streamed images: clusters "
                    + "are computed from all images in memory (data.storage \"memory\")", null);
        }
        long t0 = System.nanoTime();
        int[] clusters = BalancedKMeans.cluster(memory.images(), k, seed, 20);
        LoggerFactory.getLogger(RunSetup.class).info("labels: {} balanced k-means clusters of the "
                + "pixels ({} images, {} s)", k, memory.size(), String.format(Locale.ROOT, "%.1f",
                (System.nanoTime() - t0) / 1e9));
        return new ImageDataset(memory.name() + ", labelled by " + k + " k-means clusters",
                memory.shape(), memory.images(), clusters);
    }

    /**
     * Creates {@code output.directory()/NAME-yyyyMMdd-HHmmss} (UTC; {@code -2}, {@code -3}... when taken): the one
     * place run directories are named, for single-process and distributed runs.
     *
     * @throws ConfigException naming output.directory when it cannot be created
     */
    public static Path createRunDirectory(OutputConfig output, String name) throws ConfigException {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path parent = output.directory();
        Path dir = parent.resolve(name + "-" + stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = parent.resolve(name + "-" + stamp + "-" + i);
        }
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            String why = e instanceof FileSystemException fs
                    ? fs.getFile() + ": " + (fs.getReason() != null ? fs.getReason()
                            : e instanceof AccessDeniedException ? "permission denied" : "unusable")
                    : e.getMessage();
            throw new ConfigException("config", "output.directory", "cannot create the run directory " + dir
                    + " (" + why + ")", e);
        }
    }

    /**
     * Deletes the temporary files a killed save left in a run directory ({@code *.tmp}: model files are written to a
     * temporary file and renamed into place). Called only by the process that holds the run's lock.
     */
    static void removeStaleTemporaries(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".tmp")
                    && Files.isRegularFile(f)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
