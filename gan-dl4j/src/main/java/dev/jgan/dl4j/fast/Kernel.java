package dev.jgan.dl4j.fast;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One layer's training passes computed here rather than by DL4J. */
interface Kernel {

    /** Training-mode forward pass of {@code x}; keeps what {@link #backward} needs. */
    INDArray forward(INDArray x, int iteration, int epoch, LayerWorkspaceMgr mgr, Result result);

    /**
     * Back-propagates dL/d(output) {@code eps} through the last forward pass, storing the parameter gradients as
     * {@code params} says; returns dL/d(input), or null when {@code inputGradient} is {@link InputGradient#SKIP}.
     */
    INDArray backward(INDArray eps, ParameterGradient params, InputGradient inputGradient, Result result);
}
