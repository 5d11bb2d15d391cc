package dev.jgan.trainer.config;

import java.util.Map;
import java.util.Objects;

/**
 * A generator or discriminator section of a config: a registered type name, that type's own settings, and,
 * optionally, the settings of other types, so that changing {@code "type"} is the only edit needed to switch:
 * <pre>{@code "generator": {"type": "dcgan", "dcgan": {"filters": [64, 32]}, "dense": {"hidden": [256, 512]}}}</pre>
 * The active type's fields may also stand beside {@code "type"}. Every section is validated against its type's
 * settings record, whether active or not.
 *
 * @param type registered network type
 * @param spec the type's settings record
 * @param alternatives settings of other registered types, by type name (used when {@code type} names them)
 */
public record NetworkConfig(String type, Record spec, Map<String, Record> alternatives) {

    /** Validates the components. */
    public NetworkConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(spec, "spec");
        alternatives = Map.copyOf(alternatives);
        if (alternatives.containsKey(type)) {
            throw new IllegalArgumentException("the active type '" + type + "' is not an alternative");
        }
    }

    /** A section with the settings of its own type only. */
    public NetworkConfig(String type, Record spec) {
        this(type, spec, Map.of());
    }
}
