package dev.jgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configs are bounded while they are read, before anything is built from them. */
class BoundedConfigTest {

    @Test
    void aConfigWithTwelveMillionLayersIsRefusedFromItsSizeWithoutBeingRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.json");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"generator\": {\"type\": \"dense\", \"hidden\": [");
            for (int i = 0; i < 12_000_000; i++) {
                w.write(i == 0 ? "1" : ",1");
            }
            w.write("]}, \"discriminator\": {\"type\": \"dense\"}}");
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> new ConfigReader().read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("expected a config of at most 1048576 bytes, the file has " + Files.size(file)
                        + " bytes");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
    }

    @Test
    void aLongListInsideTheLimitIsRefusedByTheFieldsOwnBoundAndTextBeyondItWhileParsing() {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 300_000; i++) {
            list.append(i == 0 ? "1" : ",1");
        }
        String json = "{\"generator\": {\"type\": \"dense\", \"hidden\": [" + list + "]},"
                + " \"discriminator\": {\"type\": \"dense\"}}";
        assertThatThrownBy(() -> new ConfigReader().read(json, "long.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("generator.hidden: expected a list of at most 64 layer sizes, got 300000");
        String twice = "{\"generator\": {\"type\": \"dense\", \"hidden\": [" + list + "," + list + "]}}";
        assertThatThrownBy(() -> new ConfigReader().read(twice, "huge.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("huge.json: too large to be a config: ")
                .hasMessageContaining("1048576");
    }

    @Test
    void deepNestingIsRefusedWhileParsing() {
        String deep = "{\"generator\": " + "[".repeat(200) + "]".repeat(200) + "}";
        assertThatThrownBy(() -> new ConfigReader().read(deep, "deep.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("deep.json: too large to be a config: ")
                .hasMessageContaining("32");
    }
}
