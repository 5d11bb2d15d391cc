package dev.jgan.dl4j;

import dev.jgan.dl4j.fast.FastAdam;
import dev.jgan.dl4j.fast.FastPath;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference through a {@link MultiLayerNetwork} that also returns one hidden layer's activations (for feature
 * extractors such as the metrics' classifier), on the CPU fast path when the network allows it: no dropout and no
 * batch norm, so that its training-mode pass is the inference pass. Otherwise, and on other backends, DL4J's own
 * {@code feedForward}. Not thread-safe: the fast path reuses its buffers.
 */
public final class Inference {

    private final MultiLayerNetwork net;
    private final FastPath fast;

    /** Inference through {@code net} (initialised). */
    public Inference(MultiLayerNetwork net) {
        this.net = net;
        boolean fastPath = Nd4j.getEnvironment().isCPU() && sameInTraining(net.getLayerWiseConfigurations());
        this.fast = fastPath ? FastPath.of(net) : null;
    }

    private static boolean sameInTraining(MultiLayerConfiguration conf) {
        for (var c : conf.getConfs()) {
            var layer = c.getLayer();
            if (layer instanceof BatchNormalization || layer.getIDropout() != null
                    || (layer instanceof BaseLayer b && b.getWeightNoise() != null)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the fast path computes it. */
    public boolean usesFastPath() {
        return fast != null;
    }

    /**
     * The activations of layer {@code hidden} and of the last layer for {@code input}, both as new arrays.
     */
    public List<INDArray> outputs(INDArray input, int hidden) {
        if (fast == null) {
            List<INDArray> acts = net.feedForward(input, false);
            return List.of(acts.get(hidden + 1), acts.get(acts.size() - 1));
        }
        INDArray out = fast.forward(input).dup();
        INDArray h = fast.layerInput(hidden + 1);
        var pp = net.getLayerWiseConfigurations().getInputPreProcess(hidden + 1);
        if (pp != null) {
            // the stored input is after the next layer's preprocessor; hidden layers the metrics read are dense
            h = h.reshape('c', h.size(0), h.length() / h.size(0));
        }
        return List.of(h.dup(), out);
    }
}
