package dev.jgan.dl4j.fast;

/** What a backward pass does with the parameter gradients of the layers it computes. */
public enum ParameterGradient {
    /** Not computed (only the input gradient is wanted). */
    SKIP,
    /** Written over the network's gradient view. */
    WRITE,
    /** Added to what the gradient view holds (a gradient pending from an earlier pass). */
    ADD
}
