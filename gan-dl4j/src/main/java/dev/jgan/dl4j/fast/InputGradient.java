package dev.jgan.dl4j.fast;

/** Whether a backward pass computes the gradient with respect to its input. */
public enum InputGradient {
    /** Not computed; the pass returns null. */
    SKIP,
    /** Computed and returned. */
    COMPUTE
}
