package dev.jgan.trainer.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * A generator or discriminator section of a config: a registered type name and one section of settings per type,
 * so that changing {@code "type"} is the only edit needed to switch:
 * <pre>{@code "generator": {"type": "dcgan", "dcgan": {"filters": [64, 32]}, "dense": {"hidden": [256, 512]}}}</pre>
 * Every section of a registered type is validated against that type's settings record, whether active or not. The
 * section of a built-in type whose module is not on the class path (say {@code "dcgan"} without
 * {@code dev.jgan:gan-conv}) is kept as written, unvalidated, so that a shipped config works with the modules its
 * active type needs. (The active type's fields may also stand beside {@code "type"}; {@code config.json} always
 * writes them in their section.)
 *
 * @param type registered network type
 * @param spec the type's settings record
 * @param alternatives settings of other registered types, by type name (used when {@code type} names them)
 * @param unvalidated sections of built-in types whose module is absent, as written, by type name
 */
public record NetworkConfig(String type, Record spec, Map<String, Record> alternatives,
                            Map<String, ObjectNode> unvalidated) {

    /** Validates the components. */
    public NetworkConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(spec, "spec");
        alternatives = Map.copyOf(alternatives);
        unvalidated = Map.copyOf(unvalidated);
        if (alternatives.containsKey(type) || unvalidated.containsKey(type)) {
            throw new IllegalArgumentException("the active type '" + type + "' is not an alternative");
        }
    }

    /** A section with the settings of its own type and of other registered types. */
    public NetworkConfig(String type, Record spec, Map<String, Record> alternatives) {
        this(type, spec, alternatives, Map.of());
    }

    /** A section with the settings of its own type only. */
    public NetworkConfig(String type, Record spec) {
        this(type, spec, Map.of(), Map.of());
    }
}
