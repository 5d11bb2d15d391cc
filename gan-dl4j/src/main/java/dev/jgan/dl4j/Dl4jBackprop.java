package dev.jgan.dl4j;

import dev.jgan.dl4j.fast.InputGradient;
import dev.jgan.dl4j.fast.ParameterGradient;
import java.util.List;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Training passes on DL4J's own layer code: {@code feedForward} and {@code backpropGradient} with an external error. */
final class Dl4jBackprop implements Backprop {

    private final MultiLayerNetwork net;
    private final GradientView view;
    private final LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
    private Gradient gradient;

    Dl4jBackprop(MultiLayerNetwork net) {
        this.net = net;
        this.view = new GradientView(net);
    }

    @Override
    public INDArray forward(INDArray input) {
        net.setInput(input);
        List<INDArray> activations = net.feedForward(true, false);
        return activations.get(activations.size() - 1);
    }

    @Override
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient input) {
        // DL4J always computes both and writes the parameter gradients over the whole view
        Pair<Gradient, INDArray> result = view.around(params, () -> net.backpropGradient(eps, workspaces));
        if (params != ParameterGradient.SKIP) {
            gradient = result.getFirst();
        }
        return result.getSecond();
    }

    @Override
    public Gradient gradient() {
        return gradient;
    }

    @Override
    public List<Integer> fastLayers() {
        return List.of();
    }

    @Override
    public boolean coversParameters() {
        return false;
    }
}
