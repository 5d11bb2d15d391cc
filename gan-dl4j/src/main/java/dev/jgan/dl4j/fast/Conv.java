package dev.jgan.dl4j.fast;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;

/**
 * One 2-D convolution (NCHW, no dropout) through libnd4j's {@code conv2d} and {@code conv2d_bp} ops (native
 * im2col and BLAS, or oneDNN in builds that have it) instead of DL4J's Java-side im2col and {@code mmul}.
 */
final class Conv extends Convolutional {
    private INDArray x;

    Conv(Layer layer, ConvolutionLayer conf) {
        super(layer, conf);
    }

    /** Over given arrays, as {@link Convolutional#Convolutional(INDArray, INDArray, java.util.Map,
     * org.deeplearning4j.nn.conf.layers.ConvolutionLayer, org.nd4j.linalg.activations.IActivation)}. */
    Conv(INDArray w, INDArray b, Map<String, INDArray> grads,
            ConvolutionLayer conf,
            IActivation activation) {
        super(w, b, grads, conf, activation);
    }

    /** Output and gradient buffers, reused while the input shape stays the same. */
    private void buffers(INDArray input) {
        if (gradI == null || !Arrays.equals(gradI.shape(), input.shape())) {
            long[] outShape = Nd4j.getExecutioner().calculateOutputShape(
                    DynamicCustomOp.builder("conv2d").addInputs(input, w, b)
                            .addIntegerArguments(iArgs).build()).get(0).getShape();
            z = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
            a = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
            dz = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
            gradI = Nd4j.createUninitialized(DataType.FLOAT, input.shape(), 'c');
            tmpW = Nd4j.createUninitialized(DataType.FLOAT, w.shape(), 'c');
            tmpB = Nd4j.createUninitialized(DataType.FLOAT, b.length());
            scratchOut = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
            exactTranspose = transposedArgs != null
                    && stride[0] * (outShape[2] - 1) + kernel[0] - 2L * padding[0] == input.size(2)
                    && stride[1] * (outShape[3] - 1) + kernel[1] - 2L * padding[1] == input.size(3);
        }
    }

    private INDArray scratchOut;
    /** Whether the transposed convolution (oneDNN, VALID with the padding spelled out) maps back onto the input. */
    private boolean exactTranspose;

    @Override
    public INDArray forward(INDArray input, int iteration, int epoch, LayerWorkspaceMgr mgr, Result result) {
        x = input.dataType() == DataType.FLOAT ? input : input.castTo(DataType.FLOAT);
        buffers(x);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(z)
                .addIntegerArguments(iArgs).build());
        return activated(result);
    }

    @Override
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient inputGradient,
            Result result) {
        INDArray delta = delta(eps);
        if (!params.computed() && inputGradient.computed() && columnsToImage != null) {
            // only the input gradient (D in G's step): one GEMM and col2im for a layer with few input channels
            int top = padTop(delta.size(2), x.size(2), 0);
            int left = padTop(delta.size(3), x.size(3), 1);
            INDArray d = delta.ordering() == 'c' && delta.elementWiseStride() == 1 ? delta : delta.dup('c');
            columnsToImage.apply(d, gradI, top, left, null);
            return result.fresh() ? gradI.dup() : gradI;
        }
        if (!params.computed() && inputGradient.computed() && exactTranspose) {
            // only the input gradient (D in G's step): the transposed convolution of delta as one oneDNN
            // deconvolution; on the DCGAN's second layer 1.7 ms against 3.2-3.3 ms for conv2d_bp
            Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(delta, wPermuted)
                    .addOutputs(gradI).addIntegerArguments(transposedArgs).build());
            return result.fresh() ? gradI.dup() : gradI;
        }
        if (params.computed() && !inputGradient.computed() && exactTranspose) {
            // Only the weight gradient (a first layer in D's step): the transposed convolution's backward pass
            // from delta to x gives it (its other outputs are thrown away); on the DCGAN's one-channel first
            // layer 1.0 ms against 2.9 ms for conv2d_bp, which also computes the unwanted input gradient.
            Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp")
                    .addInputs(delta, wPermuted, x).addOutputs(scratchOut, tmpW.permute(2, 3, 1, 0))
                    .addIntegerArguments(transposedArgs).build());
            Nd4j.exec(new Sum(delta, tmpB, 0, 2, 3));
        } else {
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, delta)
                    .addOutputs(gradI, tmpW, tmpB).addIntegerArguments(iArgs).build());
        }
        if (params.computed()) {
            store(gradW, tmpW, gradB, tmpB, params.adds());
        }
        if (!inputGradient.computed()) {
            return null;
        }
        return result.fresh() ? gradI.dup() : gradI;
    }
}
