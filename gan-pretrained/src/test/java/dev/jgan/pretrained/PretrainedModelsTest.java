package dev.jgan.pretrained;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.jgan.api.Conditioning;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.inference.GeneratorModel;
import dev.jgan.inference.Pretrained;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every published generator loads by name, is small, carries its card, and exports to an equivalent ONNX file. */
class PretrainedModelsTest {

    static final String[] NAMES = {"mnist-dcgan", "mnist-dcgan-conditional", "fashion-mnist-dcgan"};

    @TempDir
    Path dir;

    @Test
    void theIndexListsTheThreePublishedGenerators() {
        assertThat(Pretrained.names()).containsExactlyInAnyOrder(NAMES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mnist-dcgan", "mnist-dcgan-conditional", "fashion-mnist-dcgan"})
    void eachLoadsByNameWithTheCardOfItsFile(String name) throws Exception {
        Path file = copy(name);
        assertThat(Files.size(file)).as("size of " + name).isLessThanOrEqualTo(3L << 20);
        var md = ModelFiles.readMetadata(file);
        GeneratorModel model = GeneratorModel.pretrained(name);
        var card = model.card();
        assertThat(card.name()).isEqualTo(name);
        assertThat(card.type()).isEqualTo(md.type()).isEqualTo("dcgan");
        assertThat(card.numClasses()).isEqualTo(md.classes()).isPositive();
        assertThat(card.classes()).isEqualTo(name.endsWith("conditional") ? "labels" : "clusters");
        assertThat(card.steps()).isEqualTo(((Number) md.provenance().get("steps")).longValue()).isGreaterThan(5000);
        assertThat(card.quality()).isEqualTo(md.quality()).containsKeys("frechet_distance", "classifier_score",
                "recall", "samples");
        assertThat(card.data()).isEqualTo(md.provenance().get("data"));
        INDArray images = model.sample(16, 1);
        assertThat(images.shape()).containsExactly(16, 1, 28, 28);
        assertThat(images.stdNumber().doubleValue()).as("not a blank image").isGreaterThan(0.3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mnist-dcgan", "mnist-dcgan-conditional", "fashion-mnist-dcgan"})
    void theOnnxExportMakesTheSameImagesInOnnxRuntime(String name) throws Exception {
        GeneratorModel model = GeneratorModel.pretrained(name);
        Path onnx = dir.resolve(name + ".onnx");
        model.exportOnnx(onnx);
        int n = 64;
        INDArray noise = Nd4j.getRandomFactory().getNewRandomInstance(3).nextGaussian(new long[] {n, model.latentSize()});
        int[] labels = Conditioning.balancedLabels(n, model.numClasses());
        INDArray input = Conditioning.generatorInput(noise, labels, model.numClasses());
        var g = dev.jgan.dl4j.ModelFiles.loadGenerator(copy(name));
        float[] expected = g.generate(noise, labels).dup('c').data().asFloat();
        var env = OrtEnvironment.getEnvironment();
        try (var session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             var z = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.dup('c').data().asFloat()), input.shape());
             var result = session.run(Map.of("z", z))) {
            FloatBuffer b = ((OnnxTensor) result.get(0)).getFloatBuffer();
            double maxAbs = 0;
            for (int i = 0; i < expected.length; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(expected[i] - b.get(i)));
            }
            System.out.printf("%s: max |ONNX Runtime - DL4J| over %d images = %.3g%n", name, n, maxAbs);
            assertThat(maxAbs).isLessThan(1e-4);
        }
    }

    private Path copy(String name) throws Exception {
        Path file = dir.resolve(name + ".zip");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(Pretrained.FOLDER + name + ".zip")) {
            assertThat(in).as(name + ".zip on the class path").isNotNull();
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
