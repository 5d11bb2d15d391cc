package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.jgan.api.AdversarialLoss;
import dev.jgan.api.Checks;
import dev.jgan.api.LossRegistry;
import dev.jgan.api.Losses;

/**
 * The adversarial loss and the options around it; every option is off unless given a weight.
 *
 * @param type a loss name: one of {@link Losses#names()} or one registered in the reader's
 *        {@link LossRegistry} (checked by {@link ConfigReader}); default {@code non_saturating}
 * @param labelSmoothing one-sided label smoothing α in [0, 0.5): D's real target becomes 1 − α (cross-entropy and
 *        least-squares losses only); default 0
 * @param instanceNoise standard deviation of Gaussian noise added to every image D sees (real and generated, in
 *        both steps; Sønderby et al. 2016), &gt;= 0; default 0
 * @param instanceNoiseDecaySteps if &gt; 0, the noise falls linearly to 0 over this many steps; default 0 (constant)
 * @param gradientPenalty weight λ of the WGAN-GP gradient penalty λ·E[(‖∇D(x̂)‖₂ − 1)²] on random interpolates
 *        x̂ of real and generated images, &gt;= 0; default 0 (off); usable with any loss
 * @param r1 weight γ of the R1 penalty (γ/2)·E[‖∇D(x)‖₂²] on real images (Mescheder et al. 2018), &gt;= 0;
 *        default 0 (off); needs a discriminator without batch norm
 * @param r1Interval apply R1 every this many iterations with weight γ·interval ("lazy" regularisation, Karras et
 *        al. 2020), &gt;= 1; default 1
 * @param nCritic discriminator (critic) steps per generator step; sets {@code training.d_steps} (default: that
 *        value; give one or the other)
 */
@JsonPropertyOrder({"type", "label_smoothing", "instance_noise", "instance_noise_decay_steps", "gradient_penalty",
        "r1", "r1_interval", "n_critic"})
public record LossConfig(
        @JsonProperty("type") String type,
        @JsonProperty("label_smoothing") Double labelSmoothing,
        @JsonProperty("instance_noise") Double instanceNoise,
        @JsonProperty("instance_noise_decay_steps") Long instanceNoiseDecaySteps,
        @JsonProperty("gradient_penalty") Double gradientPenalty,
        @JsonProperty("r1") Double r1,
        @JsonProperty("r1_interval") Integer r1Interval,
        @JsonProperty("n_critic") Integer nCritic) {

    /** Every setting at its default (off where a setting can be). */
    public static final LossConfig DEFAULT = new LossConfig(null, null, null, null, null, null, null, null);

    /** Validates the components and fills in the defaults of null ones. */
    public LossConfig {
        type = type == null ? "non_saturating" : type;
        Checks.check(!type.isBlank(), "type", "a loss name, one of " + Losses.names() + " or a registered one", type);
        labelSmoothing = labelSmoothing == null ? 0.0 : labelSmoothing;
        Checks.check(labelSmoothing >= 0 && labelSmoothing < 0.5, "label_smoothing", "a number in [0, 0.5)",
                labelSmoothing);
        Checks.check(labelSmoothing == 0 || Losses.smoothable().contains(type), "label_smoothing",
                "0 for the " + type + " loss (smoothing applies to " + Losses.smoothable() + ")", labelSmoothing);
        instanceNoise = instanceNoise == null ? 0.0 : instanceNoise;
        Checks.check(instanceNoise >= 0 && Double.isFinite(instanceNoise), "instance_noise", "a number >= 0",
                instanceNoise);
        instanceNoiseDecaySteps = instanceNoiseDecaySteps == null ? 0L : instanceNoiseDecaySteps;
        Checks.check(instanceNoiseDecaySteps >= 0, "instance_noise_decay_steps", "0 (constant) or a step count",
                instanceNoiseDecaySteps);
        gradientPenalty = gradientPenalty == null ? 0.0 : gradientPenalty;
        Checks.check(gradientPenalty >= 0 && Double.isFinite(gradientPenalty), "gradient_penalty",
                "a weight >= 0 (10 in WGAN-GP)", gradientPenalty);
        r1 = r1 == null ? 0.0 : r1;
        Checks.check(r1 >= 0 && Double.isFinite(r1), "r1", "a weight >= 0 (0: off)", r1);
        r1Interval = r1Interval == null ? 1 : r1Interval;
        Checks.check(r1Interval >= 1, "r1_interval", "an integer >= 1", r1Interval);
        Checks.check(nCritic == null || nCritic >= 1, "n_critic", "an integer >= 1", nCritic);
    }

    /** The built-in loss this names. */
    public AdversarialLoss create() {
        return Losses.byName(type, labelSmoothing);
    }

    /** The loss this names, built-in or registered in {@code losses}. */
    public AdversarialLoss create(LossRegistry losses) {
        return losses.create(type, labelSmoothing);
    }
}
