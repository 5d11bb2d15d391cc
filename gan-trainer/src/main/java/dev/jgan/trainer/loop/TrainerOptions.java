package dev.jgan.trainer.loop;

import dev.jgan.trainer.config.AugmentConfig;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.LearningRateDecay;
import dev.jgan.trainer.config.LossConfig;
import dev.jgan.trainer.config.TrainingConfig;

import java.util.Objects;

/**
 * What the adversarial loop does besides the loss; everything is off at 0.
 *
 * @param noise instance noise added to every image D sees
 * @param penalties gradient penalties on D
 * @param average exponential moving average of G's weights, used for sampling when on
 * @param augment differentiable augmentation of every image D sees ({@link DiffAugment})
 * @param passes how D's real and fake batches go through D
 * @param decay a decay of both networks' learning rates over a range of steps
 */
public record TrainerOptions(Noise noise, Penalties penalties, Average average, AugmentConfig augment,
                             RealFakePasses passes, LearningRateDecay decay) {

    /** Nothing besides the loss; real and fake batches fused where D allows. */
    public static final TrainerOptions NONE = new TrainerOptions(Noise.NONE, Penalties.NONE, Average.NONE,
            AugmentConfig.NONE, RealFakePasses.FUSED_WHEN_INDEPENDENT, LearningRateDecay.NONE);

    /** Validates the components. */
    public TrainerOptions {
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(penalties, "penalties");
        Objects.requireNonNull(average, "average");
        Objects.requireNonNull(augment, "augment");
        Objects.requireNonNull(passes, "passes");
        Objects.requireNonNull(decay, "decay");
    }

    /** {@code config}'s training settings, with the loss's {@code n_critic}, if given, as {@code d_steps}. */
    public static TrainingConfig training(GanConfig config) {
        TrainingConfig t = config.training();
        Integer nCritic = config.loss().nCritic();
        if (nCritic == null) {
            return t;
        }
        return t.withDiscriminatorSteps(nCritic);
    }

    /** The trainer's options that {@code config}'s loss, training, optimizers and augment sections give. */
    public static TrainerOptions from(GanConfig config) {
        LossConfig l = config.loss();
        TrainingConfig t = config.training();
        return new TrainerOptions(new TrainerOptions.Noise(l.instanceNoise(), l.instanceNoiseDecaySteps()),
                new TrainerOptions.Penalties(l.gradientPenalty(), l.r1(), l.r1Interval()),
                new TrainerOptions.Average(t.emaDecay(), t.emaStart(), t.emaWarmup()), config.augment(),
                TrainerOptions.RealFakePasses.FUSED_WHEN_INDEPENDENT, config.optimizers().decay());
    }

    /** A copy with other passes. */
    public TrainerOptions with(RealFakePasses p) {
        return new TrainerOptions(noise, penalties, average, augment, p, decay);
    }

    /** A copy with another learning-rate decay. */
    public TrainerOptions with(LearningRateDecay d) {
        return new TrainerOptions(noise, penalties, average, augment, passes, d);
    }

    /**
     * Gaussian instance noise (Sønderby et al. 2016).
     *
     * @param std standard deviation, &gt;= 0
     * @param decaySteps if &gt; 0, the noise falls linearly to 0 over this many steps
     */
    public record Noise(double std, long decaySteps) {
        /** Every setting at its default (off where a setting can be). */
        public static final Noise NONE = new Noise(0, 0);

        /** Validates the components. */
        public Noise {
            if (!(std >= 0) || decaySteps < 0) {
                throw new IllegalArgumentException("invalid instance noise " + std + ", " + decaySteps);
            }
        }

        /** The standard deviation at step {@code step} (from 1). */
        double at(long step) {
            return std == 0 ? 0 : decaySteps == 0 ? std : std * Math.max(0, 1 - (double) (step - 1) / decaySteps);
        }
    }

    /**
     * Penalties on D's input gradient (see {@link GradientPenalty}).
     *
     * @param gradientPenalty weight λ of the WGAN-GP penalty λ·E[(‖∇ₓD(x̂)‖₂ − 1)²] on interpolates
     * @param r1 weight γ of the R1 penalty (γ/2)·E‖∇ₓD(x)‖² on real images
     * @param r1Interval R1 is applied every this many iterations, with weight γ·interval
     */
    public record Penalties(double gradientPenalty, double r1, int r1Interval) {
        /** Every setting at its default (off where a setting can be). */
        public static final Penalties NONE = new Penalties(0, 0, 1);

        /** Validates the components. */
        public Penalties {
            if (!(gradientPenalty >= 0) || !(r1 >= 0) || r1Interval < 1) {
                throw new IllegalArgumentException("invalid penalties " + gradientPenalty + ", " + r1 + ", "
                        + r1Interval);
            }
        }

        /** The R1 weight to apply at step {@code step}: γ·interval on every interval-th step, else 0. */
        double r1At(long step) {
            return r1 > 0 && step % r1Interval == 0 ? r1 * r1Interval : 0;
        }
    }

    /**
     * An exponential moving average of G's parameters.
     *
     * @param decay decay in [0, 1); 0 turns it off
     * @param start the average equals G's parameters until this step, and averages from then on
     * @param warmup when &gt; 0, the decay of the n-th update after the start is min(decay, (1 + n) / (warmup + n))
     */
    public record Average(double decay, long start, int warmup) {
        /** Every setting at its default (off where a setting can be). */
        public static final Average NONE = new Average(0, 0, 0);

        /** Validates the components. */
        public Average {
            if (!(decay >= 0 && decay < 1) || start < 0 || warmup < 0) {
                throw new IllegalArgumentException("invalid average " + decay + ", " + start + ", " + warmup);
            }
        }

        /** An average of constant decay. */
        public Average(double decay, long start) {
            this(decay, start, 0);
        }

        /** Whether it is on. */
        public boolean enabled() {
            return decay > 0;
        }

        /** The decay of the update at step {@code step}, the n-th after the start (n = step - start). */
        double decayAt(long step) {
            long n = step - start;
            return warmup == 0 ? decay : Math.min(decay, (1.0 + n) / (warmup + n));
        }
    }

    /** How D's real and fake batches go through D in its step. */
    public enum RealFakePasses {
        /**
         * One pass over both when each logit depends on its own image only ({@code samplesIndependent}): the same
         * summed gradient in half the operations.
         */
        FUSED_WHEN_INDEPENDENT,
        /** Always two passes (for comparisons). */
        SEPARATE
    }
}
