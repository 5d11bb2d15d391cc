package dev.jgan.dl4j;

import dev.jgan.dl4j.fast.FastPath;
import dev.jgan.dl4j.fast.InputGradient;
import dev.jgan.dl4j.fast.ParameterGradient;
import java.util.List;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Training passes on the CPU fast path ({@link FastPath}), DL4J's code for the layers it does not compute. */
final class FastBackprop implements Backprop {

    private final MultiLayerNetwork net;
    private final FastPath fast;
    private final GradientView view;
    private Gradient gradient;

    FastBackprop(MultiLayerNetwork net, FastPath fast) {
        this.net = net;
        this.fast = fast;
        this.view = new GradientView(net);
    }

    @Override
    public INDArray forward(INDArray input) {
        net.setInput(input); // as DL4J's own pass does: listeners read the batch from the network's input
        return fast.forward(input);
    }

    @Override
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient input) {
        INDArray in;
        if (params == ParameterGradient.WRITE || !fast.hasOtherParameterLayers()) {
            // the fast layers write or add their gradients (or skip them) themselves
            in = fast.backward(eps, params, input);
        } else {
            // DL4J's layers overwrite their part: the view is saved around a pass that writes
            ParameterGradient write = params == ParameterGradient.SKIP ? ParameterGradient.SKIP
                    : ParameterGradient.WRITE;
            in = view.around(params, () -> fast.backward(eps, write, input));
        }
        if (params != ParameterGradient.SKIP && gradient == null) {
            gradient = FastPath.gradientOf(net);
        }
        return in;
    }

    @Override
    public Gradient gradient() {
        return gradient;
    }

    @Override
    public List<Integer> fastLayers() {
        return fast.layers();
    }

    @Override
    public boolean coversParameters() {
        return !fast.hasOtherParameterLayers();
    }
}
