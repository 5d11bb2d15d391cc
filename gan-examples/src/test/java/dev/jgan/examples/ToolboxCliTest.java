package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.ImageDataset;
import dev.jgan.api.LatentPaths;
import dev.jgan.trainer.data.DataConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.data.IdxDatasets;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Image folders, latent walks and class-conditional sampling through the command line. */
class ToolboxCliTest {

    private static JganCliTest.Run jgan(String... args) {
        return JganCliTest.jgan(args);
    }

    private static void solid(Path file, String format, int w, int h, Color color, int type) throws Exception {
        BufferedImage img = new BufferedImage(w, h, type);
        var g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
    }

    private static Path folder(Path tmp) throws Exception {
        Path root = tmp.resolve("images");
        for (int i = 0; i < 4; i++) {
            solid(root.resolve("a_red/r" + i + ".png"), "png", 40, 30, Color.RED, BufferedImage.TYPE_INT_RGB);
            solid(root.resolve("b_grey/g" + i + ".jpg"), "jpg", 28, 28, Color.GRAY, BufferedImage.TYPE_BYTE_GRAY);
            solid(root.resolve("c_blue/b" + i + ".bmp"), "bmp", 20, 36, Color.BLUE, BufferedImage.TYPE_INT_RGB);
        }
        return root;
    }

    @Test
    void imageFolderLoadsResizesLabelsAndTrains(@TempDir Path tmp) throws Exception {
        Path root = folder(tmp);
        ImageDataset rgb = IdxDatasets.load(new DataConfig("image_folder", root, null, null, null, null, 16, 16, 3,
                true));
        assertThat(rgb.size()).isEqualTo(12);
        assertThat(rgb.shape().toString()).contains("3").contains("16");
        assertThat(rgb.labels()).containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2);
        INDArray red = rgb.images().getRow(0);
        assertThat(red.getDouble(0)).isCloseTo(1.0, Assertions.within(1e-6)); // R plane
        assertThat(red.getDouble(256)).isCloseTo(-1.0, Assertions.within(1e-6)); // G plane
        ImageDataset grey = IdxDatasets.load(new DataConfig("image_folder", root, null, null, null, null, 8, 8, 1,
                false));
        assertThat(grey.labels()).isNull();
        assertThat(grey.images().getRow(0).getDouble(0)).isCloseTo(0.299 * 2 - 1, Assertions.within(1e-5));

        Files.writeString(root.resolve("b_grey/broken.png"), "not a png");
        Assertions.assertThatThrownBy(() -> IdxDatasets.load(new DataConfig("image_folder", root, null, null, null,
                null, 16, 16, 3, true))).isInstanceOf(DataException.class).hasMessageContaining("broken.png");
        Files.delete(root.resolve("b_grey/broken.png"));

        // a conditional DCGAN on 16x16 RGB images from the folder, through the command line
        Path config = Files.writeString(tmp.resolve("folder.json"), """
                {"latent": {"size": 8},
                 "data": {"type": "image_folder", "location": "%s", "height": 16, "width": 16, "channels": 3,
                          "labels": true},
                 "conditional": {"num_classes": 3},
                 "generator": {"type": "dcgan", "filters": [16, 8]},
                 "discriminator": {"type": "dcgan", "filters": [8, 16]},
                 "training": {"epochs": 1, "batch_size": 4, "grid_size": 6}}
                """.formatted(root.toString().replace('\\', '/')));
        var train = jgan("train", "--config", config.toString(), "--max-steps", "2", "--output",
                tmp.resolve("runs").toString());
        assertThat(train.code()).as(train.err()).isZero();
        Matcher gen = Pattern.compile("generator:\\s+(\\S+)").matcher(train.out());
        assertThat(gen.find()).isTrue();
        Path png = tmp.resolve("blue.png");
        var sample = jgan("sample", "--model", gen.group(1), "--count", "4", "--class", "2", "--out",
                png.toString());
        assertThat(sample.code()).as(sample.err()).isZero();
        assertThat(ImageIO.read(png.toFile()).getColorModel().getNumColorComponents()).isEqualTo(3);
        assertThat(jgan("sample", "--model", gen.group(1), "--class", "3", "--out", png.toString()).code())
                .isEqualTo(2);
    }

    @Test
    void interpolateWritesAStripAndALoopingGif(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("c.json"), """
                {"latent": {"size": 16}, "conditional": {"num_classes": 10},
                 "generator": {"type": "dense", "hidden": [32]},
                 "discriminator": {"type": "dense", "hidden": [32]},
                 "training": {"epochs": 1, "batch_size": 16, "grid_size": 10}}
                """);
        var train = jgan("train", "--config", config.toString(), "--max-steps", "2", "--output",
                tmp.resolve("runs").toString());
        assertThat(train.code()).as(train.err()).isZero();
        Matcher gen = Pattern.compile("generator:\\s+(\\S+)").matcher(train.out());
        assertThat(gen.find()).isTrue();

        Path strip = tmp.resolve("walk.png");
        Path gif = tmp.resolve("walk.gif");
        var walk = jgan("interpolate", "--model", gen.group(1), "--steps", "5", "--rows", "2", "--path", "linear",
                "--class", "3", "--out", strip.toString(), "--gif", gif.toString());
        assertThat(walk.code()).as(walk.err()).isZero();
        BufferedImage s = ImageIO.read(strip.toFile());
        assertThat(s.getWidth()).isEqualTo(5 * 30 + 2);
        assertThat(s.getHeight()).isEqualTo(2 * 30 + 2);
        try (var in = ImageIO.createImageInputStream(gif.toFile())) {
            var reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(8); // 5 there, 3 back
        }
        Path json = tmp.resolve("eval.json");
        var eval = jgan("evaluate", "--model", gen.group(1), "--count", "200", "--data-dir",
                ReportAndEvaluateTest.mnist(), "--json", json.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("class-conditional accuracy");
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertThat(doc.get("class_accuracy").get("per_class")).hasSize(10);
        double overall = doc.get("class_accuracy").get("overall").asDouble();
        assertThat(overall).isBetween(0.0, 1.0);

        var classes = jgan("interpolate", "--model", gen.group(1), "--steps", "4", "--class", "1", "--to-class",
                "7", "--out", strip.toString());
        assertThat(classes.code()).as(classes.err()).isZero();
        assertThat(jgan("interpolate", "--model", gen.group(1), "--to-class", "12", "--out", strip.toString())
                .code()).isEqualTo(2);
        assertThat(jgan("interpolate", "--model", gen.group(1), "--path", "zigzag", "--out", strip.toString())
                .code()).isEqualTo(2);
    }

    @Test
    void sphericalPathKeepsTheNormALinePathShrinks() {
        INDArray a = Nd4j.create(new double[] {3, 0, 0}, 1, 3).castTo(DataType.FLOAT);
        INDArray b = Nd4j.create(new double[] {0, 3, 0}, 1, 3).castTo(DataType.FLOAT);
        INDArray slerp = LatentPaths.path(a, b, 3, LatentPaths.Kind.SPHERICAL);
        INDArray line = LatentPaths.path(a, b, 3, LatentPaths.Kind.LINEAR);
        assertThat(slerp.getRow(0)).isEqualTo(a.reshape(3));
        assertThat(slerp.getRow(2).sub(b.reshape(3)).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(slerp.getRow(1).norm2Number().doubleValue()).isCloseTo(3.0, Assertions.within(1e-5));
        assertThat(line.getRow(1).norm2Number().doubleValue()).isCloseTo(3 / Math.sqrt(2), Assertions.within(1e-5));
    }

    @Test
    void benchTimesBothPathsAndWritesJson(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("bench.json");
        var bench = jgan("bench", "--networks", "dense", "--batches", "8", "--windows", "1", "--window-seconds",
                "0.2", "--warmup-seconds", "0.2", "--warmup-max-seconds", "0.5", "--gemm-size", "64", "--compare-dl4j",
                "--rounds", "1", "--json", json.toString());
        assertThat(bench.code()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("ratio");
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertThat(doc.get("cases")).hasSize(2);
        assertThat(doc.get("cases").get(0).get("path").asText()).isEqualTo("fast");
        assertThat(doc.get("cases").get(1).get("path").asText()).isEqualTo("dl4j");
        for (var c : doc.get("cases")) {
            assertThat(c.get("imagesPerSecond").asDouble()).isPositive();
            // the warm-up stops at --warmup-max-seconds even while the JIT compiler is still busy
            assertThat(c.get("warmupSeconds").asDouble()).isBetween(0.2, 5.0);
            assertThat(c.get("jitSecondsInWindows").asDouble()).isNotNegative();
            // dense default: G 100-256-512-1024-784, D 784-512-256-1, in multiply-adds x 2
            assertThat(c.get("generatorFlops").asLong()).isEqualTo(2L * (100 * 256 + 256 * 512 + 512 * 1024
                    + 1024 * 784));
            assertThat(c.get("discriminatorFlops").asLong()).isEqualTo(2L * (784 * 512 + 512 * 256 + 256));
        }
        assertThat(jgan("bench", "--batches", "0").code()).isEqualTo(2);
        assertThat(jgan("bench", "--warmup-seconds", "5", "--warmup-max-seconds", "4").code()).isEqualTo(2);
    }
}
