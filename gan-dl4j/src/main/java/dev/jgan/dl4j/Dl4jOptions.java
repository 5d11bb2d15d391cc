package dev.jgan.dl4j;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Options of the DL4J engine.
 *
 * @param kernels which code computes the training passes and the optimizer step
 */
public record Dl4jOptions(Kernels kernels) {

    /** Which code computes a wrapped network's training passes and Adam steps. */
    public enum Kernels {
        /** The CPU fast path (dense, convolution, transposed-convolution and batch-norm kernels; Adam) where it
         * applies, DL4J's own layer code elsewhere; on a non-CPU backend the same as {@link #DL4J}. */
        FAST,
        /** DL4J's own {@code MultiLayerNetwork} code for every layer and its updater (for comparison, fallback). */
        DL4J
    }

    /**
     * User-facing override of the default, read only by {@link #defaults()}: {@code -Djgan.dl4j.fastpath=false}
     * makes {@link Kernels#DL4J} the default.
     */
    public static final String FAST_PATH_PROPERTY = "jgan.dl4j.fastpath";

    public Dl4jOptions {
        java.util.Objects.requireNonNull(kernels, "kernels");
    }

    /** {@link Kernels#FAST}, unless {@link #FAST_PATH_PROPERTY} says {@code false}. */
    public static Dl4jOptions defaults() {
        return new Dl4jOptions(Boolean.parseBoolean(System.getProperty(FAST_PATH_PROPERTY, "true")) ? Kernels.FAST
                : Kernels.DL4J);
    }

    /** Whether the fast path runs: asked for, and on ND4J's CPU backend (its Java loops work on host memory). */
    boolean fast() {
        return kernels == Kernels.FAST && Nd4j.getEnvironment().isCPU();
    }
}
