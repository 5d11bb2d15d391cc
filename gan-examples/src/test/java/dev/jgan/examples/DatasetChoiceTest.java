package dev.jgan.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.metrics.MnistClassifier;
import dev.jgan.trainer.data.DataException;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** evaluate scores a model with the feature network and reference of the dataset it was trained on. */
class DatasetChoiceTest {

    private static Path generatorTrainedOn(Path dir, String source) throws Exception {
        var conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(784).activation(Activation.TANH).build()).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Path file = dir.resolve("g.zip");
        ModelFiles.save(net, file, new ModelMetadata(ModelMetadata.GENERATOR, "t", 4, new ImageShape(1, 28, 28),
                ModelMetadata.FORMAT_VERSION, Map.of("data", Map.of("source", source, "images", 1, "shape",
                "1x28x28")), 0));
        return file;
    }

    @Test
    void theDatasetComesFromTheModelsProvenance(@TempDir Path tmp) throws Exception {
        assertThat(MetricsCommands.trainedOn(generatorTrainedOn(tmp, "fashion_mnist train from /data/fm")))
                .isEqualTo("fashion_mnist");
        assertThat(MetricsCommands.trainedOn(generatorTrainedOn(tmp, "mnist train from /data/m")))
                .isEqualTo("mnist");
        assertThatThrownBy(() -> MetricsCommands.dataset("fashion_mnist", null, "test"))
                .isInstanceOf(DataException.class).hasMessageContaining("--data-dir")
                .hasMessageContaining("not embedded");
    }

    @Test
    void bothShippedFeatureNetworksLoadAndDiffer() {
        var images = Nd4j.rand(DataType.FLOAT, 8, 784).muli(2).subi(1);
        MnistClassifier digits = MnistClassifier.standard("mnist");
        MnistClassifier fashion = MnistClassifier.standard("fashion_mnist");
        assertThat(fashion.provenance().get("test_accuracy")).isNotNull();
        assertThat(digits.features(images)).isNotEqualTo(fashion.features(images));
        assertThatThrownBy(() -> MnistClassifier.standard("cifar10")).isInstanceOf(IllegalArgumentException.class);
    }
}
