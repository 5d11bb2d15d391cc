package dev.jgan.dl4j.fast;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

/**
 * What a convolution and a transposed convolution share: parameters and their gradient views, the activation,
 * and the geometry in the forms libnd4j's ops take it. {@code iArgs} describe the convolution (for a transposed
 * one, the convolution it transposes); {@code transposedArgs} the transposed direction in VALID mode with the
 * padding spelled out, which is how libnd4j reaches oneDNN's deconvolution, or null when SAME mode pads the two
 * sides unequally or the layer is dilated.
 */
abstract class Convolutional implements Kernel {
    final INDArray w;
    final INDArray b;
    final INDArray gradW;
    final INDArray gradB;
    final IActivation activation;
    final JavaActivation javaActivation;
    final int[] kernel;
    final int[] stride;
    /** Explicit padding; in SAME mode the top-left padding when it is symmetric. */
    final int[] padding;
    final boolean same;
    final int[] iArgs;
    final int[] transposedArgs;
    /** The weights as deconv2d takes them, [kH, kW, out, in] of the transposed direction. */
    final INDArray wPermuted;
    /** The transposed direction as GEMM + col2im, or null when it has many output channels. */
    final ColumnsToImage columnsToImage;
    /** Pre-activation, output and its gradient, input gradient, and the parameter gradients of one pass. */
    INDArray z;
    INDArray a;
    INDArray dz;
    INDArray gradI;
    INDArray tmpW;
    INDArray tmpB;

    static boolean supported(ConvolutionLayer c) {
        return c.hasBias() && c.getIDropout() == null && c.getWeightNoise() == null
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && (c.getConvolutionMode() == ConvolutionMode.Same
                || c.getConvolutionMode() == ConvolutionMode.Truncate);
    }

    Convolutional(Layer layer, ConvolutionLayer conf) {
        this(layer.getParam("W"), layer.getParam("b"), conf.initializer().getGradientsFromFlattened(layer.conf(),
                layer.getGradientsViewArray()), conf, conf.getActivationFn());
    }

    /**
     * A convolution with the geometry of {@code conf} over the given weights {@code w} ([out, in, kH, kW]), bias
     * and gradient arrays ({@code grads}: "W" and "b"), followed by {@code activation}.
     */
    Convolutional(INDArray w, INDArray bias, Map<String, INDArray> grads,
            ConvolutionLayer conf, IActivation activation) {
        this.w = w;
        this.b = bias.reshape(bias.length());
        this.gradW = grads.get("W");
        this.gradB = grads.get("b").reshape(bias.length());
        this.activation = activation;
        this.javaActivation = JavaActivation.of(activation);
        int[] k = conf.getKernelSize();
        int[] st = conf.getStride();
        int[] pad = conf.getPadding();
        int[] dil = conf.getDilation();
        this.kernel = k;
        this.stride = st;
        this.same = conf.getConvolutionMode() == ConvolutionMode.Same;
        this.padding = same ? new int[] {(k[0] - st[0]) / 2, (k[1] - st[1]) / 2} : pad;
        // kH, kW, sH, sW, pH, pW, dH, dW, same mode, NCHW (0), weights [out, in, kH, kW] (1) as DL4J keeps them
        // for a convolution (a transposed one's [in, out, kH, kW] is the transposed convolution's [out, in])
        this.iArgs = new int[] {k[0], k[1], st[0], st[1], same ? 0 : pad[0], same ? 0 : pad[1], dil[0], dil[1],
                same ? 1 : 0, 0, 1};
        boolean undilated = dil[0] == 1 && dil[1] == 1;
        boolean symmetric = !same || (k[0] - st[0]) % 2 == 0 && (k[1] - st[1]) % 2 == 0 && k[0] >= st[0]
                && k[1] >= st[1];
        this.transposedArgs = symmetric && undilated
                ? new int[] {k[0], k[1], st[0], st[1], padding[0], padding[1], 1, 1, 0, 0} : null;
        this.wPermuted = w.permute(2, 3, 1, 0);
        this.columnsToImage = undilated ? ColumnsToImage.of(w, k, st) : null;
    }

    /** act(z) of this pass (in a unless the identity), a new array with {@code fresh}. */
    INDArray activated(Result result) {
        INDArray out = JavaActivation.activate(activation, javaActivation, z, a);
        return result.fresh() ? out.dup() : out;
    }

    /** dL/dz of this pass from dL/da {@code eps}. */
    INDArray delta(INDArray eps) {
        return JavaActivation.deactivate(activation, javaActivation, eps, z, a, dz);
    }

    /** The convolution's top (dim 0) or left (dim 1) padding, from its output (small) and input (large) sides. */
    int padTop(long small, long large, int dim) {
        return same ? (int) Math.max(0, ((small - 1) * stride[dim] + kernel[dim] - large) / 2) : padding[dim];
    }

    /** Writes a layer's weight and bias gradients into its gradient views, or adds them there. */
    static void store(INDArray gradW, INDArray w, INDArray gradB, INDArray b, boolean accumulate) {
        if (accumulate) {
            gradW.addi(w);
            gradB.addi(b);
        } else {
            gradW.assign(w);
            gradB.assign(b);
        }
    }
}
