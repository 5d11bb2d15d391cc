package dev.jgan.dl4j.fast;

/** What a backward pass does with the parameter gradients of the layers it computes. */
public enum ParameterGradient {
    /** Not computed (only the input gradient is wanted). */
    SKIP,
    /** Written over the network's gradient view. */
    WRITE,
    /** Added to what the gradient view holds (a gradient pending from an earlier pass). */
    ADD;

    /** Whether the pass computes parameter gradients. */
    boolean computed() {
        return this != SKIP;
    }

    /** Whether they are added to the gradient view rather than written over it. */
    boolean adds() {
        return this == ADD;
    }
}
