package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.jgan.api.Checks;
import java.nio.file.Path;

/**
 * Sample-quality metrics of a run (module {@code gan-metrics}, which must be on the class path; MNIST-like 28×28
 * grey images). By default the run is scored once at its end on MNIST data, against the MNIST test set embedded in
 * {@code gan-metrics} (a few seconds); scoring during training is off.
 *
 * @param everyEpochs score every this many epochs; 0 turns it off (default 0)
 * @param samples samples generated (from fixed noise) per scoring, and real training images scored for the floor
 *        at the end (default 2000)
 * @param reference directory with the MNIST IDX files whose test split is the reference (default null: the embedded
 *        MNIST test set; needed for data other than MNIST)
 * @param atEnd score the final generator once the run ends, next to real training images as the floor (default
 *        true; skipped with a log line for data other than MNIST unless {@code reference} is given)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"every_epochs", "samples", "reference", "at_end"})
public record MetricsConfig(
        @JsonProperty("every_epochs") Integer everyEpochs,
        @JsonProperty("samples") Integer samples,
        @JsonProperty("reference") Path reference,
        @JsonProperty("at_end") Boolean atEnd) {

    /** Every setting at its default (off where a setting can be). */
    public static final MetricsConfig DEFAULT = new MetricsConfig(null, null, null, null);

    /** Settings with scoring at the end on. */
    public MetricsConfig(Integer everyEpochs, Integer samples, Path reference) {
        this(everyEpochs, samples, reference, null);
    }

    /** Validates the components and fills in the defaults of null ones. */
    public MetricsConfig {
        everyEpochs = everyEpochs == null ? 0 : everyEpochs;
        Checks.check(everyEpochs >= 0, "every_epochs", "0 (off) or a positive number of epochs", everyEpochs);
        samples = samples == null ? 2000 : samples;
        Checks.check(samples >= 100 && samples <= 100_000, "samples", "an integer in [100, 100000]", samples);
        atEnd = atEnd == null ? Boolean.TRUE : atEnd;
    }

    /** Whether metrics are scored during training. */
    public boolean enabled() {
        return everyEpochs > 0;
    }
}
