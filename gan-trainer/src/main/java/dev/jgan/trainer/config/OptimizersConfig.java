package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.OptimizerConfig;

/**
 * One Adam optimizer per network.
 *
 * @param generator the generator's optimizer
 * @param discriminator the discriminator's optimizer
 * @param decay a decay of both learning rates over a range of steps (default: none)
 */
public record OptimizersConfig(
        @JsonProperty("generator") OptimizerConfig generator,
        @JsonProperty("discriminator") OptimizerConfig discriminator,
        @JsonProperty("lr_decay") LearningRateDecay decay) {

    /** Every setting at its default (off where a setting can be). */
    public static final OptimizersConfig DEFAULT = new OptimizersConfig(null, null, null);

    /** Two optimizers with constant rates. */
    public OptimizersConfig(OptimizerConfig generator, OptimizerConfig discriminator) {
        this(generator, discriminator, null);
    }

    /** Validates the components and fills in the defaults of null ones. */
    public OptimizersConfig {
        generator = generator == null ? OptimizerConfig.DEFAULT : generator;
        discriminator = discriminator == null ? OptimizerConfig.DEFAULT : discriminator;
        decay = decay == null ? LearningRateDecay.NONE : decay;
    }
}
