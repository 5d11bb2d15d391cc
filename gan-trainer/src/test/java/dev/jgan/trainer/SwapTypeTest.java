package dev.jgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.conv.DcganGeneratorSpec;
import dev.jgan.dense.DenseGeneratorSpec;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-type sections: changing "type" is the only edit needed to switch a network, and every section is strict. */
class SwapTypeTest {

    private static final String CONFIG = """
            {"generator": {"type": "%s", "dcgan": {"filters": [16, 8]}, "dense": {"hidden": [40]}},
             "discriminator": {"type": "%s", "dcgan": {"filters": [8, 16]}, "dense": {"hidden": [24]}}}
            """;

    @Test
    void theTypeFieldPicksItsSection() throws Exception {
        ConfigReader reader = new ConfigReader();
        GanConfig dcgan = reader.read(CONFIG.formatted("dcgan", "dcgan"), "c.json");
        assertThat(((DcganGeneratorSpec) dcgan.generator().spec()).filters()).isEqualTo(List.of(16, 8));
        assertThat(dcgan.generator().alternatives()).containsOnlyKeys("dense");
        GanConfig dense = reader.read(CONFIG.formatted("dense", "dense"), "c.json");
        assertThat(((DenseGeneratorSpec) dense.generator().spec()).hidden()).isEqualTo(List.of(40));
        assertThat(dense.generator().alternatives()).containsOnlyKeys("dcgan");

        // the resolved config keeps both sections, so it switches the same way
        GanConfig again = reader.read(reader.write(dcgan).replace("\"type\" : \"dcgan\"", "\"type\" : \"dense\""),
                "resolved.json");
        assertThat(((DenseGeneratorSpec) again.generator().spec()).hidden()).isEqualTo(List.of(40));
        assertThat(reader.read(reader.write(dense), "w.json")).isEqualTo(dense);
    }

    @Test
    void inactiveSectionsAreValidatedToo() {
        ConfigReader reader = new ConfigReader();
        assertThatThrownBy(() -> reader.read(CONFIG.formatted("dcgan", "dcgan").replace("\"hidden\": [40]",
                "\"hiden\": [40]"), "c.json")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("generator.dense.hiden: unknown field");
        assertThatThrownBy(() -> reader.read(CONFIG.formatted("dcgan", "dcgan").replace("\"hidden\": [24]",
                "\"hidden\": []"), "c.json")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("discriminator.dense.hidden: expected a non-empty list");
        assertThatThrownBy(() -> reader.read("""
                {"generator": {"type": "dcgan", "filters": [8, 8], "dcgan": {"filters": [4, 4]}},
                 "discriminator": {"type": "dcgan"}}""", "c.json")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("generator.filters: expected one value");
        assertThatThrownBy(() -> reader.read("""
                {"generator": {"type": "dcgan", "hidden": [8]}, "discriminator": {"type": "dcgan"}}""", "c.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("generator.hidden: unknown field");
    }
}
