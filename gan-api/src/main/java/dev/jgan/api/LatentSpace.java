package dev.jgan.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The generator's input space: {@code size} independent coordinates drawn from {@code distribution}.
 *
 * @param size number of latent coordinates (default 100)
 * @param distribution {@code normal} (N(0,1), default) or {@code uniform} (U(-1,1))
 */
public record LatentSpace(int size, Distribution distribution) {

    /** How each latent coordinate is drawn. */
    public enum Distribution {
        @JsonProperty("normal") NORMAL,
        @JsonProperty("uniform") UNIFORM
    }

    /** Validates the components. */
    public LatentSpace {
        Checks.check(size >= 1, "size", "a latent size >= 1", size);
        Checks.check(distribution != null, "distribution", "\"normal\" or \"uniform\"", null);
    }

    @JsonCreator
    static LatentSpace fromJson(@JsonProperty("size") Integer size,
                                @JsonProperty("distribution") Distribution distribution) {
        return new LatentSpace(size == null ? 100 : size, distribution == null ? Distribution.NORMAL : distribution);
    }

    /** Samples {@code n} latent vectors as a {@code [n, size]} float matrix from the given generator. */
    public INDArray sample(int n, Random rng) {
        long[] shape = {n, size};
        return switch (distribution) {
            case NORMAL -> Nd4j.randn(rng, shape).castTo(DataType.FLOAT);
            case UNIFORM -> Nd4j.rand(-1, 1, rng, shape).castTo(DataType.FLOAT);
        };
    }
}
