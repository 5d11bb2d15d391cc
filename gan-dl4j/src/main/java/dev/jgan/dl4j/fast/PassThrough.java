package dev.jgan.dl4j.fast;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A layer computed by the layer before it (an activation fused into batch norm): passes values through. */
final class PassThrough implements Kernel {

    static final PassThrough INSTANCE = new PassThrough();

    private PassThrough() {}

    @Override
    public INDArray forward(INDArray x, int iteration, int epoch, LayerWorkspaceMgr mgr, Result result) {
        return result == Result.FRESH ? x.dup(x.ordering()) : x;
    }

    @Override
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient inputGradient,
            Result result) {
        return eps;
    }
}
