package dev.jgan.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Adam settings for one network. Defaults are those of DCGAN (Radford et al. 2015): lr 2e-4, β₁ 0.5, β₂ 0.999. A
 * null component takes its default. The ranges keep every value meaningful in single precision, where the
 * networks train.
 *
 * @param learningRate step size in [1e-10, 10]
 * @param beta1 first-moment decay in [0, 1)
 * @param beta2 second-moment decay in [0, 1)
 * @param epsilon numerical stabiliser in [1e-12, 1]
 */
public record OptimizerConfig(
        @JsonProperty("learning_rate") Double learningRate,
        @JsonProperty("beta1") Double beta1,
        @JsonProperty("beta2") Double beta2,
        @JsonProperty("epsilon") Double epsilon) {

    /** Every setting at its default (off where a setting can be). */
    public static final OptimizerConfig DEFAULT = new OptimizerConfig(null, null, null, null);

    /** Validates the components and fills in the defaults of null ones. */
    public OptimizerConfig {
        learningRate = learningRate == null ? 2e-4 : learningRate;
        Checks.check(learningRate > 0 && Double.isFinite(learningRate), "learning_rate", "a finite number > 0",
                learningRate);
        Checks.check(learningRate >= 1e-10 && learningRate <= 10, "learning_rate", "a number in [1e-10, 10]",
                learningRate);
        beta1 = beta1 == null ? 0.5 : beta1;
        Checks.check(beta1 >= 0 && beta1 < 1, "beta1", "a number in [0, 1)", beta1);
        beta2 = beta2 == null ? 0.999 : beta2;
        Checks.check(beta2 >= 0 && beta2 < 1, "beta2", "a number in [0, 1)", beta2);
        epsilon = epsilon == null ? 1e-8 : epsilon;
        Checks.check(epsilon >= 1e-12 && epsilon <= 1, "epsilon", "a number in [1e-12, 1]", epsilon);
    }
}
