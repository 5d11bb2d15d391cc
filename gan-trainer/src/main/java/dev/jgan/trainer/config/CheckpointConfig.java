package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;

/**
 * When to checkpoint. A checkpoint is also written at the end of training and when training is stopped (Ctrl-C).
 *
 * @param everySteps checkpoint every this many iterations; 0 for none between epochs (default 500)
 * @param everyEpoch checkpoint at the end of every epoch (default true)
 * @param keep how many of the newest checkpoints to keep, &gt;= 1 (default 3)
 */
public record CheckpointConfig(
        @JsonProperty("every_steps") Integer everySteps,
        @JsonProperty("every_epoch") Boolean everyEpoch,
        @JsonProperty("keep") Integer keep) {

    /** Every setting at its default (off where a setting can be). */
    public static final CheckpointConfig DEFAULT = new CheckpointConfig(null, null, null);

    /** Validates the components and fills in the defaults of null ones. */
    public CheckpointConfig {
        everySteps = everySteps == null ? 500 : everySteps;
        Checks.check(everySteps >= 0, "every_steps", "0 (off) or a positive number of steps", everySteps);
        everyEpoch = everyEpoch == null || everyEpoch;
        keep = keep == null ? 3 : keep;
        Checks.check(keep >= 1, "keep", "an integer >= 1", keep);
    }
}
