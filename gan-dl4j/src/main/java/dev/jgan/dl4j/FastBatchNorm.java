package dev.jgan.dl4j;

import java.nio.FloatBuffer;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalisation in training mode, together with the ReLU, leaky ReLU or identity activation layer that follows
 * it, as plain Java loops over the layer's memory.
 *
 * <p>Why: DL4J's layer runs about a dozen ND4J operations per pass (mean, variance, broadcasts, then the activation
 * layer's own), each a native call with its own dispatch and temporary arrays; on the small activations of a GAN
 * (64 x 1024 values) that overhead, not arithmetic, was a fifth of a dense GAN's training time. Here a pass reads
 * the input once, normalises, scales, shifts and activates per channel, and writes the output once.
 *
 * <p>Computes what DL4J's {@code BatchNormalization} computes in training (batch mean, biased variance plus epsilon,
 * gradients of gamma and beta) including the running statistics, which DL4J 1.0.0-M2.1 updates through the
 * "gradients" of its mean and log10(std) parameters (applied by a no-op updater): {@code (1 - decay) (mean -
 * batchMean)} and {@code log10std - log10(sqrt(decay 10^(2 log10std) + (1 - decay) batchVar))}. Inference stays
 * DL4J's. Rank-2 activations are [batch, features] ('f' order: one feature's values contiguous), rank 4 NCHW.
 */
final class FastBatchNorm implements FastPath.Fast {

    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray globalMean;
    private final INDArray globalLogStd;
    private final INDArray gradGamma;
    private final INDArray gradBeta;
    private final INDArray gradMean;
    private final INDArray gradLogStd;
    private final double eps;
    private final double decay;
    private final int channels;
    /** The fused activation is {@code y > 0 ? y : slope * y}: 1 for none, 0 for ReLU. */
    private final float slope;

    private long[] shape;
    private int groups;
    private int length;
    private float[] xHat;
    private float[] pre;
    private float[] work;
    private final double[] mean;
    private final double[] variance;
    private INDArray out;
    private INDArray dx;

    FastBatchNorm(Layer layer, BatchNormalization conf, float slope) {
        this.gamma = layer.getParam(BatchNormalizationParamInitializer.GAMMA);
        this.beta = layer.getParam(BatchNormalizationParamInitializer.BETA);
        this.globalMean = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        this.globalLogStd = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
        Map<String, INDArray> grads = BatchNormalizationParamInitializer.getInstance()
                .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
        this.gradGamma = grads.get(BatchNormalizationParamInitializer.GAMMA);
        this.gradBeta = grads.get(BatchNormalizationParamInitializer.BETA);
        this.gradMean = grads.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        this.gradLogStd = grads.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
        this.eps = conf.getEps();
        this.decay = conf.getDecay();
        this.channels = (int) gamma.length();
        this.slope = slope;
        this.mean = new double[channels];
        this.variance = new double[channels];
    }

    /** Whether this class computes {@code conf} exactly as DL4J does. */
    static boolean supported(BatchNormalization conf, Layer layer) {
        return !conf.isLockGammaBeta() && conf.isMinibatch() && conf.isUseLogStd()
                && conf.getCnn2DFormat() == CNN2DFormat.NCHW
                && layer.getParam(BatchNormalizationParamInitializer.GAMMA).dataType() == DataType.FLOAT;
    }

    /** The slope for negative inputs of {@code activation} when it can be fused (ReLU, leaky ReLU, identity). */
    static Float slopeOf(IActivation activation) {
        if (activation instanceof ActivationIdentity) {
            return 1f;
        }
        if (activation instanceof ActivationLReLU l) {
            return (float) l.getAlpha();
        }
        if (activation instanceof ActivationReLU && activation.equals(new ActivationReLU())) {
            return 0f;
        }
        return null;
    }

    /** A direct buffer over a contiguous array's values, in its storage order. */
    static FloatBuffer floats(INDArray a) {
        return new FloatPointer(a.data().addressPointer()).capacity(a.length()).asBuffer();
    }

    private static boolean contiguous(INDArray a, char order) {
        return a.dataType() == DataType.FLOAT && a.ordering() == order && Shape.hasDefaultStridesForShape(a)
                && a.elementWiseStride() == 1;
    }

    private static float[] read(INDArray a) {
        float[] v = new float[(int) a.length()];
        floats(a).get(v);
        return v;
    }

    private void buffers(INDArray x) {
        if (shape == null || !java.util.Arrays.equals(shape, x.shape())) {
            shape = x.shape();
            int n = (int) x.size(0);
            int size = (int) x.length();
            groups = x.rank() == 2 ? 1 : n;
            length = x.rank() == 2 ? n : (int) (x.size(2) * x.size(3));
            xHat = new float[size];
            pre = slope == 1f ? null : new float[size];
            work = new float[size];
            char order = x.rank() == 2 ? 'f' : 'c';
            out = Nd4j.createUninitialized(DataType.FLOAT, shape, order);
            dx = Nd4j.createUninitialized(DataType.FLOAT, shape, order);
        }
    }

    /** Where channel {@code c}'s run of values number {@code g} starts. */
    private int start(int c, int g) {
        return groups == 1 ? c * length : (g * channels + c) * length;
    }

    @Override
    public INDArray forward(INDArray input, int iteration, int epoch, LayerWorkspaceMgr mgr, boolean fresh) {
        char order = input.rank() == 2 ? 'f' : 'c';
        INDArray x = contiguous(input, order) ? input : input.castTo(DataType.FLOAT).dup(order);
        buffers(x);
        floats(x).get(xHat);
        float[] g = read(gamma);
        float[] b = read(beta);
        float[] o = work;
        double m = (double) groups * length;
        Split.run(channels, xHat.length, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                double sum = 0;
                for (int k = 0; k < groups; k++) {
                    int from = start(c, k);
                    sum += sum(xHat, from, from + length);
                }
                double mu = sum / m;
                float mu32 = (float) mu;
                double sumSquares = 0;
                for (int k = 0; k < groups; k++) {
                    int from = start(c, k);
                    sumSquares += squares(xHat, from, from + length, mu32);
                }
                double var = sumSquares / m + eps;
                mean[c] = mu;
                variance[c] = var;
                float inv = (float) (1 / Math.sqrt(var));
                float gc = g[c];
                float bc = b[c];
                for (int k = 0; k < groups; k++) {
                    int from = start(c, k);
                    if (pre == null) {
                        for (int j = from, end = from + length; j < end; j++) {
                            float h = (xHat[j] - mu32) * inv;
                            xHat[j] = h;
                            o[j] = gc * h + bc;
                        }
                    } else {
                        for (int j = from, end = from + length; j < end; j++) {
                            float h = (xHat[j] - mu32) * inv;
                            xHat[j] = h;
                            float y = gc * h + bc;
                            pre[j] = y;
                            o[j] = y > 0 ? y : slope * y;
                        }
                    }
                }
            }
        });
        floats(out).put(o);
        return fresh ? out.dup(out.ordering()) : out;
    }

    @Override
    public INDArray backward(INDArray eps, boolean parameters, boolean accumulate, boolean fresh, boolean input) {
        char order = eps.rank() == 2 ? 'f' : 'c';
        INDArray e = contiguous(eps, order) ? eps : eps.castTo(DataType.FLOAT).dup(order);
        float[] d = work;
        floats(e).get(d);
        float[] g = read(gamma);
        float[] dGamma = new float[channels];
        float[] dBeta = new float[channels];
        double m = (double) groups * length;
        Split.run(channels, 2L * d.length, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                double sumDy = 0;
                double sumDyX = 0;
                for (int k = 0; k < groups; k++) {
                    int from = start(c, k);
                    for (int j = from, end = from + length; j < end; j++) {
                        // as libnd4j: ReLU's derivative at 0 is 0, leaky ReLU's is 1
                        float dy = pre == null || pre[j] > 0 || slope != 0 && pre[j] == 0 ? d[j] : slope * d[j];
                        d[j] = dy;
                        sumDy += dy;
                        sumDyX += dy * xHat[j];
                    }
                }
                dGamma[c] = (float) sumDyX;
                dBeta[c] = (float) sumDy;
                if (input) {
                    // dL/dx = gamma / (m std) (m dy - sum(dy) - xHat sum(dy xHat))
                    float coef = (float) (g[c] / Math.sqrt(variance[c]) / m);
                    float mm = (float) m;
                    float sdy = (float) sumDy;
                    float sdyx = (float) sumDyX;
                    for (int k = 0; k < groups; k++) {
                        int from = start(c, k);
                        for (int j = from, end = from + length; j < end; j++) {
                            d[j] = coef * (mm * d[j] - sdy - xHat[j] * sdyx);
                        }
                    }
                }
            }
        });
        if (parameters) {
            write(gradGamma, dGamma, accumulate);
            write(gradBeta, dBeta, accumulate);
            float[] gm = read(globalMean);
            float[] gl = read(globalLogStd);
            float[] dMean = new float[channels];
            float[] dLogStd = new float[channels];
            for (int c = 0; c < channels; c++) {
                dMean[c] = (float) ((1 - decay) * (gm[c] - mean[c]));
                double runningVar = decay * Math.pow(10, 2.0 * gl[c]) + (1 - decay) * variance[c];
                dLogStd[c] = (float) (gl[c] - 0.5 * Math.log10(runningVar));
            }
            write(gradMean, dMean, accumulate);
            write(gradLogStd, dLogStd, accumulate);
        }
        if (!input) {
            return null;
        }
        floats(dx).put(d);
        return fresh ? dx.dup(dx.ordering()) : dx;
    }

    /** The sum of {@code v[from, to)}; four float accumulators, as one chain of additions is latency-bound. */
    private static double sum(float[] v, int from, int to) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = from;
        for (; j + 3 < to; j += 4) {
            s0 += v[j];
            s1 += v[j + 1];
            s2 += v[j + 2];
            s3 += v[j + 3];
        }
        for (; j < to; j++) {
            s0 += v[j];
        }
        return (double) s0 + s1 + s2 + s3;
    }

    /** The sum of {@code (v - centre)^2} over {@code v[from, to)}, accumulated as {@link #sum}. */
    private static double squares(float[] v, int from, int to, float centre) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = from;
        for (; j + 3 < to; j += 4) {
            float d0 = v[j] - centre;
            float d1 = v[j + 1] - centre;
            float d2 = v[j + 2] - centre;
            float d3 = v[j + 3] - centre;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < to; j++) {
            float d = v[j] - centre;
            s0 += d * d;
        }
        return (double) s0 + s1 + s2 + s3;
    }

    /** Writes {@code values} over a contiguous array, or adds them to it. */
    static void write(INDArray view, float[] values, boolean accumulate) {
        FloatBuffer buf = floats(view);
        if (accumulate) {
            for (int i = 0; i < values.length; i++) {
                buf.put(i, buf.get(i) + values[i]);
            }
        } else {
            buf.put(values);
        }
    }
}
