package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.jgan.api.Checks;

/**
 * Differentiable augmentation of every image the discriminator sees, real and generated, in both steps
 * (DiffAugment, Zhao et al. 2020); see {@link DiffAugment}. Off unless a fraction is given.
 *
 * @param translation largest shift, as a fraction of each side, of a random per-image translation (0.125 in the
 *        paper), in [0, 0.5); default 0 (off)
 * @param cutout side of a square cut out (filled with −1) at a random place in each image, as a fraction of each
 *        image side (0.5 in the paper), in [0, 1); default 0 (off)
 */
@JsonPropertyOrder({"translation", "cutout"})
public record AugmentConfig(
        @JsonProperty("translation") Double translation,
        @JsonProperty("cutout") Double cutout) {

    /** Every setting at its default (off where a setting can be). */
    public static final AugmentConfig NONE = new AugmentConfig(null, null);

    /** Validates the components and fills in the defaults of null ones. */
    public AugmentConfig {
        translation = translation == null ? 0.0 : translation;
        Checks.check(translation >= 0 && translation < 0.5, "translation", "a fraction of the image side in "
                + "[0, 0.5)", translation);
        cutout = cutout == null ? 0.0 : cutout;
        Checks.check(cutout >= 0 && cutout < 1, "cutout", "a fraction of the image side in [0, 1)", cutout);
    }

    /** Whether any augmentation is on. */
    public boolean enabled() {
        return translation > 0 || cutout > 0;
    }
}
