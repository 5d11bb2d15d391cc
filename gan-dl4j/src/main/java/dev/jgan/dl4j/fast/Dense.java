package dev.jgan.dl4j.fast;

import java.nio.FloatBuffer;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.api.shape.Shape;

/**
 * One dense layer: {@code a = act(dropout(x) W + b)}. The products run on {@code Nd4j.gemm}; with a ReLU, leaky
 * ReLU or identity activation and plain (or no) dropout, the element-wise work around them (dropout mask, bias,
 * activation and their gradients) is one Java pass each way over the layer's memory instead of five or six ND4J
 * operations. Dropout masks then come from a generator seeded from ND4J's, so runs stay reproducible.
 */
final class Dense implements Kernel {
    private final INDArray w;
    private final INDArray b;
    private final INDArray gradW;
    private final INDArray gradB;
    private final IActivation activation;
    private final IDropout dropout;
    /** Negative-side slope of a ReLU-like activation when the element-wise work runs in Java, else null. */
    private final Float slope;
    /** 1 for tanh, 2 for sigmoid when the element-wise work runs in Java (forward through ND4J), else 0. */
    private final int squash;
    /** Retain probability of plain dropout done in Java, 0 for none. */
    private final double retain;
    /** The order of the output and its gradient: 'c' (row-major) or 'f'. */
    private final char order;
    private float[] biasValues;
    private INDArray ones;
    private INDArray z;
    private INDArray a;
    private INDArray dz;
    private INDArray dx;
    private INDArray dropped;
    private INDArray usedInput;
    private float[] pre;
    private float[] work;
    private float[] mask;
    private float[] inWork;
    private float[] kept;

    /**
     * With {@code rowMajor}, the output (and the gradient taken back) is row-major when the element-wise work
     * runs in Java with a ReLU-like activation and no dropout; otherwise column-major.
     */
    Dense(Layer layer, DenseLayer conf, boolean rowMajor) {
        this.w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
        this.b = row(layer.getParam(DefaultParamInitializer.BIAS_KEY));
        Map<String, INDArray> grads = DefaultParamInitializer.getInstance()
                .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
        this.gradW = grads.get(DefaultParamInitializer.WEIGHT_KEY);
        this.gradB = row(grads.get(DefaultParamInitializer.BIAS_KEY));
        this.activation = conf.getActivationFn();
        this.dropout = conf.getIDropout() == null ? null : conf.getIDropout().clone();
        boolean plainDropout = dropout == null || dropout.getClass() == Dropout.class
                && ((Dropout) dropout).getPSchedule() == null;
        this.slope = plainDropout ? Leaky.slopeOf(activation) : null;
        this.squash = !plainDropout ? 0 : activation instanceof ActivationTanH ? 1
                : activation instanceof ActivationSigmoid ? 2 : 0;
        this.retain = java() && dropout != null ? ((Dropout) dropout).getP() : 0;
        this.order = rowMajor && slope != null && dropout == null ? 'c' : 'f';
    }

    /** Whether the element-wise work runs in Java. */
    private boolean java() {
        return slope != null || squash != 0;
    }

    /** A [1, n] view of a bias vector (DL4J keeps biases as rank 1). */
    private static INDArray row(INDArray bias) {
        return bias.rank() == 2 ? bias : bias.reshape(1, bias.length());
    }

    private void buffers(int n) {
        if (z == null || z.size(0) != n) {
            long out = w.size(1);
            long in = w.size(0);
            ones = Nd4j.ones(DataType.FLOAT, n, 1);
            z = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, out}, order);
            a = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, out}, order);
            dz = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, out}, order);
            dx = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, in}, 'f');
            biasValues = new float[(int) out];
            dropped = dropout == null ? null : Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, in}, 'f');
            if (java()) {
                pre = new float[(int) (n * out)];
                work = new float[(int) (n * out)];
                mask = retain > 0 ? new float[(int) (n * in)] : null;
                inWork = retain > 0 ? new float[(int) (n * in)] : null;
                kept = retain > 0 ? new float[(int) (n * in)] : null;
            }
        }
    }

    /** With {@code fresh}, the result is a new array; otherwise a buffer the next pass overwrites. */
    @Override
    public INDArray forward(INDArray x, int iteration, int epoch, LayerWorkspaceMgr mgr, Result result) {
        int n = (int) x.size(0);
        buffers(n);
        if (x.dataType() != DataType.FLOAT) {
            x = x.castTo(DataType.FLOAT);
        }
        if (java()) {
            return javaForward(x, n, result);
        }
        if (dropout != null && dropped.ordering() != x.ordering()) {
            // DL4J draws the mask in the input's layout; matching it keeps runs comparable with DL4J's path.
            dropped = Nd4j.createUninitialized(DataType.FLOAT, x.shape(), x.ordering());
        }
        usedInput = dropout == null ? x : dropout.applyDropout(x, dropped, iteration, epoch, mgr);
        Nd4j.gemm(ones, b, z, false, false, 1.0, 0.0);
        Nd4j.gemm(usedInput, w, z, false, false, 1.0, 1.0);
        INDArray out = z;
        if (!(activation instanceof ActivationIdentity)) {
            a.assign(z);
            out = activation.getActivation(a, true);
        }
        return result.fresh() ? out.dup('f') : out;
    }

    private INDArray javaForward(INDArray x, int n, Result result) {
        usedInput = x;
        if (retain > 0) {
            // mask, kept input and input gradient all in the input's storage order: no transposes
            INDArray src = x.elementWiseStride() == 1 && (x.ordering() == 'c' || x.ordering() == 'f')
                    && Shape.hasDefaultStridesForShape(x) ? x : x.dup('f');
            if (dropped.ordering() != src.ordering()) {
                dropped = Nd4j.createUninitialized(DataType.FLOAT, src.shape(), src.ordering());
                dx = Nd4j.createUninitialized(DataType.FLOAT, src.shape(), src.ordering());
            }
            FloatArrays.get(src, inWork);
            // seeded from ND4J's generator, which the trainer seeds per step; 16 bits per decision
            SplittableRandom random = new SplittableRandom(Nd4j.getRandom().nextLong());
            int threshold = (int) Math.round(retain * 65536);
            float scale = (float) (1 / retain);
            int size = inWork.length;
            long bits = 0;
            for (int k = 0; k < size; k++) {
                if ((k & 3) == 0) {
                    bits = random.nextLong();
                }
                float m = scale * (((int) (bits & 0xFFFF) - threshold) >>> 31); // kept when below the threshold
                bits >>>= 16;
                mask[k] = m;
                kept[k] = m * inWork[k];
            }
            FloatArrays.put(dropped, kept);
            usedInput = dropped;
        }
        Nd4j.gemm(usedInput, w, z, false, false, 1.0, 0.0);
        int out = (int) w.size(1);
        FloatArrays.get(z, pre);
        FloatBuffer bias = FloatArrays.floats(b);
        if (squash != 0) {
            // bias in Java; tanh and sigmoid stay ND4J's vectorised kernels
            Split.run(out, pre.length, (lo, hi) -> {
                for (int j = lo; j < hi; j++) {
                    float bj = bias.get(j);
                    for (int k = j * n, end = k + n; k < end; k++) {
                        pre[k] += bj;
                    }
                }
            });
            FloatArrays.put(z, pre);
            Nd4j.exec(squash == 1 ? new Tanh(z, a)
                    : new Sigmoid(z, a));
            return result.fresh() ? a.dup('f') : a;
        }
        float s = slope;
        if (order == 'c') {
            float[] bs = biasValues;
            bias.get(0, bs);
            // blocks of columns: each thread's rows are contiguous runs
            Split.run(out, 2L * pre.length, (lo, hi) -> {
                for (int i = 0; i < n; i++) {
                    for (int j = lo, k = i * out + lo; j < hi; j++, k++) {
                        float v = pre[k] + bs[j];
                        pre[k] = v;
                        work[k] = Leaky.apply(v, s);
                    }
                }
            });
        } else {
            Split.run(out, 2L * pre.length, (lo, hi) -> {
                for (int j = lo; j < hi; j++) {
                    float bj = bias.get(j);
                    for (int k = j * n, end = k + n; k < end; k++) {
                        float v = pre[k] + bj;
                        pre[k] = v;
                        work[k] = Leaky.apply(v, s);
                    }
                }
            });
        }
        FloatArrays.put(a, work);
        return result.fresh() ? a.dup(order) : a;
    }

    @Override
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient inputGradient,
            Result result) {
        if (java()) {
            return javaBackward(eps, params, inputGradient, result);
        }
        INDArray delta;
        if (activation instanceof ActivationIdentity) {
            delta = eps;
        } else {
            dz.assign(z);
            // IActivation.backprop writes dL/dz over its first argument.
            delta = activation.backprop(dz, eps).getFirst();
        }
        if (params.computed()) {
            double beta = params.adds() ? 1.0 : 0.0;
            Nd4j.gemm(usedInput, delta, gradW, true, false, 1.0, beta);
            Nd4j.gemm(ones, delta, gradB, true, false, 1.0, beta);
        }
        if (!inputGradient.computed()) {
            return null;
        }
        Nd4j.gemm(delta, w, dx, false, true, 1.0, 0.0);
        INDArray gradient = result.fresh() ? dx.dup('f') : dx;
        return dropout == null ? gradient : dropout.backprop(gradient, gradient, 0, 0);
    }

    private INDArray javaBackward(INDArray eps, ParameterGradient params, InputGradient inputGradient,
            Result result) {
        int n = (int) eps.size(0);
        int out = (int) w.size(1);
        INDArray e = eps.dataType() == DataType.FLOAT && (eps.ordering() == order || out == 1)
                && eps.elementWiseStride() == 1 ? eps : eps.castTo(DataType.FLOAT).dup(order);
        FloatArrays.get(e, work);
        float[] dB = new float[out];
        if (squash != 0) {
            // the derivative from the output: tanh' = 1 - a^2, sigmoid' = a (1 - a); pre holds a here
            FloatArrays.get(a, pre);
            boolean tanh = squash == 1;
            Split.run(out, 3L * work.length, (lo, hi) -> {
                for (int j = lo; j < hi; j++) {
                    float sum = 0;
                    for (int k = j * n, end = k + n; k < end; k++) {
                        float y = pre[k];
                        float d = work[k] * (tanh ? 1 - y * y : y * (1 - y));
                        work[k] = d;
                        sum += d;
                    }
                    dB[j] = sum;
                }
            });
        } else if (order == 'c') {
            float s = slope;
            Split.run(out, 2L * work.length, (lo, hi) -> {
                for (int i = 0; i < n; i++) {
                    for (int j = lo, k = i * out + lo; j < hi; j++, k++) {
                        float d = work[k] * Leaky.derivative(pre[k], s);
                        work[k] = d;
                        dB[j] += d;
                    }
                }
            });
        } else {
            float s = slope;
            Split.run(out, 2L * work.length, (lo, hi) -> {
                for (int j = lo; j < hi; j++) {
                    float sum = 0;
                    for (int k = j * n, end = k + n; k < end; k++) {
                        float v = pre[k];
                        float d = work[k] * Leaky.derivative(v, s);
                        work[k] = d;
                        sum += d;
                    }
                    dB[j] = sum;
                }
            });
        }
        FloatArrays.put(dz, work);
        if (params.computed()) {
            Nd4j.gemm(usedInput, dz, gradW, true, false, 1.0, params.adds() ? 1.0 : 0.0);
            FloatArrays.write(gradB, dB, params.adds());
        }
        if (!inputGradient.computed()) {
            return null;
        }
        if (retain == 0) {
            // the input's layout, so that an image-shaped layer before takes it as it is
            char inOrder = usedInput.ordering() == 'c' && usedInput.elementWiseStride() == 1 ? 'c' : 'f';
            if (dx.ordering() != inOrder) {
                dx = Nd4j.createUninitialized(DataType.FLOAT, dx.shape(), inOrder);
            }
        }
        Nd4j.gemm(dz, w, dx, false, true, 1.0, 0.0);
        if (retain > 0) {
            // dx has the input's layout, like the mask
            FloatBuffer g = FloatArrays.floats(dx);
            g.get(inWork);
            for (int k = 0; k < inWork.length; k++) {
                inWork[k] *= mask[k];
            }
            g.rewind();
            g.put(inWork);
        }
        return result.fresh() ? dx.dup(dx.ordering()) : dx;
    }
}
