package dev.jgan.trainer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import dev.jgan.api.Checks;

/**
 * Where runs are written.
 *
 * @param directory parent of the run directories (default {@code runs}); each run gets
 *     {@code <directory>/<name>-<timestamp>}
 * @param name run name prefix (default: the config file's name without extension, or {@code gan})
 */
public record OutputConfig(@JsonProperty("directory") Path directory, @JsonProperty("name") String name) {

    /** Every setting at its default (off where a setting can be). */
    public static final OutputConfig DEFAULT = new OutputConfig(null, null);

    /** Validates the components and fills in the defaults of null ones. */
    public OutputConfig {
        directory = directory == null ? Path.of("runs") : directory;
        Checks.check(name == null || name.matches("[A-Za-z0-9._\\-]+"), "name",
                "letters, digits, '.', '_' or '-'", name);
    }
}
