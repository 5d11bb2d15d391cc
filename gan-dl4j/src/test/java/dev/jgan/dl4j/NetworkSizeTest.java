package dev.jgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.InvalidConfigException;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

/** The parameter count from a configuration is the built network's, and oversized networks are never allocated. */
class NetworkSizeTest {

    @Test
    void parameterCountOfAConfigurationIsThatOfTheBuiltNetwork() {
        var stack = new NeuralNetConfiguration.Builder().seed(1).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder().nOut(4).kernelSize(3, 3).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new Deconvolution2D.Builder().nOut(3).kernelSize(4, 4).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(12).build())
                .setInputType(InputType.convolutional(6, 6, 2)).build();
        long fromConf = NetworkSize.parameters(stack);
        MultiLayerNetwork built = NetworkSize.init(stack, "filters");
        // conv 3x3 2->4 with bias; batch norm: gamma, beta, mean, variance per channel; deconv 4x4 4->3 with bias
        // (to 12x12); dense from 3x12x12
        assertThat(fromConf).isEqualTo(built.numParams()).isEqualTo(2 * 4 * 9 + 4 + 4 * 4 + 4 * 3 * 16 + 3
                + 3 * 12 * 12 * 12 + 12);

        var graph = new NeuralNetConfiguration.Builder().seed(1).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("x").setInputTypes(InputType.convolutional(6, 6, 2))
                .addLayer("a", new ConvolutionLayer.Builder().nOut(4).kernelSize(3, 3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "x")
                .addLayer("b", new ConvolutionLayer.Builder().nOut(4).kernelSize(1, 1).build(), "x")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addLayer("out", new DenseLayer.Builder().nOut(1).build(), "sum")
                .setOutputs("out").build();
        ComputationGraph g = NetworkSize.init(graph, "channels");
        assertThat(NetworkSize.parameters(graph)).isEqualTo(g.numParams())
                .isEqualTo(2 * 4 * 9 + 4 + 2 * 4 + 4 + 4 * 36 + 1);
    }

    @Test
    void aNetworkOverTheBoundIsRefusedBeforeAnythingIsAllocated() {
        var huge = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nOut(65536).build())
                .layer(new DenseLayer.Builder().nOut(65536).build())
                .setInputType(InputType.feedForward(100)).build();
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThatThrownBy(() -> NetworkSize.init(huge, "hidden"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("hidden: expected a network of at most 100000000 parameters, got "
                        + (100L * 65536 + 65536 + 65536L * 65536 + 65536) + " parameters");
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(after - before).isLessThan(64L << 20);
        var unbuilt = new MultiLayerNetwork(huge);
        assertThatThrownBy(() -> new Dl4jGenerator("t", unbuilt, 100, new dev.jgan.api.ImageShape(1, 256, 256)))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("network: expected a network");
    }
}
