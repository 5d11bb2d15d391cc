package dev.jgan.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A run config for Spark: the same JSON as a single-process run, plus a {@code "spark"} section
 * ({@link SparkOptions}). The rest is read, strictly as ever, by {@link ConfigReader}.
 *
 * @param gan the run config without the spark section
 * @param spark the spark section (defaults when absent)
 */
public record DistributedConfig(GanConfig gan, SparkOptions spark) {

    /** The spark section alone, read from its own root. */
    private record Section(@JsonProperty("spark") SparkOptions spark) {}

    /** Reads {@code file}. */
    public static DistributedConfig read(Path file, ConfigReader reader) throws ConfigException {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot be read: " + e.getMessage(), e);
        }
        return read(json, file.toString(), reader);
    }

    /** Reads config JSON; {@code source} names it in messages. */
    public static DistributedConfig read(String json, String source, ConfigReader reader) throws ConfigException {
        JsonNode root;
        try {
            root = reader.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, "", "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new ConfigException(source, "", "expected a JSON object", null);
        }
        JsonNode section = object.remove("spark");
        SparkOptions spark = SparkOptions.DEFAULT;
        if (section != null) {
            try {
                // read as {"spark": ...} so that messages name the path from the config's root
                JsonNode wrapped = reader.mapper().createObjectNode().set("spark", section);
                Section read = reader.mapper().readerFor(Section.class).readValue(wrapped);
                spark = read.spark() == null ? SparkOptions.DEFAULT : read.spark();
            } catch (JsonProcessingException e) {
                throw ConfigReader.translate(e, source);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(source, "spark", e.getMessage(), e);
            }
        }
        return new DistributedConfig(reader.read(object.toString(), source), spark);
    }

    /** The whole config as JSON, defaults filled in, the spark section included. */
    public String write(ConfigReader reader) {
        ObjectNode node = (ObjectNode) reader.mapper().valueToTree(gan);
        node.set("spark", reader.mapper().valueToTree(spark));
        try {
            return reader.mapper().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
