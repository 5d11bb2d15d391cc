package dev.jgan.dl4j;

/** Process-wide switches of the DL4J engine (system properties read when a network is wrapped). */
public final class Dl4jOptions {

    private Dl4jOptions() {}

    /**
     * {@code -Djgan.dl4j.fastpath=false} runs every layer through DL4J's own {@code MultiLayerNetwork} code instead
     * of computing dense layers with {@code Nd4j.gemm} (for comparison and as a fallback); default true.
     */
    public static final String FAST_PATH_PROPERTY = "jgan.dl4j.fastpath";
}
