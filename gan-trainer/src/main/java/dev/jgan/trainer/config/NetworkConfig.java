package dev.jgan.trainer.config;

import java.util.Objects;

/**
 * A generator or discriminator section of a config: a registered type name and that type's own settings.
 *
 * @param type registered network type
 * @param spec the type's settings record (its fields appear beside {@code "type"} in JSON)
 */
public record NetworkConfig(String type, Record spec) {

    /** Validates the components. */
    public NetworkConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(spec, "spec");
    }
}
