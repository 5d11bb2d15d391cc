package dev.jgan.trainer.config;

/** A config file cannot be used. The message names the file, the JSON path and what was expected. */
public class ConfigException extends Exception {

    private final String path;

    /** A problem with {@code path} (a JSON path, may be empty) of {@code source} (a file name or "config"). */
    public ConfigException(String source, String path, String problem, Throwable cause) {
        super(source + (path == null || path.isEmpty() ? "" : ": " + path) + ": " + problem, cause);
        this.path = path;
    }

    /** JSON path of the offending value, for example {@code training.batch_size}; empty for the whole file. */
    public String path() {
        return path;
    }
}
