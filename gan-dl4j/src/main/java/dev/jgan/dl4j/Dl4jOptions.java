package dev.jgan.dl4j;

/** Process-wide switches of the DL4J engine (system properties read when a network is wrapped). */
public final class Dl4jOptions {

    private Dl4jOptions() {}

    /**
     * {@code -Djgan.dl4j.fastpath=false} runs every layer through DL4J's own {@code MultiLayerNetwork} code instead
     * of the CPU fast path ({@code FastPath}, {@code FastAdam}) (for comparison and as a fallback); default true. On
     * a GPU backend the fast path is always off.
     */
    public static final String FAST_PATH_PROPERTY = "jgan.dl4j.fastpath";
}
