package dev.jgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A {@link ComputationGraph} (with a residual sum) as a generator or discriminator: gradients, training, files. */
class GraphNetworkTest {

    private static final ImageShape SHAPE = new ImageShape(1, 4, 4);

    /** x → conv3x3(tanh) ─┬─ + → dense → logit, with a 1×1 convolution of x on the other branch of the sum. */
    private static ComputationGraph residualD(DataType type, IUpdater updater) {
        var g = new NeuralNetConfiguration.Builder().seed(5).dataType(type).updater(updater)
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("x")
                .setInputTypes(InputType.convolutional(4, 4, 1))
                .addLayer("conv", new ConvolutionLayer.Builder().nOut(2).kernelSize(3, 3)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build(), "x")
                .addLayer("skip", new ConvolutionLayer.Builder().nOut(2).kernelSize(1, 1)
                        .activation(Activation.IDENTITY).build(), "x")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "conv", "skip")
                .addLayer("logit", new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build(), "sum")
                .setOutputs("logit").build();
        ComputationGraph graph = new ComputationGraph(g);
        graph.init();
        return graph;
    }

    /** L(x, θ) = Σ eps·D(x) for fixed eps. */
    private static double loss(Dl4jDiscriminator d, INDArray x, INDArray eps) {
        return d.forward(x, true).mul(eps).sumNumber().doubleValue();
    }

    @Test
    void inputGradientOfAGraphMatchesFiniteDifferencesAndLeavesParametersAlone() {
        Dl4jDiscriminator d = new Dl4jDiscriminator("t", residualD(DataType.DOUBLE, new Sgd(1.0)), SHAPE);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 1, 4, 4).subi(0.5);
        INDArray eps = Nd4j.rand(DataType.DOUBLE, 3, 1).subi(0.5);
        INDArray before = d.params();
        d.forward(x, true);
        INDArray analytic = d.inputGradient(eps);
        assertThat(d.params()).isEqualTo(before);
        double h = 1e-6;
        for (int i : new int[] {0, 7, 16, 21, 47}) {
            INDArray plus = x.dup();
            INDArray minus = x.dup();
            plus.putScalar(i, x.getDouble(i) + h);
            minus.putScalar(i, x.getDouble(i) - h);
            double numeric = (loss(d, plus, eps) - loss(d, minus, eps)) / (2 * h);
            assertThat(analytic.getDouble(i)).as("dL/dx[%d]", i).isCloseTo(numeric, Offset.offset(1e-7));
        }
    }

    @Test
    void parameterGradientOfAGraphMatchesFiniteDifferences() {
        // one SGD step with rate 1 moves the parameters by exactly their gradient
        ComputationGraph graph = residualD(DataType.DOUBLE, new Sgd(1.0));
        Dl4jDiscriminator d = new Dl4jDiscriminator("t", graph, SHAPE);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 1, 4, 4).subi(0.5);
        INDArray eps = Nd4j.rand(DataType.DOUBLE, 3, 1).subi(0.5);
        INDArray p0 = d.params();
        double h = 1e-6;
        int[] indices = {0, 9, 18, 20, 23, 30, 40};
        double[] numeric = new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            INDArray p = p0.dup();
            p.putScalar(indices[j], p0.getDouble(indices[j]) + h);
            d.setParams(p);
            double up = loss(d, x, eps);
            p.putScalar(indices[j], p0.getDouble(indices[j]) - h);
            d.setParams(p);
            numeric[j] = (up - loss(d, x, eps)) / (2 * h);
        }
        d.setParams(p0);
        d.forward(x, true);
        d.backward(eps);
        d.step();
        INDArray moved = p0.sub(d.params());
        for (int j = 0; j < indices.length; j++) {
            assertThat(moved.getDouble(indices[j])).as("dL/dθ[%d]", indices[j])
                    .isCloseTo(numeric[j], Offset.offset(1e-7));
        }
        assertThat(d.steps()).isEqualTo(1);
    }

    @Test
    void aGraphDiscriminatorSavesAndRestoresParametersOptimizerStateAndSteps(@TempDir Path tmp) throws Exception {
        Dl4jDiscriminator d = new Dl4jDiscriminator("t", residualD(DataType.FLOAT, new Adam(0.01)), SHAPE);
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 1, 4, 4);
        for (int i = 0; i < 3; i++) {
            d.forward(x, true);
            d.backward(Nd4j.ones(DataType.FLOAT, 5, 1).divi(5));
            d.step();
        }
        Path file = tmp.resolve("d.zip");
        d.save(file, new ModelMetadata(ModelMetadata.DISCRIMINATOR, "t", 0, SHAPE, 1, null));
        assertThat(ModelFiles.readNetwork(file, ModelMetadata.DISCRIMINATOR)).isInstanceOf(ComputationGraph.class);
        var loaded = ModelFiles.loadDiscriminator(file);
        assertThat(loaded.logits(x)).isEqualTo(d.logits(x));

        Dl4jDiscriminator fresh = new Dl4jDiscriminator("t", residualD(DataType.FLOAT, new Adam(0.01)), SHAPE);
        fresh.restore(file);
        assertThat(fresh.params()).isEqualTo(d.params());
        assertThat(fresh.optimizerState()).isEqualTo(d.optimizerState());
        assertThat(fresh.steps()).isEqualTo(3);
        // the next step is the same in both
        for (Dl4jDiscriminator n : List.of(d, fresh)) {
            n.forward(x, true);
            n.backward(Nd4j.ones(DataType.FLOAT, 5, 1).divi(5));
            n.step();
        }
        assertThat(fresh.params()).isEqualTo(d.params());
    }

    @Test
    void aGraphGeneratorLearnsATargetAndItsListenersHearEachStep() {
        var conf = new NeuralNetConfiguration.Builder().seed(8).updater(new Adam(0.01))
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("z")
                .setInputTypes(InputType.feedForward(3))
                .addLayer("a", new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build(), "z")
                .addLayer("b", new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build(), "z")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addLayer("image", new DenseLayer.Builder().nOut(16).activation(Activation.TANH).build(), "sum")
                .setOutputs("image").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Dl4jGenerator g = new Dl4jGenerator("t", graph, 3, SHAPE);
        List<Integer> heard = new ArrayList<>();
        graph.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                assertThat(model).isSameAs(graph);
                heard.add(iteration);
            }
        });
        Nd4j.getRandom().setSeed(9);
        INDArray z = Nd4j.randn(DataType.FLOAT, 8, 3);
        INDArray target = Nd4j.rand(DataType.FLOAT, 8, 1, 4, 4).muli(1.6).subi(0.8);
        double first = 0;
        double last = 0;
        for (int i = 0; i < 60; i++) {
            INDArray diff = g.forward(z, true).sub(target);
            last = diff.mul(diff).meanNumber().doubleValue();
            first = i == 0 ? last : first;
            g.backward(diff.mul(2.0 / diff.length()));
            g.step();
            g.stepDone(last);
        }
        assertThat(g.forward(z, false).shape()).containsExactly(8, 1, 4, 4);
        assertThat(last).isLessThan(first / 4);
        assertThat(heard).hasSize(60).startsWith(0, 1, 2).endsWith(59);
        assertThat(graph.score()).isEqualTo(last);
    }

    @Test
    void graphsThatCannotBeTrainedFromAnExternalErrorAreRefused() {
        var conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("x")
                .setInputTypes(InputType.feedForward(16))
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(1)
                        .activation(Activation.SIGMOID).build(), "x")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertThatThrownBy(() -> new Dl4jDiscriminator("t", graph, SHAPE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output layer ('out')");
    }

    @Test
    void aGraphWhoseFirstLayerIsDenseTakesFlatImages() {
        var conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("x")
                .setInputTypes(InputType.feedForward(16))
                .addLayer("h", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "x")
                .addLayer("logit", new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build(), "h")
                .setOutputs("logit").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Dl4jDiscriminator d = new Dl4jDiscriminator("t", graph, SHAPE);
        assertThat(d.logits(Nd4j.rand(DataType.FLOAT, 2, 1, 4, 4)).shape()).containsExactly(2, 1);
        assertThat(Dl4jFlops.forwardFlopsPerImage(d)).isEqualTo(2L * (16 * 4 + 4));
    }
}
