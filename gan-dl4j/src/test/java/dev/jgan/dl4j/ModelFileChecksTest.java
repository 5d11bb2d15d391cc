package dev.jgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A model file is checked before DL4J reads it: entries that inflate past their bound, array headers that claim
 * more (or fewer) values than the configuration implies or than the bytes present, and configurations that declare
 * huge networks are refused with the file and the entry named, after a bounded read and no large allocation.
 */
class ModelFileChecksTest {

    @TempDir
    static Path dir;

    private static Path good;

    /** A two-layer network {@code in} → {@code hidden} (ReLU) → {@code out} ({@code last}). */
    private static MultiLayerNetwork twoLayers(int in, int hidden, int out, Activation last) {
        var conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(in).nOut(hidden).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(hidden).nOut(out).activation(last).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @BeforeAll
    static void saveASmallDiscriminator() throws IOException {
        MultiLayerNetwork raw = twoLayers(6, 5, 1, Activation.IDENTITY);
        good = dir.resolve("good.zip");
        ModelFiles.save(raw, good, new ModelMetadata(ModelMetadata.DISCRIMINATOR, "t", 0, new ImageShape(1, 2, 3),
                ModelMetadata.FORMAT_VERSION, Map.of(), 0));
    }

    /** A copy of the good file with entry {@code name} replaced by {@code content} (null: removed). */
    private static Path withEntry(String file, String name, byte[] content) throws IOException {
        Path out = dir.resolve(file);
        try (ZipFile in = new ZipFile(good.toFile()); ZipOutputStream zip = new ZipOutputStream(
                Files.newOutputStream(out))) {
            var entries = in.entries();
            boolean replaced = false;
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                zip.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(name)) {
                    zip.write(content);
                    replaced = true;
                } else {
                    try (var s = in.getInputStream(e)) {
                        s.transferTo(zip);
                    }
                }
            }
            if (!replaced) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(content);
            }
        }
        return out;
    }

    private static byte[] entry(String name) throws IOException {
        try (ZipFile z = new ZipFile(good.toFile())) {
            return z.getInputStream(z.getEntry(name)).readAllBytes();
        }
    }

    /** An ND4J array entry: shape buffer, then a data buffer declaring {@code declared} floats, {@code present} given. */
    private static byte[] array(long declared, int present) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF("MIXED_DATA_TYPES");
        out.writeLong(2);
        out.writeUTF("LONG");
        out.writeLong(1);
        out.writeLong(declared);
        out.writeUTF("MIXED_DATA_TYPES");
        out.writeLong(declared);
        out.writeUTF("FLOAT");
        out.write(new byte[present * 4]);
        return bytes.toByteArray();
    }

    @Test
    void anEntryGivenTwiceOrAConfigurationWithoutLayersIsRefusedNamingTheFile() throws Exception {
        // ZipOutputStream refuses a second entry of one name, so the second is renamed in the bytes afterwards
        Path twice = withEntry("twice.zip", "COEFFICIENTS.BIN", entry("coefficients.bin"));
        byte[] bytes = Files.readAllBytes(twice);
        String latin = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("COEFFICIENTS.BIN", "coefficients.bin");
        Files.write(twice, latin.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ModelFiles.loadDiscriminator(twice)).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("twice.zip").hasMessageContaining("holds the entry coefficients.bin more than once");

        Path empty = withEntry("empty.zip", "configuration.json", "{}".getBytes());
        assertThatThrownBy(() -> ModelFiles.loadDiscriminator(empty)).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("empty.zip").hasMessageContaining("has no layers");
    }

    @Test
    void aSavedModelPassesAndLoads() throws Exception {
        ModelFileChecks.check(good);
        assertThat(ModelFiles.loadDiscriminator(good).numParams()).isEqualTo(41);
    }

    @Test
    void aGeneratorWhoseNetworkDoesNotMatchItsMetadataIsRefusedNamingTheFile() throws Exception {
        MultiLayerNetwork g = twoLayers(4, 8, 6, Activation.TANH);
        Path right = dir.resolve("g-right.zip");
        ModelFiles.save(g, right, new ModelMetadata(ModelMetadata.GENERATOR, "t", 4, new ImageShape(1, 2, 3),
                ModelMetadata.FORMAT_VERSION, Map.of(), 0));
        assertThat(ModelFiles.loadGenerator(right).generateFromNoise(org.nd4j.linalg.factory.Nd4j.zeros(2, 4))
                .shape()).containsExactly(2, 1, 2, 3);

        Path latent = dir.resolve("g-latent.zip");
        ModelFiles.save(g, latent, new ModelMetadata(ModelMetadata.GENERATOR, "t", 5, new ImageShape(1, 2, 3),
                ModelMetadata.FORMAT_VERSION, Map.of(), 0));
        assertThatThrownBy(() -> ModelFiles.loadGenerator(latent)).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("g-latent.zip").hasMessageContaining("does not match its metadata (latent size 5");

        Path image = dir.resolve("g-image.zip");
        ModelFiles.save(g, image, new ModelMetadata(ModelMetadata.GENERATOR, "t", 4, new ImageShape(1, 3, 3),
                ModelMetadata.FORMAT_VERSION, Map.of(), 0));
        assertThatThrownBy(() -> ModelFiles.loadGenerator(image)).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("g-image.zip");
    }

    @Test
    void aModelWithNonFiniteParametersIsRefusedAtLoadNamingTheFile() throws Exception {
        MultiLayerNetwork raw = twoLayers(6, 5, 1, Activation.IDENTITY);
        raw.params().assign(Float.NaN);
        Path nan = dir.resolve("nan.zip");
        ModelFiles.save(raw, nan, new ModelMetadata(ModelMetadata.DISCRIMINATOR, "t", 0, new ImageShape(1, 2, 3),
                ModelMetadata.FORMAT_VERSION, Map.of(), 0));
        assertThatThrownBy(() -> ModelFiles.loadDiscriminator(nan))
                .isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("nan.zip")
                .hasMessageContaining("parameters are not all finite");
    }

    @Test
    void anEntryThatInflatesPastItsBoundIsRefusedAfterABoundedRead() throws Exception {
        // 40 MB of zeros deflate to ~40 KB: a small file that would inflate far past the 16 MB bound
        Path bomb = dir.resolve("bomb.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            try (ZipFile in = new ZipFile(good.toFile())) {
                var entries = in.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.getInputStream(e).transferTo(zip);
                }
            }
            zip.putNextEntry(new ZipEntry("extra.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 40; i++) {
                zip.write(zeros);
            }
        }
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        assertThatThrownBy(() -> ModelFiles.loadDiscriminator(bomb)).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("bomb.zip").hasMessageContaining("extra.bin")
                .hasMessageContaining("inflates to more than");
    }

    @Test
    void parameterHeadersMustDeclareWhatTheConfigurationImpliesAndBeFollowedByIt() throws Exception {
        Path lying = withEntry("lying.zip", ModelSerializer.COEFFICIENTS_BIN, array(3_000_000_000L, 41));
        assertThatThrownBy(() -> ModelFiles.loadDiscriminator(lying)).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining(ModelSerializer.COEFFICIENTS_BIN)
                .hasMessageContaining("declares 3000000000 values").hasMessageContaining("implies 41");

        Path shortOne = withEntry("short.zip", ModelSerializer.COEFFICIENTS_BIN, array(41, 40));
        assertThatThrownBy(() -> ModelFiles.loadDiscriminator(shortOne))
                .isInstanceOf(InvalidModelFileException.class).hasMessageContaining("truncated");

        Path longOne = withEntry("long.zip", ModelSerializer.COEFFICIENTS_BIN, array(41, 42));
        assertThatThrownBy(() -> ModelFiles.loadDiscriminator(longOne))
                .isInstanceOf(InvalidModelFileException.class).hasMessageContaining("bytes after its 41 values");

        Path state = withEntry("state.zip", ModelSerializer.UPDATER_BIN, array(1_000_000, 0));
        assertThatThrownBy(() -> ModelFiles.loadDiscriminator(state))
                .isInstanceOf(InvalidModelFileException.class).hasMessageContaining(ModelSerializer.UPDATER_BIN);
    }

    @Test
    void aConfigurationDeclaringAHugeNetworkIsRefusedWithoutBuildingIt() throws Exception {
        String conf = new String(entry(ModelSerializer.CONFIGURATION_JSON), StandardCharsets.UTF_8)
                .replace("\"nout\" : 5", "\"nout\" : 50000000").replace("\"nin\" : 5", "\"nin\" : 50000000");
        assertThat(conf).contains("50000000");
        Path huge = withEntry("huge.zip", ModelSerializer.CONFIGURATION_JSON, conf.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelFiles.loadDiscriminator(huge)).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("huge.zip").hasMessageContaining("parameters; refused");
    }
}
