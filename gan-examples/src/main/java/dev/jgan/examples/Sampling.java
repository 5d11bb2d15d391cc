package dev.jgan.examples;

import dev.jgan.api.Generator;
import dev.jgan.api.LatentSpace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Many samples from a generator, in chunks that bound memory. */
final class Sampling {

    private static final int CHUNK = 1000;

    private Sampling() {}

    /** {@code count} images from N(0, 1) noise of {@code seed}, as {@code [count, C, H, W]}. */
    static INDArray generate(Generator g, int count, long seed) {
        return generate(g, count, seed, null);
    }

    /** As above; for a conditional generator, all of class {@code label}, or all classes in turn when null. */
    static INDArray generate(Generator g, int count, long seed, Integer label) {
        List<INDArray> parts = new ArrayList<>();
        try {
            forEachChunk(g, count, seed, label, parts::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /** Something done with each chunk of generated images. */
    interface ChunkConsumer {
        void accept(INDArray images) throws IOException;
    }

    /**
     * Generates the same images as {@link #generate(Generator, int, long, Integer)}, {@value #CHUNK} at a time,
     * handing each chunk to {@code consumer} (so that memory does not grow with {@code count}).
     */
    static void forEachChunk(Generator g, int count, long seed, Integer label, ChunkConsumer consumer)
            throws IOException {
        var rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        LatentSpace z = new LatentSpace(g.latentSize(), LatentSpace.Distribution.NORMAL);
        for (int from = 0; from < count; from += CHUNK) {
            INDArray noise = z.sample(Math.min(CHUNK, count - from), rng);
            if (label == null) {
                consumer.accept(g.generateFromNoise(noise));
            } else {
                int[] labels = new int[(int) noise.size(0)];
                Arrays.fill(labels, label);
                consumer.accept(g.generate(noise, labels));
            }
        }
    }
}
