package dev.jgan.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link ComputationGraph} with one input and one output as a {@link Dl4jModel}. Wrapping switches the graph's
 * workspaces off: the input gradient a discriminator hands to the generator is read after DL4J's backward pass, when
 * workspace memory would already have been released.
 */
record GraphModel(ComputationGraph model) implements Dl4jModel {

    @Override
    public boolean expectsFlatInput() {
        var conf = model.getConfiguration();
        String input = conf.getNetworkInputs().get(0);
        for (var entry : conf.getVertexInputs().entrySet()) {
            if (entry.getValue().contains(input)
                    && conf.getVertices().get(entry.getKey()) instanceof LayerVertex layer
                    && (layer.getPreProcessor() instanceof FeedForwardToCnnPreProcessor
                        || layer.getLayerConf().getLayer() instanceof DenseLayer)) {
                return true;
            }
        }
        return false;
    }

    GraphModel {
        var conf = model.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("a GAN network must have one input and one output; this graph has "
                    + conf.getNetworkInputs() + " and " + conf.getNetworkOutputs());
        }
        if (model.getVertices() == null) {
            NetworkSize.require(NetworkSize.parameters(conf), "network");
            model.init();
        }
        if (model.getGradientsViewArray() == null) {
            model.initGradientsView();
        }
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
    }

    @Override
    public void requireLossFreeOutput() {
        String output = model.getConfiguration().getNetworkOutputs().get(0);
        if (model.getVertex(output).getLayer() instanceof IOutputLayer) {
            throw new IllegalArgumentException("the graph ends in an output layer ('" + output + "'); a GAN network "
                    + "must end in a layer without a loss (for example a DenseLayer with identity activation), so "
                    + "that the adversarial loss's gradient can be back-propagated into it");
        }
    }

    @Override
    public Layer[] layers() {
        return model.getLayers();
    }

    @Override
    public INDArray output(INDArray input) {
        return model.output(false, true, input)[0];
    }

    @Override
    public Backprop dl4jBackprop() {
        return new GraphBackprop(model);
    }

    @Override
    public INDArray updaterState() {
        return model.getUpdater() == null ? null : model.getUpdater().getStateViewArray();
    }

    @Override
    public void applyUpdater(Gradient gradient, int iteration, int epoch) {
        model.getUpdater().update(gradient, iteration, epoch, 1, LayerWorkspaceMgr.noWorkspaces());
    }

    @Override
    public int iterationCount() {
        return model.getIterationCount();
    }

    @Override
    public void setIterationCount(int iterations) {
        model.getConfiguration().setIterationCount(iterations);
    }

    @Override
    public int epochCount() {
        return model.getEpochCount();
    }

    @Override
    public void setEpochCount(int epochs) {
        model.getConfiguration().setEpochCount(epochs);
    }

    @Override
    public Collection<TrainingListener> listeners() {
        return model.getListeners();
    }

    @Override
    public void setScore(double score) {
        model.setScore(score);
    }

    @Override
    public void matchLabelsToInput() {
        // a graph's batchSize() reads its inputs, which its training pass (output(true, false, x)) keeps
    }

    @Override
    public String configurationJson() {
        return model.getConfiguration().toJson();
    }
}
