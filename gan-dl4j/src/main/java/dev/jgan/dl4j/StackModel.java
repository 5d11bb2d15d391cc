package dev.jgan.dl4j;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A {@link MultiLayerNetwork} as a {@link Dl4jModel}. */
record StackModel(MultiLayerNetwork model) implements Dl4jModel {

    @Override
    public boolean expectsFlatInput() {
        var conf = model.getLayerWiseConfigurations();
        return conf.getInputPreProcess(0) instanceof FeedForwardToCnnPreProcessor
                || conf.getConf(0).getLayer() instanceof DenseLayer;
    }

    StackModel {
        int layers = model.getLayerWiseConfigurations().getConfs().size();
        if (layers == 0) {
            throw new IllegalArgumentException("network has no layers");
        }
        if (model.getFlattenedGradients() == null) {
            NetworkSize.require(NetworkSize.parameters(model.getLayerWiseConfigurations()), "network");
            model.init();
        }
        if (model.getGradientsViewArray() == null) {
            model.initGradientsView();
        }
    }

    @Override
    public void requireLossFreeOutput() {
        var confs = model.getLayerWiseConfigurations().getConfs();
        if (confs.get(confs.size() - 1).getLayer() instanceof OutputLayer) {
            throw new IllegalArgumentException("the network ends in an OutputLayer; a GAN network must end in a layer "
                    + "without a loss (for example a DenseLayer with identity activation), so that the adversarial "
                    + "loss's gradient can be back-propagated into it");
        }
    }

    @Override
    public Layer[] layers() {
        return model.getLayers();
    }

    @Override
    public INDArray output(INDArray input) {
        return model.output(input, false);
    }

    @Override
    public Backprop dl4jBackprop() {
        return new Dl4jBackprop(model);
    }

    @Override
    public INDArray updaterState() {
        return model.getUpdater() == null ? null : model.getUpdater().getStateViewArray();
    }

    @Override
    public void applyUpdater(Gradient gradient, int iteration, int epoch) {
        model.getUpdater().update(model, gradient, iteration, epoch, 1, LayerWorkspaceMgr.noWorkspaces());
    }

    @Override
    public int iterationCount() {
        return model.getIterationCount();
    }

    @Override
    public void setIterationCount(int iterations) {
        model.setIterationCount(iterations);
    }

    @Override
    public int epochCount() {
        return model.getEpochCount();
    }

    @Override
    public void setEpochCount(int epochs) {
        model.setEpochCount(epochs);
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
        INDArray input = model.getInput();
        if (input != null && (model.getLabels() == null || model.getLabels().size(0) != input.size(0))) {
            model.setLabels(Nd4j.zeros(input.dataType(), input.size(0), 1));
        }
    }

    @Override
    public String configurationJson() {
        return model.getLayerWiseConfigurations().toJson();
    }
}
