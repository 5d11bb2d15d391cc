package dev.jgan.inference;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The published generators of {@code dev.jgan:gan-pretrained}: model files on the class path under
 * {@value #FOLDER}, listed in its {@value #INDEX} (one name per line).
 */
public final class Pretrained {

    /** Class-path folder of the published model files ({@code NAME.zip}). */
    public static final String FOLDER = "dev/jgan/pretrained/";
    /** Class-path file listing the published names. */
    public static final String INDEX = FOLDER + "index.txt";

    private Pretrained() {}

    /** The names on the class path; empty without {@code gan-pretrained}. */
    public static List<String> names() {
        try (InputStream in = loader().getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INDEX, e);
        }
    }

    /** Opens the model file of {@code name}; the caller closes it. */
    static InputStream open(String name) {
        List<String> names = names();
        InputStream in = names.contains(name) ? loader().getResourceAsStream(FOLDER + name + ".zip") : null;
        if (in == null) {
            throw new IllegalArgumentException("no published generator named '" + name + "'; "
                    + (names.isEmpty() ? "add dev.jgan:gan-pretrained to the class path"
                    : "expected one of " + String.join(", ", names)));
        }
        return in;
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : Pretrained.class.getClassLoader();
    }
}
