package dev.jgan.dl4j;

import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.ModelMetadata;
import dev.jgan.api.TrainableGenerator;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import java.util.Arrays;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saved networks: a DL4J {@link ModelSerializer} zip (configuration, parameters, optimizer state) with one extra
 * entry, {@value #METADATA_ENTRY}, that records the network's role, type, shapes and provenance. DL4J reads these
 * files as ordinary model files.
 */
public final class ModelFiles {

    /** Name of the metadata entry inside the zip. */
    public static final String METADATA_ENTRY = ModelFileFormat.METADATA_ENTRY;
    /** The role of a saved generator. */
    public static final String GENERATOR = ModelMetadata.GENERATOR;
    /** The role of a saved discriminator. */
    public static final String DISCRIMINATOR = ModelMetadata.DISCRIMINATOR;

    private ModelFiles() {}

    /**
     * Writes {@code net} and {@code metadata} to {@code file} atomically: a crash leaves the old file intact; the
     * parameters are stored uncompressed.
     */
    public static void save(MultiLayerNetwork net, Path file, ModelMetadata metadata) throws IOException {
        ModelFileFormat.save(new StackModel(net), file, metadata);
    }

    /** As {@link #save(MultiLayerNetwork, Path, ModelMetadata)}, for a graph with one input and one output. */
    public static void save(ComputationGraph graph, Path file, ModelMetadata metadata) throws IOException {
        ModelFileFormat.save(new GraphModel(graph), file, metadata);
    }

    /** Reads the metadata entry of a saved network, checking that the file is one. */
    public static ModelMetadata readMetadata(Path file) throws InvalidModelFileException {
        return ModelFileFormat.readMetadata(file);
    }

    /**
     * Reads the DL4J network (with optimizer state) of a saved file of the given role: a {@link MultiLayerNetwork}
     * or a {@link ComputationGraph}.
     */
    public static Model readNetwork(Path file, String role) throws InvalidModelFileException {
        return ModelFileFormat.readModel(file, role).model();
    }

    /**
     * Writes the network of {@code source} to {@code target} for inference only: without its optimizer state (about
     * two thirds of a training file) and with {@code metadata}. The source is checked as {@link #loadGenerator} or
     * {@link #loadDiscriminator} would.
     */
    public static void publish(Path source, Path target, ModelMetadata metadata) throws IOException {
        ModelFileFormat.expectRole(source, metadata.role());
        ModelFileFormat.save(ModelFileFormat.restore(source), target, metadata,
                ModelFileFormat.OptimizerState.LEFT_OUT);
    }

    /** Loads a generator saved by {@link Generator#save}. */
    public static TrainableGenerator loadGenerator(Path file) throws InvalidModelFileException {
        ModelMetadata md = ModelFileFormat.expectRole(file, GENERATOR);
        Model net = ModelFileFormat.restore(file).model();
        Dl4jGenerator g;
        long[] shape;
        try {
            // one image from zero noise: the network must take what the metadata says and make its image shape
            g = new Dl4jGenerator(md.type(), net, md.latentSize(), md.image(), md.classes());
            shape = g.generateFromNoise(Nd4j.zeros(1, md.latentSize())).shape();
        } catch (RuntimeException e) {
            throw new InvalidModelFileException(file, "its network does not match its metadata (latent size "
                    + md.latentSize() + ", " + md.classes() + " classes, images " + md.image() + "): "
                    + e.getMessage(), e);
        }
        long[] expected = {1, md.image().channels(), md.image().height(), md.image().width()};
        if (!Arrays.equals(shape, expected)) {
            throw new InvalidModelFileException(file, "its network makes images of shape "
                    + Arrays.toString(shape) + ", its metadata says " + md.image());
        }
        return g;
    }

    /** Loads a discriminator saved by {@link Discriminator#save}. */
    public static Discriminator loadDiscriminator(Path file) throws InvalidModelFileException {
        ModelMetadata md = ModelFileFormat.expectRole(file, DISCRIMINATOR);
        return new Dl4jDiscriminator(md.type(), ModelFileFormat.restore(file).model(), md.image(), md.classes(),
                md.spectrallyNormalised(), 0);
    }
}
