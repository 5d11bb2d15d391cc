package dev.jgan.examples;

import dev.jgan.api.Generator;
import dev.jgan.api.LatentSpace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        var rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        LatentSpace z = new LatentSpace(g.latentSize(), LatentSpace.Distribution.NORMAL);
        INDArray[] parts = new INDArray[(count + CHUNK - 1) / CHUNK];
        for (int i = 0; i < parts.length; i++) {
            INDArray noise = z.sample(Math.min(CHUNK, count - i * CHUNK), rng);
            if (label == null) {
                parts[i] = g.generateFromNoise(noise);
            } else {
                int[] labels = new int[(int) noise.size(0)];
                java.util.Arrays.fill(labels, label);
                parts[i] = g.generate(noise, labels);
            }
        }
        return parts.length == 1 ? parts[0] : Nd4j.concat(0, parts);
    }
}
