package dev.jgan.dl4j;

import dev.jgan.dl4j.fast.InputGradient;
import dev.jgan.dl4j.fast.ParameterGradient;
import java.util.List;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a wrapped network's training passes are computed: by DL4J's own layer code ({@link Dl4jBackprop}) or by the
 * CPU fast path ({@link FastBackprop}). Both work on the network's own parameters and gradient view, so the two are
 * interchangeable at any step.
 */
interface Backprop {

    /** Training-mode forward pass of input in the network's layout; keeps what {@link #backward} needs. */
    INDArray forward(INDArray input);

    /**
     * Back-propagates {@code eps} (dL/d(output), in the network's layout) through the last forward pass: the
     * parameter gradients are written over the gradient view, added to it, or left out with the view unchanged, as
     * {@code params} says. Returns dL/d(input), or null when {@code input} is {@link InputGradient#SKIP} and the
     * implementation could skip it.
     */
    INDArray backward(INDArray eps, ParameterGradient params, InputGradient input);

    /** The gradient view named per layer and parameter, as DL4J's updater takes it, after a backward pass. */
    Gradient gradient();

    /** The indices of the layers computed by the fast path (empty for DL4J's own code). */
    List<Integer> fastLayers();

    /** Whether no DL4J layer with parameters takes part (every parameter's gradient comes from the fast path). */
    boolean coversParameters();
}
