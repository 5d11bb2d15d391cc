package dev.jgan.trainer;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Shared fixtures: the MNIST files beside the checkout, and configs built from JSON. */
final class TestSupport {

    private TestSupport() {}

    /** {@code ../shared/data/mnist} beside the checkout, or {@code $JGAN_MNIST_DIR}. */
    static Path mnistDir() {
        String env = System.getenv("JGAN_MNIST_DIR");
        Path dir = env != null ? Path.of(env) : Path.of("..", "..", "shared", "data", "mnist").toAbsolutePath()
                .normalize();
        assertThat(dir.resolve("train-images-idx3-ubyte.gz"))
                .as("MNIST IDX files are expected in %s (set JGAN_MNIST_DIR to change)", dir).exists();
        return dir;
    }

    static GanConfig config(String json) throws ConfigException {
        return new ConfigReader().read(json, "test.json");
    }

    static Path copyOf(Path file, Path dir) throws Exception {
        Files.createDirectories(dir);
        return Files.copy(file, dir.resolve(file.getFileName()));
    }
}
