package dev.jgan.trainer.config;

import dev.jgan.trainer.data.DataConfig;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.jgan.api.Checks;
import dev.jgan.api.LatentSpace;

/**
 * One training run, as read from JSON by {@link ConfigReader}. Every section but the networks has defaults.
 *
 * @param schema config format version; only 1 exists
 * @param seed seed of every random choice in the run (weights, noise, data order)
 * @param data training images
 * @param latent latent size and distribution
 * @param generator generator type and settings
 * @param discriminator discriminator type and settings
 * @param loss adversarial loss
 * @param optimizers Adam settings per network
 * @param training epochs, batch size, steps
 * @param checkpoints when to checkpoint
 * @param divergence what to do when a loss stops being finite
 * @param metrics sample-quality scoring during training
 * @param output where run directories go
 * @param conditional class conditioning (off by default)
 * @param augment differentiable augmentation of what D sees (off by default)
 * @param engine how the engine computes training (its fast kernels by default)
 */
@JsonPropertyOrder({"schema", "seed", "data", "latent", "generator", "discriminator", "loss", "optimizers",
        "training", "checkpoints", "divergence", "metrics", "output", "conditional", "augment", "engine"})
public record GanConfig(
        @JsonProperty("schema") Integer schema,
        @JsonProperty("seed") Long seed,
        @JsonProperty("data") DataConfig data,
        @JsonProperty("latent") LatentSpace latent,
        @JsonProperty(value = "generator", required = true) NetworkConfig generator,
        @JsonProperty(value = "discriminator", required = true) NetworkConfig discriminator,
        @JsonProperty("loss") LossConfig loss,
        @JsonProperty("optimizers") OptimizersConfig optimizers,
        @JsonProperty("training") TrainingConfig training,
        @JsonProperty("checkpoints") CheckpointConfig checkpoints,
        @JsonProperty("divergence") DivergenceConfig divergence,
        @JsonProperty("metrics") MetricsConfig metrics,
        @JsonProperty("output") OutputConfig output,
        @JsonProperty("conditional") ConditionalConfig conditional,
        @JsonProperty("augment") AugmentConfig augment,
        @JsonProperty("engine") EngineConfig engine) {

    /** A copy with other training settings. */
    public GanConfig withTraining(TrainingConfig t) {
        return new GanConfig(schema, seed, data, latent, generator, discriminator, loss, optimizers, t, checkpoints,
                divergence, metrics, output, conditional, augment, engine);
    }

    /** A copy with other data settings. */
    public GanConfig withData(DataConfig d) {
        return new GanConfig(schema, seed, d, latent, generator, discriminator, loss, optimizers, training,
                checkpoints, divergence, metrics, output, conditional, augment, engine);
    }

    /** A copy with other output settings. */
    public GanConfig withOutput(OutputConfig o) {
        return new GanConfig(schema, seed, data, latent, generator, discriminator, loss, optimizers, training,
                checkpoints, divergence, metrics, o, conditional, augment, engine);
    }

    /** A copy with other engine settings. */
    public GanConfig withEngine(EngineConfig e) {
        return new GanConfig(schema, seed, data, latent, generator, discriminator, loss, optimizers, training,
                checkpoints, divergence, metrics, output, conditional, augment, e);
    }

    /** A copy with another seed. */
    public GanConfig withSeed(long s) {
        return new GanConfig(schema, s, data, latent, generator, discriminator, loss, optimizers, training,
                checkpoints, divergence, metrics, output, conditional, augment, engine);
    }

    /** The config format version this library writes and reads. */
    public static final int SCHEMA = 1;

    /** Validates the components and fills in the defaults of null ones. */
    public GanConfig {
        schema = schema == null ? SCHEMA : schema;
        Checks.check(schema == SCHEMA, "schema", String.valueOf(SCHEMA), schema);
        seed = seed == null ? 42L : seed;
        data = data == null ? DataConfig.DEFAULT : data;
        latent = latent == null ? new LatentSpace(100, LatentSpace.Distribution.NORMAL) : latent;
        Checks.check(generator != null, "generator", "an object with a \"type\"", null);
        Checks.check(discriminator != null, "discriminator", "an object with a \"type\"", null);
        loss = loss == null ? LossConfig.DEFAULT : loss;
        optimizers = optimizers == null ? OptimizersConfig.DEFAULT : optimizers;
        training = training == null ? TrainingConfig.DEFAULT : training;
        checkpoints = checkpoints == null ? CheckpointConfig.DEFAULT : checkpoints;
        divergence = divergence == null ? DivergenceConfig.DEFAULT : divergence;
        metrics = metrics == null ? MetricsConfig.DEFAULT : metrics;
        output = output == null ? OutputConfig.DEFAULT : output;
        conditional = conditional == null ? ConditionalConfig.NONE : conditional;
        augment = augment == null ? AugmentConfig.NONE : augment;
        engine = engine == null ? EngineConfig.DEFAULT : engine;
    }
}
