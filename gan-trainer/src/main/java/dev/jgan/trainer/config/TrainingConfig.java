package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.Checks;

/**
 * How long and in what steps to train.
 *
 * @param epochs passes over the data, &gt;= 1 (default 5)
 * @param batchSize real images per discriminator step, &gt;= 1 (default 64)
 * @param discriminatorSteps discriminator updates (each on a fresh real batch) per generator update (default 1)
 * @param generatorSteps generator updates per iteration (default 1)
 * @param maxSteps stop after this many iterations even mid-epoch; 0 for no limit (default 0)
 * @param gridSize images in each fixed-noise sample grid, a square number is best (default 64)
 * @param emaDecay decay of an exponential moving average of the generator's weights, in [0, 1): when &gt; 0 (0.999
 *        is usual) grids, metrics and the saved generator use the averaged weights (default 0: off)
 * @param maxSeconds stop after this much training time in this session, even mid-epoch; 0 for no limit (default 0)
 * @param emaStart the average starts at this step: until then it equals G's current weights, so that the average
 *        does not carry the untrained weights of the first steps (default 0)
 * @param emaWarmup when &gt; 0, the average's decay at the n-th update after {@code ema_start} is
 *        min(ema_decay, (1 + n) / (ema_warmup + n)): short early, when G changes fast, and {@code ema_decay} later
 *        (with 10, the warm-up of TensorFlow's {@code ExponentialMovingAverage}); 0 for a constant decay (default 0)
 * @param generatorFakes what G's step trains on: {@code "fresh"} fakes of its own (default) or the {@code "reused"}
 *        fakes of D's step ({@link GeneratorFakes})
 */
public record TrainingConfig(
        @JsonProperty("epochs") Integer epochs,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("d_steps") Integer discriminatorSteps,
        @JsonProperty("g_steps") Integer generatorSteps,
        @JsonProperty("max_steps") Long maxSteps,
        @JsonProperty("grid_size") Integer gridSize,
        @JsonProperty("ema_decay") Double emaDecay,
        @JsonProperty("max_seconds") Double maxSeconds,
        @JsonProperty("ema_start") Long emaStart,
        @JsonProperty("ema_warmup") Integer emaWarmup,
        @JsonProperty("g_fakes") GeneratorFakes generatorFakes) {

    /** Every setting at its default (off where a setting can be). */
    public static final TrainingConfig DEFAULT = new TrainingConfig(null, null, null, null, null, null, null, null,
            null, null, null);

    /** Settings with a constant average decay. */
    public TrainingConfig(Integer epochs, Integer batchSize, Integer discriminatorSteps, Integer generatorSteps,
                          Long maxSteps, Integer gridSize, Double emaDecay, Double maxSeconds, Long emaStart) {
        this(epochs, batchSize, discriminatorSteps, generatorSteps, maxSteps, gridSize, emaDecay, maxSeconds, emaStart,
                null, null);
    }

    /** Settings with the average starting at step 0. */
    public TrainingConfig(Integer epochs, Integer batchSize, Integer discriminatorSteps, Integer generatorSteps,
                          Long maxSteps, Integer gridSize, Double emaDecay, Double maxSeconds) {
        this(epochs, batchSize, discriminatorSteps, generatorSteps, maxSteps, gridSize, emaDecay, maxSeconds, null);
    }

    /** A copy with other limits of steps, epochs and seconds. */
    public TrainingConfig withLimits(int epochs, long maxSteps, double maxSeconds) {
        return new TrainingConfig(epochs, batchSize, discriminatorSteps, generatorSteps, maxSteps, gridSize,
                emaDecay, maxSeconds, emaStart, emaWarmup, generatorFakes);
    }

    /** A copy with another batch size. */
    public TrainingConfig withBatchSize(int batch) {
        return new TrainingConfig(epochs, batch, discriminatorSteps, generatorSteps, maxSteps, gridSize, emaDecay,
                maxSeconds, emaStart, emaWarmup, generatorFakes);
    }

    /** A copy with {@code dSteps} discriminator steps per iteration. */
    public TrainingConfig withDiscriminatorSteps(int dSteps) {
        return new TrainingConfig(epochs, batchSize, dSteps, generatorSteps, maxSteps, gridSize, emaDecay,
                maxSeconds, emaStart, emaWarmup, generatorFakes);
    }

    /** A copy in which G's step trains on {@code fakes}. */
    public TrainingConfig withGeneratorFakes(GeneratorFakes fakes) {
        return new TrainingConfig(epochs, batchSize, discriminatorSteps, generatorSteps, maxSteps, gridSize, emaDecay,
                maxSeconds, emaStart, emaWarmup, fakes);
    }

    /** Settings without a time limit. */
    public TrainingConfig(Integer epochs, Integer batchSize, Integer discriminatorSteps, Integer generatorSteps,
                          Long maxSteps, Integer gridSize, Double emaDecay) {
        this(epochs, batchSize, discriminatorSteps, generatorSteps, maxSteps, gridSize, emaDecay, null);
    }

    /** Settings without a generator EMA. */
    public TrainingConfig(Integer epochs, Integer batchSize, Integer discriminatorSteps, Integer generatorSteps,
                          Long maxSteps, Integer gridSize) {
        this(epochs, batchSize, discriminatorSteps, generatorSteps, maxSteps, gridSize, null, null);
    }

    /** Validates the components and fills in the defaults of null ones. */
    public TrainingConfig {
        epochs = epochs == null ? 5 : epochs;
        Checks.check(epochs >= 1, "epochs", "an integer >= 1", epochs);
        batchSize = batchSize == null ? 64 : batchSize;
        Checks.check(batchSize >= 1, "batch_size", "an integer >= 1", batchSize);
        Checks.check(batchSize <= 65536, "batch_size", "an integer <= 65536", batchSize);
        discriminatorSteps = discriminatorSteps == null ? 1 : discriminatorSteps;
        Checks.check(discriminatorSteps >= 1 && discriminatorSteps <= 1000, "d_steps", "an integer in [1, 1000]",
                discriminatorSteps);
        generatorSteps = generatorSteps == null ? 1 : generatorSteps;
        Checks.check(generatorSteps >= 1 && generatorSteps <= 1000, "g_steps", "an integer in [1, 1000]",
                generatorSteps);
        maxSteps = maxSteps == null ? 0L : maxSteps;
        Checks.check(maxSteps >= 0, "max_steps", "0 (no limit) or a positive count", maxSteps);
        gridSize = gridSize == null ? 64 : gridSize;
        Checks.check(gridSize >= 1 && gridSize <= 1024, "grid_size", "an integer in [1, 1024]", gridSize);
        maxSeconds = maxSeconds == null ? 0.0 : maxSeconds;
        Checks.check(maxSeconds >= 0 && Double.isFinite(maxSeconds), "max_seconds", "0 (no limit) or seconds",
                maxSeconds);
        emaDecay = emaDecay == null ? 0.0 : emaDecay;
        Checks.check(emaDecay >= 0 && emaDecay < 1, "ema_decay", "0 (off) or a decay in (0, 1) such as 0.999",
                emaDecay);
        emaStart = emaStart == null ? 0L : emaStart;
        Checks.check(emaStart >= 0, "ema_start", "a step >= 0", emaStart);
        emaWarmup = emaWarmup == null ? 0 : emaWarmup;
        Checks.check(emaWarmup >= 0, "ema_warmup", "0 (off) or a number of updates >= 1", emaWarmup);
        generatorFakes = generatorFakes == null ? GeneratorFakes.FRESH : generatorFakes;
    }
}
