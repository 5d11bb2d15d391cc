package dev.jgan.dl4j.fast;

/** Whether a backward pass computes the gradient with respect to its input. */
public enum InputGradient {
    /** Not computed; the pass returns null. */
    SKIP,
    /** Computed and returned. */
    COMPUTE;

    /** Whether the pass computes it. */
    boolean computed() {
        return this == COMPUTE;
    }
}
