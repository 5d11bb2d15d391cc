package dev.jgan.dl4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.api.ModelMetadata;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardCopyOption;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.io.FileNotFoundException;

/**
 * The file format of {@link ModelFiles}: writing and reading the zip and its metadata entry, without the wrappers
 * (so that the wrappers can save themselves through it).
 */
final class ModelFileFormat {

    /** Name of the metadata entry inside the zip. */
    static final String METADATA_ENTRY = "jgan-metadata.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFileFormat() {}

    /**
     * Writes {@code net} and {@code metadata} to {@code file} atomically: a crash leaves the old file intact. The
     * entries are {@link ModelSerializer}'s (configuration, parameters, optimizer state), written here rather than
     * through it so that the parameters go in uncompressed: deflating them saved about a tenth of the size and cost
     * about 1.7 s per checkpoint of the default dense GAN (its output was also inflated and deflated again to add
     * the metadata entry).
     */
    static void save(Dl4jModel net, Path file, ModelMetadata metadata) throws IOException {
        save(net, file, metadata, OptimizerState.INCLUDED);
    }

    /** Whether a saved file carries the optimizer state (needed to continue training, not to generate). */
    enum OptimizerState { INCLUDED, LEFT_OUT }

    /** As {@link #save(Dl4jModel, Path, ModelMetadata)}, with or without the optimizer state. */
    static void save(Dl4jModel net, Path file, ModelMetadata metadata, OptimizerState optimizer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                 ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(fos, 1 << 16));
                 DataOutputStream data = new DataOutputStream(out)) {
                out.putNextEntry(new ZipEntry(ModelSerializer.CONFIGURATION_JSON));
                data.write(net.configurationJson().getBytes(StandardCharsets.UTF_8));
                out.setLevel(Deflater.NO_COMPRESSION);
                INDArray params = net.model().params();
                if (params != null) {
                    out.putNextEntry(new ZipEntry(ModelSerializer.COEFFICIENTS_BIN));
                    Nd4j.write(params, data);
                } else {
                    out.putNextEntry(new ZipEntry(ModelSerializer.NO_PARAMS_MARKER));
                }
                INDArray updaterState = optimizer == OptimizerState.INCLUDED ? net.updaterState() : null;
                if (updaterState != null && updaterState.length() > 0) {
                    out.putNextEntry(new ZipEntry(ModelSerializer.UPDATER_BIN));
                    Nd4j.write(updaterState, data);
                }
                out.setLevel(Deflater.DEFAULT_COMPRESSION);
                out.putNextEntry(new ZipEntry(METADATA_ENTRY));
                data.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
                data.flush();
                out.closeEntry();
                out.finish();
                out.flush();
                fos.getFD().sync();
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether a saved network carries optimizer state (a file published for inference only does not). */
    static boolean hasOptimizerState(Path file) throws InvalidModelFileException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(ModelSerializer.UPDATER_BIN) != null;
        } catch (IOException e) {
            throw new InvalidModelFileException(file, "cannot be read as a zip file (" + e.getMessage() + ")", e);
        }
    }

    /** Reads only the metadata of a saved network. */
    static ModelMetadata readMetadata(Path file) throws InvalidModelFileException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(METADATA_ENTRY);
            if (entry == null) {
                throw new InvalidModelFileException(file, "not a jgan model file: it has no " + METADATA_ENTRY
                        + " entry (a plain DL4J model can be wrapped with Dl4jGenerator or Dl4jDiscriminator)");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                ModelMetadata md = JSON.readValue(in, ModelMetadata.class);
                if (md.formatVersion() > ModelMetadata.FORMAT_VERSION) {
                    throw new InvalidModelFileException(file, "written in model format version "
                            + md.formatVersion() + " by a newer jgan; this version reads up to "
                            + ModelMetadata.FORMAT_VERSION);
                }
                if (md.image() == null || md.role() == null) {
                    throw new InvalidModelFileException(file, METADATA_ENTRY + " lacks 'role' or 'image'");
                }
                return md;
            }
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new InvalidModelFileException(file, "no such file");
        } catch (ZipException e) {
            throw new InvalidModelFileException(file, "not a model file (not a readable zip archive: "
                    + e.getMessage() + ")");
        } catch (InvalidModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidModelFileException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    static ModelMetadata expectRole(Path file, String role) throws InvalidModelFileException {
        ModelMetadata md = readMetadata(file);
        if (!role.equals(md.role())) {
            throw new InvalidModelFileException(file, "holds a " + md.role() + "; expected a " + role);
        }
        return md;
    }

    /** Reads the DL4J network (with optimizer state) of a saved file of the given role. */
    static Dl4jModel readModel(Path file, String role) throws InvalidModelFileException {
        expectRole(file, role);
        return restore(file);
    }

    /**
     * Reads the network of a model file, a {@link MultiLayerNetwork} or a {@link ComputationGraph} as its
     * configuration says, after {@link ModelFileChecks} has checked every entry's size.
     */
    static Dl4jModel restore(Path file) throws InvalidModelFileException {
        boolean graph = ModelFileChecks.check(file);
        Dl4jModel model;
        try {
            model = graph ? new GraphModel(ModelSerializer.restoreComputationGraph(file.toFile(), true))
                    : new StackModel(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true));
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelFileException(file, "the network inside cannot be read (" + e.getMessage() + ")",
                    e);
        }
        var params = model.model().params();
        if (params != null && !Double.isFinite(params.sumNumber().doubleValue())) {
            throw new InvalidModelFileException(file, "its parameters are not all finite (NaN or infinite "
                    + "values): the network diverged before it was saved, or the file was altered");
        }
        return model;
    }
}
