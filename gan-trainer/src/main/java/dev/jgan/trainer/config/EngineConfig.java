package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Kernels;

/**
 * How the engine computes training. Part of the run's config, so a resume refuses a changed choice (the two kernel
 * sets round differently, so a run continues bit for bit only with its own).
 *
 * @param kernels {@code "fast"} (default: the engine's fast kernels where it has them) or {@code "reference"} (the
 *     engine's own code for every layer and the optimizer)
 */
public record EngineConfig(@JsonProperty("kernels") Kernels kernels) {

    /** Every setting at its default. */
    public static final EngineConfig DEFAULT = new EngineConfig(null);

    /** Fills in the default of a null component. */
    public EngineConfig {
        kernels = kernels == null ? Kernels.FAST : kernels;
    }
}
