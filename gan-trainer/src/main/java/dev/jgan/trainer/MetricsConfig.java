package dev.jgan.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;
import java.nio.file.Path;

/**
 * Sample-quality metrics during training (module {@code gan-metrics}; MNIST-like 28×28 grey images). Off by
 * default: scoring costs about as much as a few hundred training steps.
 *
 * @param everyEpochs score every this many epochs; 0 turns it off (default 0)
 * @param samples samples generated (from fixed noise) per scoring (default 2000)
 * @param reference directory with the MNIST IDX files whose test split is the reference (required when on)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricsConfig(
        @JsonProperty("every_epochs") Integer everyEpochs,
        @JsonProperty("samples") Integer samples,
        @JsonProperty("reference") Path reference) {

    public static final MetricsConfig DEFAULT = new MetricsConfig(null, null, null);

    public MetricsConfig {
        everyEpochs = everyEpochs == null ? 0 : everyEpochs;
        Checks.check(everyEpochs >= 0, "every_epochs", "0 (off) or a positive number of epochs", everyEpochs);
        samples = samples == null ? 2000 : samples;
        Checks.check(samples >= 100, "samples", "an integer >= 100", samples);
        Checks.check(everyEpochs == 0 || reference != null, "reference",
                "a directory with the MNIST IDX files when every_epochs > 0", null);
    }

    /** Whether metrics are on. */
    public boolean enabled() {
        return everyEpochs > 0;
    }
}
