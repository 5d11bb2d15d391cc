package dev.jgan.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.jgan.api.Conditioning;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.conv.DcganGeneratorSpec.Upsampling;
import dev.jgan.inference.TestGenerators;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every built-in generator type, exported and run by ONNX Runtime, makes DL4J's images for the same input. */
class OnnxExportTest {

    @TempDir
    Path dir;

    static Stream<Arguments> generators() {
        return Stream.of(
                Arguments.of("dense", TestGenerators.dense(0)),
                Arguments.of("dense conditional", TestGenerators.dense(3)),
                Arguments.of("dcgan transposed k4", TestGenerators.dcgan(4, Upsampling.TRANSPOSED, 0)),
                Arguments.of("dcgan transposed k5 conditional", TestGenerators.dcgan(5, Upsampling.TRANSPOSED, 10)),
                Arguments.of("dcgan transposed k3", TestGenerators.dcgan(3, Upsampling.TRANSPOSED, 0)),
                Arguments.of("dcgan upsample k3", TestGenerators.dcgan(3, Upsampling.UPSAMPLE, 0)),
                Arguments.of("dcgan upsample k4 conditional", TestGenerators.dcgan(4, Upsampling.UPSAMPLE, 2)),
                Arguments.of("resnet", TestGenerators.resnet(0)),
                Arguments.of("resnet conditional", TestGenerators.resnet(4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generators")
    void onnxRuntimeMakesTheSameImagesAsDl4j(String name, TrainableGenerator g) throws Exception {
        TestGenerators.randomised(g, 11);
        Path model = TestGenerators.save(g, dir.resolve("g.zip"));
        Path onnx = dir.resolve("g.onnx");
        OnnxExport.export(model, onnx);

        for (int n : new int[] {1, 5, 64}) {
            INDArray noise = Nd4j.getRandomFactory().getNewRandomInstance(n).nextGaussian(new long[] {n, g.latentSize()});
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % Math.max(1, g.numClasses());
            }
            INDArray input = g.numClasses() == 0 ? noise : Conditioning.generatorInput(noise, labels, g.numClasses());
            INDArray expected = g.numClasses() == 0 ? g.generate(noise) : g.generate(noise, labels);
            float[] actual = run(onnx, input);
            assertThat(actual).hasSize((int) expected.length());
            float[] want = expected.dup('c').data().asFloat();
            double maxAbs = 0;
            for (int i = 0; i < want.length; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(want[i] - actual[i]));
            }
            assertThat(maxAbs).as("%s, batch %d: max |ONNX - DL4J|", name, n).isLessThan(1e-4);
            // not a constant image: the comparison means something
            assertThat(expected.stdNumber().doubleValue()).isGreaterThan(0.01);
        }
    }

    @Test
    void aDiscriminatorIsRefusedNamingTheFile() throws Exception {
        Path notAGenerator = dir.resolve("d.zip");
        Files.writeString(notAGenerator, "not a zip");
        assertThatThrownBy(() -> OnnxExport.export(notAGenerator, dir.resolve("x.onnx")))
                .hasMessageContaining("d.zip");
        assertThat(dir.resolve("x.onnx")).doesNotExist();
    }

    /** Runs the ONNX file on {@code input}, checking the declared input and output and the dynamic batch. */
    static float[] run(Path onnx, INDArray input) throws Exception {
        var env = OrtEnvironment.getEnvironment();
        try (var session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             var z = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.dup('c').data().asFloat()), input.shape())) {
            assertThat(session.getInputNames()).containsExactly(OnnxExport.INPUT);
            assertThat(session.getOutputNames()).containsExactly(OnnxExport.OUTPUT);
            try (var result = session.run(Map.of(OnnxExport.INPUT, z))) {
                var out = (OnnxTensor) result.get(0);
                assertThat(out.getInfo().getShape()[0]).isEqualTo(input.size(0));
                FloatBuffer b = out.getFloatBuffer();
                float[] a = new float[b.remaining()];
                b.get(a);
                return a;
            }
        }
    }
}
