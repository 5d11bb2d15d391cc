package dev.jgan.trainer.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The example configs of the repository's {@code examples/} folder, shipped inside this jar, so that a program can
 * start from one without copying a file: {@code GanRun.fromExample("mnist-dense")}. A config of a type whose module
 * is absent still reads: the other types' sections are kept unchecked (see {@link NetworkConfig}).
 */
public final class ExampleConfigs {

    /** The names of the shipped examples ({@code examples/NAME.json}; the loss comparison under {@code losses/}). */
    public static final List<String> NAMES = List.of(
            "mnist-dense", "mnist-dense-clusters", "mnist-dense-conditional",
            "mnist-dcgan", "mnist-dcgan-conditional", "fashion-mnist-dcgan", "folder-dcgan",
            "losses/dcgan-hinge", "losses/dcgan-least_squares", "losses/dcgan-minimax",
            "losses/dcgan-non_saturating", "losses/dcgan-wasserstein_gp");

    private ExampleConfigs() {}

    /** The JSON text of example {@code name}, as the repository holds it. */
    public static String json(String name) throws ConfigException {
        if (!NAMES.contains(name)) {
            throw new ConfigException("example \"" + name + "\"", "", "no such example config; expected one of "
                    + NAMES, null);
        }
        String resource = "/jgan/examples/" + name + ".json";
        try (InputStream in = ExampleConfigs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException(resource, "", "missing from the gan-trainer jar (a broken build?)", null);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(resource, "", "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Example {@code name} read with {@code reader} (whose registry decides which types are checked). */
    public static GanConfig read(String name, ConfigReader reader) throws ConfigException {
        return reader.read(json(name), "example " + name + ".json");
    }
}
