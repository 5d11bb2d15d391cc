package dev.jgan.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.jgan.api.AdversarialLoss;
import dev.jgan.api.Checks;
import dev.jgan.api.Losses;

/**
 * The adversarial loss.
 *
 * @param type one of {@link Losses#names()}; default {@code non_saturating}
 */
public record LossConfig(@JsonProperty("type") String type) {

    public static final LossConfig DEFAULT = new LossConfig(null);

    public LossConfig {
        type = type == null ? "non_saturating" : type;
        Checks.check(Losses.names().contains(type), "type", "one of " + Losses.names(), type);
    }

    /** The loss this names. */
    public AdversarialLoss create() {
        return Losses.byName(type);
    }
}
