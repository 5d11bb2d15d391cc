package dev.jgan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.NetworkRegistry;
import dev.jgan.dense.DenseNetworks;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.ExampleConfigs;
import dev.jgan.trainer.config.GanConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The example configs in the jar, and configs whose inactive sections name types of modules that are absent. */
class ExampleConfigsTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    /** A reader that knows only what a user with gan-trainer and gan-dense (no gan-conv) has. */
    private static ConfigReader denseOnly() {
        return new ConfigReader(new NetworkRegistry().register(new DenseNetworks()));
    }

    @Test
    void everyExampleFileIsInTheJarAsWritten() throws Exception {
        List<String> files = new ArrayList<>();
        for (Path dir : List.of(EXAMPLES, EXAMPLES.resolve("losses"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(f -> f.toString().endsWith(".json")).forEach(f -> files.add(
                        EXAMPLES.relativize(f).toString().replace('\\', '/').replaceFirst("\\.json$", "")));
            }
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(ExampleConfigs.NAMES);
        for (String name : files) {
            assertThat(ExampleConfigs.json(name)).as(name)
                    .isEqualTo(Files.readString(EXAMPLES.resolve(name + ".json"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aDenseExampleReadsWithoutTheConvolutionModuleAndKeepsTheOtherSectionAsWritten() throws Exception {
        ConfigReader reader = denseOnly();
        GanConfig config = ExampleConfigs.read("mnist-dense", reader);
        assertThat(config.generator().type()).isEqualTo("dense");
        assertThat(config.generator().alternatives()).isEmpty();
        assertThat(config.generator().unvalidated()).containsOnlyKeys("dcgan");
        assertThat(config.generator().unvalidated().get("dcgan").get("filters").toString()).isEqualTo("[64,32]");

        String written = reader.write(config);
        assertThat(written).contains("\"dcgan\"").contains("\"upsampling\" : \"transposed\"");
        assertThat(reader.write(reader.read(written, "config.json"))).isEqualTo(written);
        // with every module present, the section kept as written is checked and binds to its settings record
        GanConfig full = new ConfigReader().read(written, "config.json");
        assertThat(full.generator().alternatives()).containsOnlyKeys("dcgan");
        assertThat(full.generator().unvalidated()).isEmpty();
    }

    @Test
    void anActiveTypeOfAnAbsentModuleNamesTheModuleToAdd() {
        assertThatThrownBy(() -> ExampleConfigs.read("mnist-dcgan", denseOnly()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("generator.type")
                .hasMessageContaining("\"dcgan\" is in dev.jgan:gan-conv: add that module to the class path");
    }

    @Test
    void aSectionOfAPresentModuleIsStillChecked() throws Exception {
        String json = ExampleConfigs.json("mnist-dense").replace("\"kernel\": 4, \"upsampling\"",
                "\"kernel\": 4, \"colour\": 1, \"upsampling\"");
        assertThat(denseOnly().read(json, "edited.json").generator().unvalidated()).containsKey("dcgan");
        assertThatThrownBy(() -> new ConfigReader().read(json, "edited.json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("generator.dcgan.colour");
    }

    @Test
    void anUnknownExampleIsRefusedWithTheNames() {
        assertThatThrownBy(() -> ExampleConfigs.json("mnist-gan"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mnist-gan")
                .hasMessageContaining("mnist-dense-clusters");
    }
}
