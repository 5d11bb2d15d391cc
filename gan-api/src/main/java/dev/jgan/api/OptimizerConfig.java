package dev.jgan.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Adam settings for one network. Defaults are those of DCGAN (Radford et al. 2015): lr 2e-4, β₁ 0.5, β₂ 0.999.
 *
 * @param learningRate step size, &gt; 0
 * @param beta1 first-moment decay in [0, 1)
 * @param beta2 second-moment decay in [0, 1)
 * @param epsilon numerical stabiliser, &gt; 0
 */
public record OptimizerConfig(
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("beta1") double beta1,
        @JsonProperty("beta2") double beta2,
        @JsonProperty("epsilon") double epsilon) {

    public static final OptimizerConfig DEFAULT = new OptimizerConfig(2e-4, 0.5, 0.999, 1e-8);

    @JsonCreator
    static OptimizerConfig fromJson(
            @JsonProperty("learning_rate") Double learningRate,
            @JsonProperty("beta1") Double beta1,
            @JsonProperty("beta2") Double beta2,
            @JsonProperty("epsilon") Double epsilon) {
        return new OptimizerConfig(learningRate == null ? DEFAULT.learningRate : learningRate,
                beta1 == null ? DEFAULT.beta1 : beta1, beta2 == null ? DEFAULT.beta2 : beta2,
                epsilon == null ? DEFAULT.epsilon : epsilon);
    }

    public OptimizerConfig {
        Checks.check(learningRate > 0 && Double.isFinite(learningRate), "learning_rate",
                "a finite number > 0", learningRate);
        Checks.check(beta1 >= 0 && beta1 < 1, "beta1", "a number in [0, 1)", beta1);
        Checks.check(beta2 >= 0 && beta2 < 1, "beta2", "a number in [0, 1)", beta2);
        Checks.check(epsilon > 0, "epsilon", "a number > 0", epsilon);
    }
}
