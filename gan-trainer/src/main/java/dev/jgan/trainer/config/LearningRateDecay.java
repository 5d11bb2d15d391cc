package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;

/**
 * A linear decay of both learning rates over a range of steps: step t trains with the configured rates times
 * f(t) = 1 up to {@code start_step}, falling linearly to {@code final_factor} at {@code end_step}, and
 * {@code final_factor} after it (linear decay to 0 is how pix2pix and CycleGAN end their training). Off by default;
 * on the MNIST examples it brought no gain (docs/results/quality, ablations S26, S27, D4). A model file saved while
 * the decay is on records the rates then in effect.
 *
 * @param startStep last step at the full rates, &gt;= 0 (default 0)
 * @param endStep first step at {@code final_factor}, &gt; {@code start_step}; 0 turns the decay off (default 0)
 * @param finalFactor the rates' factor from {@code end_step} on, in [0, 1] (default 0)
 */
public record LearningRateDecay(
        @JsonProperty("start_step") Long startStep,
        @JsonProperty("end_step") Long endStep,
        @JsonProperty("final_factor") Double finalFactor) {

    /** No decay. */
    public static final LearningRateDecay NONE = new LearningRateDecay(null, null, null);

    /** Validates the components and fills in the defaults of null ones. */
    public LearningRateDecay {
        startStep = startStep == null ? 0L : startStep;
        Checks.check(startStep >= 0, "start_step", "a step >= 0", startStep);
        endStep = endStep == null ? 0L : endStep;
        Checks.check(endStep == 0 || endStep > startStep, "end_step", "0 (off) or a step > start_step ("
                + startStep + ")", endStep);
        finalFactor = finalFactor == null ? 0.0 : finalFactor;
        Checks.check(finalFactor >= 0 && finalFactor <= 1, "final_factor", "a factor in [0, 1]", finalFactor);
    }

    /** Whether the rates change at some step. */
    public boolean enabled() {
        return endStep > 0 && finalFactor != 1;
    }

    /** The rates' factor f(step) at step {@code step} (from 1). */
    public double factorAt(long step) {
        if (!enabled() || step <= startStep) {
            return 1;
        }
        if (step >= endStep) {
            return finalFactor;
        }
        return 1 + (finalFactor - 1) * (double) (step - startStep) / (endStep - startStep);
    }
}
