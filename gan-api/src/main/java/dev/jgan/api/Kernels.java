package dev.jgan.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which code an engine computes training with. The two compute the same function up to float rounding, so the
 * choice changes the last bits of a run's numbers, not what it learns; a resumed run must keep its choice to continue
 * bit for bit (it is part of the run's config).
 */
public enum Kernels {
    /** The engine's fast kernels where it has them (for DL4J on the CPU: its Java dense, convolution,
     * transposed-convolution and batch-norm kernels and Adam), its reference code elsewhere. */
    @JsonProperty("fast") FAST,
    /** The engine's own reference code for every layer and the optimizer (for DL4J: {@code MultiLayerNetwork}'s
     * layers and updater), for comparison or as a fallback. */
    @JsonProperty("reference") REFERENCE
}
