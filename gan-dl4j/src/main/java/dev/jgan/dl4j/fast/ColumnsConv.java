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

/**
 * A convolution whose input has few channels ({@code in kH kW <= 64}: a discriminator's first layer on grey or
 * RGB images) as Java im2col ({@link Columns}) and one GEMM each way, with the bias and a ReLU-like activation
 * applied while the GEMM's {@code [out, n oH oW]} result is rearranged to NCHW. Its arithmetic is small, and
 * libnd4j's oneDNN path spends most of the time around it reordering arrays to blocked layouts and back: on the
 * DCGAN's first layer (1 -> 32 channels, 28 -> 14 pixels, batch 64) the forward pass and activation took 1.3 ms,
 * the weight gradient 3.0 ms and the input gradient 2.1 ms (timed in place in training); here 1.2-1.3, 1.3 and
 * 1.4-1.5 ms.
 */
final class ColumnsConv extends Convolutional {
    /** The largest {@code in kH kW} (rows of the column matrix) done here. */
    static final int MAX_ROWS = 64;

    /** Negative-side slope of a ReLU-like activation applied in the rearranging loops, else null. */
    private final Float slope;
    /** The weights as a GEMM operand, [out, in kH kW]. */
    private final INDArray weights;
    private Columns columns;
    private long[] inShape;
    private int n;
    private int outChannels;
    private int plane;
    private float[] image;
    private float[] cols;
    private float[] product;
    private float[] pre;
    private float[] values;
    private INDArray colsArray;
    private INDArray colGrad;
    private INDArray productArray;

    static boolean suits(ConvolutionLayer conf, INDArray w) {
        int[] k = conf.getKernelSize();
        return conf.getDilation()[0] == 1 && conf.getDilation()[1] == 1 && w.size(1) * k[0] * k[1] <= MAX_ROWS;
    }

    ColumnsConv(Layer layer, ConvolutionLayer conf) {
        super(layer, conf);
        this.slope = Leaky.slopeOf(activation);
        this.weights = w.reshape('c', w.size(0), w.length() / w.size(0));
    }

    /** Over given arrays, as {@link Convolutional#Convolutional(INDArray, INDArray, java.util.Map,
     * org.deeplearning4j.nn.conf.layers.ConvolutionLayer, org.nd4j.linalg.activations.IActivation)}. */
    ColumnsConv(INDArray w, INDArray b, Map<String, INDArray> grads,
            ConvolutionLayer conf,
            IActivation activation) {
        super(w, b, grads, conf, activation);
        this.slope = Leaky.slopeOf(activation);
        this.weights = w.reshape('c', w.size(0), w.length() / w.size(0));
    }

    private void buffers(INDArray x) {
        if (inShape != null && Arrays.equals(inShape, x.shape())) {
            return;
        }
        inShape = x.shape();
        n = (int) x.size(0);
        int h = (int) x.size(2);
        int wd = (int) x.size(3);
        int outH = same ? (h + stride[0] - 1) / stride[0] : (h + 2 * padding[0] - kernel[0]) / stride[0] + 1;
        int outW = same ? (wd + stride[1] - 1) / stride[1] : (wd + 2 * padding[1] - kernel[1]) / stride[1] + 1;
        columns = new Columns((int) x.size(1), h, wd, kernel, stride, padTop(outH, h, 0), padTop(outW, wd, 1),
                outH, outW);
        outChannels = (int) w.size(0);
        plane = outH * outW;
        int width = columns.columns(n);
        image = new float[(int) x.length()];
        cols = new float[columns.rows() * width];
        product = new float[outChannels * width];
        pre = new float[product.length];
        values = new float[product.length];
        colsArray = Nd4j.createUninitialized(DataType.FLOAT, new long[] {columns.rows(), width}, 'c');
        colGrad = null;
        productArray = Nd4j.createUninitialized(DataType.FLOAT, new long[] {outChannels, width}, 'c');
        long[] outShape = {n, outChannels, outH, outW};
        z = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
        a = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
        dz = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
        gradI = Nd4j.createUninitialized(DataType.FLOAT, x.shape(), 'c');
        tmpW = Nd4j.createUninitialized(DataType.FLOAT, new long[] {outChannels, columns.rows()}, 'c');
        tmpB = Nd4j.createUninitialized(DataType.FLOAT, b.length());
    }

    @Override
    public INDArray forward(INDArray input, int iteration, int epoch, LayerWorkspaceMgr mgr, Result result) {
        return forward(input, null, result);
    }

    /**
     * Maps added to the pre-activation after the bias, one per image ({@link LabelPlanesConv}'s class biases), each
     * stored as one value per output channel and position pattern: {@code z[img, o, q] += values[(mapOf[img] · out
     * + o) · patterns + patternOf[q]]}, q the output position.
     */
    record Maps(float[] values, int[] mapOf, int[] patternOf, int patterns) {

        /** Writes the map row starting at {@code start} of {@link #values} out over every position. */
        void expand(int start, float[] map) {
            for (int q = 0; q < map.length; q++) {
                map[q] = values[start + patternOf[q]];
            }
        }

        /** The images ordered by their map (stable), so that each map is expanded once per output channel. */
        int[] imagesByMap() {
            int maps = 0;
            for (int m : mapOf) {
                maps = Math.max(maps, m + 1);
            }
            int[] start = new int[maps + 1];
            for (int m : mapOf) {
                start[m + 1]++;
            }
            for (int m = 0; m < maps; m++) {
                start[m + 1] += start[m];
            }
            int[] order = new int[mapOf.length];
            for (int img = 0; img < mapOf.length; img++) {
                order[start[mapOf[img]]++] = img;
            }
            return order;
        }
    }

    /** The forward pass with, when {@code maps} is not null, a map per image added after the bias. */
    INDArray forward(INDArray input, Maps maps, Result result) {
        INDArray x = input.dataType() == DataType.FLOAT && input.ordering() == 'c'
                && input.elementWiseStride() == 1 ? input : input.castTo(DataType.FLOAT).dup('c');
        buffers(x);
        FloatArrays.get(x, image);
        columns.im2col(image, n, cols);
        FloatArrays.put(colsArray, cols);
        Nd4j.gemm(weights, colsArray, productArray, false, false, 1.0, 0.0);
        FloatArrays.get(productArray, product);
        float[] bias = new float[outChannels];
        FloatArrays.get(b, bias);
        int width = n * plane;
        Float s = slope;
        // [out, n oH oW] -> [n, out, oH, oW], adding the bias (and activating)
        int[] order = maps == null ? null : maps.imagesByMap();
        Split.run(outChannels, 2L * product.length, (lo, hi) -> {
            float[] map = maps == null ? null : new float[plane];
            for (int co = lo; co < hi; co++) {
                float bc = bias[co];
                int expanded = -1;
                for (int k = 0; k < n; k++) {
                    int img = order == null ? k : order[k];
                    int src = co * width + img * plane;
                    int dst = (img * outChannels + co) * plane;
                    if (maps != null) {
                        int m = (maps.mapOf()[img] * outChannels + co) * maps.patterns();
                        if (m != expanded) {
                            maps.expand(m, map);
                            expanded = m;
                        }
                        float sl = s == null ? 1f : s; // the identity is a slope of 1
                        for (int q = 0; q < plane; q++) {
                            float v = product[src + q] + bc + map[q];
                            pre[src + q] = v;
                            values[dst + q] = Leaky.apply(v, sl);
                        }
                    } else if (s == null) {
                        for (int q = 0; q < plane; q++) {
                            values[dst + q] = product[src + q] + bc;
                        }
                    } else {
                        float sl = s;
                        for (int q = 0; q < plane; q++) {
                            float v = product[src + q] + bc;
                            pre[src + q] = v;
                            values[dst + q] = Leaky.apply(v, sl);
                        }
                    }
                }
            }
        });
        if (s == null) {
            FloatArrays.put(z, values);
            return activated(result);
        }
        FloatArrays.put(a, values);
        return result.fresh() ? a.dup() : a;
    }

    /**
     * dL/dz of the last backward pass as {@code [out, n oH oW]} (output channel, then image, then position), valid
     * until the next pass.
     */
    float[] deltaColumns() {
        return product;
    }

    @Override
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient inputGradient,
            Result result) {
        int width = n * plane;
        float[] dBias = new float[outChannels];
        Float s = slope;
        if (s == null) {
            FloatArrays.get(delta(eps), values);
        } else {
            FloatArrays.get(eps.ordering() == 'c' && eps.elementWiseStride() == 1
                    && eps.dataType() == DataType.FLOAT ? eps : eps.castTo(DataType.FLOAT).dup('c'), values);
        }
        // dL/dz as [out, n oH oW] (the GEMM's layout), with the bias gradient
        Split.run(outChannels, 2L * product.length, (lo, hi) -> {
            for (int co = lo; co < hi; co++) {
                float sum = 0;
                for (int img = 0; img < n; img++) {
                    int dst = co * width + img * plane;
                    int src = (img * outChannels + co) * plane;
                    if (s == null) {
                        for (int q = 0; q < plane; q++) {
                            float d = values[src + q];
                            product[dst + q] = d;
                            sum += d;
                        }
                    } else {
                        float sl = s;
                        for (int q = 0; q < plane; q++) {
                            float d = values[src + q] * Leaky.derivative(pre[dst + q], sl);
                            product[dst + q] = d;
                            sum += d;
                        }
                    }
                }
                dBias[co] = sum;
            }
        });
        FloatArrays.put(productArray, product);
        if (params.computed()) {
            Nd4j.gemm(productArray, colsArray, tmpW, false, true, 1.0, 0.0);
            FloatArrays.put(tmpB, dBias);
            store(gradW, tmpW.reshape('c', w.shape()), gradB, tmpB, params.adds());
        }
        if (!inputGradient.computed()) {
            return null;
        }
        // the columns' gradient, summed back into the image (the forward's columns stay in colsArray)
        if (colGrad == null) {
            colGrad = Nd4j.createUninitialized(DataType.FLOAT, colsArray.shape(), 'c');
        }
        Nd4j.gemm(weights, productArray, colGrad, true, false, 1.0, 0.0);
        FloatArrays.get(colGrad, cols);
        columns.col2im(cols, n, image);
        FloatArrays.put(gradI, image);
        return result.fresh() ? gradI.dup() : gradI;
    }
}
