package dev.jgan.trainer.loop;

import dev.jgan.api.TrainableGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential moving average of a generator's parameters: θ̄ ← d·θ̄ + (1 − d)·θ after each generator step from
 * the start step on, θ̄ = θ before it; d is constant or warms up ({@link TrainerOptions.Average#decayAt}).
 */
final class GeneratorAverage {

    private final TrainableGenerator generator;
    private final TrainerOptions.Average settings;
    private INDArray ema;

    GeneratorAverage(TrainableGenerator generator, TrainerOptions.Average settings) {
        this.generator = generator;
        this.settings = settings;
    }

    /** Takes G's parameters after a generator update of step {@code step} into the average. */
    void update(long step) {
        if (!settings.enabled()) {
            return;
        }
        if (ema == null) {
            ema = generator.params();
        } else {
            generator.averageParamsInto(ema, step <= settings.start() ? 0 : settings.decayAt(step));
        }
    }

    /** The averaged parameters (a copy), or null when the average is off. */
    INDArray params() {
        if (!settings.enabled()) {
            return null;
        }
        if (ema == null) {
            ema = generator.params();
        }
        return ema.dup();
    }

    /** Replaces the averaged parameters (when resuming). */
    void restore(INDArray params) {
        if (params.length() != generator.numParams()) {
            throw new IllegalArgumentException("averaged parameters have " + params.length() + " values, the "
                    + "generator " + generator.numParams());
        }
        ema = params.dup();
    }
}
