package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;

/**
 * What to do when a loss becomes NaN or infinite.
 *
 * @param action {@code stop} (default): stop with a message, keeping the checkpoints as they are; {@code rollback}:
 *     reload the newest checkpoint, multiply both learning rates by {@code lrFactor} and go on
 * @param lrFactor learning-rate factor per rollback, in (0, 1) (default 0.5)
 * @param maxRollbacks rollbacks allowed before stopping anyway, over all sessions of a resumed run (default 3)
 */
public record DivergenceConfig(
        @JsonProperty("action") String action,
        @JsonProperty("lr_factor") Double lrFactor,
        @JsonProperty("max_rollbacks") Integer maxRollbacks) {

    /** Every setting at its default (off where a setting can be). */
    public static final DivergenceConfig DEFAULT = new DivergenceConfig(null, null, null);

    /** Validates the components and fills in the defaults of null ones. */
    public DivergenceConfig {
        action = action == null ? "stop" : action;
        Checks.check(action.equals("stop") || action.equals("rollback"), "action", "\"stop\" or \"rollback\"",
                action);
        lrFactor = lrFactor == null ? 0.5 : lrFactor;
        Checks.check(lrFactor > 0 && lrFactor < 1, "lr_factor", "a number in (0, 1)", lrFactor);
        maxRollbacks = maxRollbacks == null ? 3 : maxRollbacks;
        Checks.check(maxRollbacks >= 1, "max_rollbacks", "an integer >= 1", maxRollbacks);
    }

    /** Whether to roll back rather than stop. */
    public boolean rollback() {
        return action.equals("rollback");
    }
}
