package dev.jgan.examples;

import static dev.jgan.examples.JganCliTest.jgan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.BuildContext;
import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import dev.jgan.api.OptimizerConfig;
import dev.jgan.dense.DenseGeneratorSpec;
import dev.jgan.dense.DenseNetworks;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.inference.GeneratorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export, publish, sample and bench-serve on a small conditional dense generator. */
class InferenceCommandsTest {

    @TempDir
    Path tmp;

    Path model;

    @BeforeEach
    void generator() throws Exception {
        var g = new DenseNetworks().createGenerator(new DenseGeneratorSpec(List.of(32), 0.2, true, null),
                new BuildContext(new ImageShape(1, 28, 28), 16, OptimizerConfig.DEFAULT, 3, 10));
        model = tmp.resolve("generator.zip");
        g.save(model, new ModelMetadata(ModelMetadata.GENERATOR, g.type(), 16, g.imageShape(),
                ModelMetadata.FORMAT_VERSION, Map.of("steps", 99, "data", Map.of("labels", "data")), 10));
    }

    @Test
    void exportWritesAnOnnxFile() throws Exception {
        Path onnx = tmp.resolve("out/g.onnx");
        var run = jgan("export", "--model", model.toString(), "--out", onnx.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("opset 13");
        assertThat(Files.size(onnx)).isGreaterThan(4 * 16 * 32);
        var wrong = jgan("export", "--model", model.toString(), "--format", "tflite", "--out", onnx.toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("--format: expected onnx, got tflite");
    }

    @Test
    void publishDropsTheOptimizerStateAndKeepsTheQuality() throws Exception {
        Path evaluation = Files.writeString(tmp.resolve("evaluate.json"), """
                {"classifier": {"test_accuracy": 0.99}, "reference": "MNIST test (10000 images)",
                 "results": {"generator.zip": {"samples": 10000, "frechet_distance": 1.75, "recall": 0.9}},
                 "class_accuracy": {"overall": 0.97}}""");
        Path out = tmp.resolve("published.zip");
        var run = jgan("publish", "--model", model.toString(), "--evaluation", evaluation.toString(), "--out",
                out.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(Files.size(out)).isLessThan(Files.size(model) / 2);
        var card = GeneratorModel.load(out).card();
        assertThat(card.quality()).containsEntry("frechet_distance", 1.75).containsEntry("recall", 0.9)
                .containsEntry("class_accuracy", 0.97).containsEntry("samples", 10000);
        assertThat(card.steps()).isEqualTo(99);
        assertThat(GeneratorModel.load(out).sample(4, 1)).isEqualTo(GeneratorModel.load(model).sample(4, 1));
        assertThat(ModelFiles.readMetadata(out).quality()).isNotNull();

        Path notEvaluation = Files.writeString(tmp.resolve("x.json"), "{\"results\": {}}");
        var bad = jgan("publish", "--model", model.toString(), "--evaluation", notEvaluation.toString(), "--out",
                tmp.resolve("y.zip").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("x.json").contains("jgan evaluate");
    }

    @Test
    void sampleTakesAModelOrAPublishedNameButNotBoth() throws Exception {
        Path png = tmp.resolve("grid.png");
        var run = jgan("sample", "--model", model.toString(), "--count", "4", "--class", "3", "--out", png.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(2 * 30 + 2);

        var both = jgan("sample", "--model", model.toString(), "--pretrained", "mnist-dcgan", "--out", png.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        var unknown = jgan("sample", "--pretrained", "no-such-model", "--out", png.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no published generator named 'no-such-model'").doesNotContain("\tat ");
    }

    @Test
    void benchServeMakesEveryRequestWithoutError() {
        var run = jgan("bench-serve", "--model", model.toString(), "--clients", "3", "--requests", "4");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("errors: 0 of 12").contains("latency ms: p50");
    }
}
