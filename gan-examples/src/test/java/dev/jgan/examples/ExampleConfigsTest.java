package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jgan.conv.ResnetNetworks;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.run.GanRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped example config trains a few steps as it is, but for its data (the embedded MNIST subset for
 * 28x28 grey data, a folder of generated images for an image folder) and its length.
 */
class ExampleConfigsTest {

    static Stream<org.junit.jupiter.params.provider.Arguments> examples() throws Exception {
        try (Stream<Path> s = Files.walk(Path.of("..", "examples"))) {
            // examples/spark holds configs for gan-spark (with a "spark" section), checked by its own tests;
            // examples/bench holds variants of mnist-dcgan.json for the speed scripts, read by benchReadAsIs
            List<Path> files = s.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !Set.of("spark", "bench").contains(p.getParent().getFileName().toString()))
                    .sorted().toList();
            assertThat(files).hasSizeGreaterThanOrEqualTo(5);
            // the resnet type trains on DL4J's own layer code, ~100x slower per image: one config tries it
            return files.stream().flatMap(f -> Stream.of(null, "swapped", ResnetNetworks.TYPE)
                    .filter(type -> !ResnetNetworks.TYPE.equals(type) || f.endsWith("mnist-dcgan.json"))
                    .map(type -> org.junit.jupiter.params.provider.Arguments.of(f, type)));
        }
    }

    @Test
    void benchConfigsReadAsIs() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("..", "examples", "bench"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(files).hasSize(3);
            for (Path f : files) {
                ConfigReader reader = new ConfigReader();
                GanConfig c = reader.read(f);
                assertThat(c.generator().type()).as(f.toString()).isEqualTo("dcgan");
                assertThat(c.conditional().enabled()).as(f.toString()).isFalse();
                if (c.data().isImageFolder()) {   // jgan bench times random images of the folder's size
                    var shape = new dev.jgan.api.ImageShape(c.data().channels(), c.data().height(), c.data().width());
                    assertThat(dev.jgan.trainer.run.GanRun.buildGenerator(c, reader.registry(), shape)
                            .generate(org.nd4j.linalg.factory.Nd4j.randn(2, c.latent().size())).shape())
                            .as(f.toString()).containsExactly(2, 3, 64, 64);
                }
            }
        }
    }

    /**
     * Trains three steps of {@code example}: as it is, or after changing only the two {@code "type"} fields, between
     * dense and dcgan ({@code "swapped"}: every shipped config carries both types' settings) or to the resnet type
     * (whose settings all have defaults).
     */
    @ParameterizedTest(name = "{0} type={1}")
    @MethodSource("examples")
    void trainsAFewSteps(Path example, String type, @TempDir Path tmp) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(example.toFile());
        if (type != null) {
            for (String role : List.of("generator", "discriminator")) {
                ObjectNode n = (ObjectNode) config.get(role);
                n.put("type", !type.equals("swapped") ? type
                        : n.get("type").asText().equals("dense") ? "dcgan" : "dense");
            }
        }
        ObjectNode data = (ObjectNode) config.path("data");
        if ("image_folder".equals(data.path("type").asText())) {
            data.put("location", imageFolder(tmp.resolve("images"), data.path("height").asInt(32),
                    data.path("width").asInt(32)).toString());
        } else {
            config.set("data", json.readTree("{\"type\": \"mnist\", \"limit\": 512}"));
        }
        ObjectNode training = config.with("training");
        training.put("epochs", 100).put("max_steps", 3).put("grid_size", 4);
        if (training.path("batch_size").asInt(64) > 32) {
            training.put("batch_size", 32);
        }
        if (ResnetNetworks.TYPE.equals(type)) {
            training.put("batch_size", 16);
        }
        config.with("metrics").put("at_end", false).put("every_epochs", 0);
        config.with("output").put("directory", tmp.resolve("runs").toString());
        ConfigReader reader = new ConfigReader();
        GanRun run = new GanRun(reader.read(json.writeValueAsString(config), example.toString()), "example",
                reader);
        GanRun.Result result = run.run();
        assertThat(result.summary().steps()).as(example.toString()).isEqualTo(3);
        assertThat(result.generatorFile()).exists();
        List<String> steps = Files.readAllLines(result.directory().resolve("steps.csv"));
        assertThat(steps).hasSize(4);
        for (String line : steps.subList(1, 4)) {
            for (String value : line.split(",")) {
                assertThat(Double.parseDouble(value)).as(example + ": " + line).isFinite();
            }
        }
    }

    private static Path imageFolder(Path dir, int height, int width) throws Exception {
        Files.createDirectories(dir);
        Random r = new Random(1);
        for (int i = 0; i < 64; i++) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            ImageIO.write(img, "png", dir.resolve("img-" + i + ".png").toFile());
        }
        return dir;
    }
}
