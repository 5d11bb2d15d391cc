package dev.jgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** A saved network is an ordinary DL4J model file: DL4J restores configuration, parameters and Adam state. */
class ModelFilesTest {

    @Test
    void dl4jRestoresWhatWasSaved(@TempDir Path dir) throws Exception {
        var conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork raw = new MultiLayerNetwork(conf);
        raw.init();
        Dl4jDiscriminator d = new Dl4jDiscriminator("t", raw, new ImageShape(1, 2, 3));
        d.forward(Nd4j.rand(DataType.FLOAT, 4, 1, 2, 3), true);
        d.backward(Nd4j.rand(DataType.FLOAT, 4, 1));
        d.step(); // non-zero Adam moments
        ModelMetadata metadata = new ModelMetadata(ModelMetadata.DISCRIMINATOR, "t", 0, new ImageShape(1, 2, 3),
                ModelMetadata.FORMAT_VERSION, Map.of("seed", 3), 0);
        Path file = dir.resolve("d.zip");

        ModelFiles.save(raw, file, metadata);

        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        assertThat(back.getLayerWiseConfigurations()).isEqualTo(raw.getLayerWiseConfigurations());
        assertThat(back.params()).isEqualTo(raw.params());
        assertThat(raw.getUpdater().getStateViewArray().amaxNumber().doubleValue()).isGreaterThan(0);
        assertThat(back.getUpdater().getStateViewArray()).isEqualTo(raw.getUpdater().getStateViewArray());
        assertThat(ModelFiles.readMetadata(file)).isEqualTo(metadata);
    }
}
