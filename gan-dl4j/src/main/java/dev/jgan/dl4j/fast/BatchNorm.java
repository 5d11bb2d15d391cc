package dev.jgan.dl4j.fast;

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
import java.util.Arrays;

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
final class BatchNorm implements Kernel {

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
    /** The fused activation is {@link Leaky} with this slope: 1 for none, 0 for ReLU. */
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

    BatchNorm(Layer layer, BatchNormalization conf, float slope) {
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

    private void buffers(INDArray x) {
        if (shape == null || !Arrays.equals(shape, x.shape())) {
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

    @Override
    public INDArray forward(INDArray input, int iteration, int epoch, LayerWorkspaceMgr mgr, Result result) {
        char order = input.rank() == 2 ? 'f' : 'c';
        INDArray in = FloatArrays.contiguous(input, order) ? input : input.castTo(DataType.FLOAT).dup(order);
        buffers(in);
        FloatArrays.get(in, xHat);
        float[] g = FloatArrays.read(gamma);
        float[] b = FloatArrays.read(beta);
        float[] x = xHat;
        float[] y = pre;
        float[] o = work;
        int length = this.length;
        int channels = this.channels;
        float slope = this.slope;
        int segments = groups * channels;
        double m = (double) groups * length;
        // Runs of one channel's values ("segments") are visited in memory order, so the loops stream through the
        // array (a channel-by-channel walk of an NCHW array jumps between samples); partial sums per thread.
        double[] sums = new double[channels];
        double[] squares = new double[channels];
        Split.run(segments, x.length, (lo, hi) -> {
            double[] s1 = new double[channels];
            double[] s2 = new double[channels];
            for (int seg = lo; seg < hi; seg++) {
                int c = seg % channels;
                float a0 = 0;
                float a1 = 0;
                float q0 = 0;
                float q1 = 0;
                int j = seg * length;
                int end = j + length;
                for (; j + 1 < end; j += 2) {
                    float v0 = x[j];
                    float v1 = x[j + 1];
                    a0 += v0;
                    a1 += v1;
                    q0 += v0 * v0;
                    q1 += v1 * v1;
                }
                if (j < end) {
                    a0 += x[j];
                    q0 += x[j] * x[j];
                }
                s1[c] += (double) a0 + a1;
                s2[c] += (double) q0 + q1;
            }
            addTo(sums, squares, s1, s2);
        });
        float[] shift = new float[channels];
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            double mu = sums[c] / m;
            double var = Math.max(0, squares[c] / m - mu * mu) + eps;
            mean[c] = mu;
            variance[c] = var;
            shift[c] = (float) mu;
            scale[c] = (float) (1 / Math.sqrt(var));
        }
        Split.run(segments, 2L * x.length, (lo, hi) -> {
            for (int seg = lo; seg < hi; seg++) {
                int c = seg % channels;
                float mu = shift[c];
                float inv = scale[c];
                float gc = g[c];
                float bc = b[c];
                int end = (seg + 1) * length;
                if (y == null) {
                    for (int j = seg * length; j < end; j++) {
                        float h = (x[j] - mu) * inv;
                        x[j] = h;
                        o[j] = gc * h + bc;
                    }
                } else {
                    for (int j = seg * length; j < end; j++) {
                        float h = (x[j] - mu) * inv;
                        x[j] = h;
                        float v = gc * h + bc;
                        y[j] = v;
                        o[j] = Leaky.apply(v, slope);
                    }
                }
            }
        });
        FloatArrays.put(out, o);
        return result.fresh() ? out.dup(out.ordering()) : out;
    }

    @Override
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient inputGradient,
            Result result) {
        char order = eps.rank() == 2 ? 'f' : 'c';
        INDArray e = FloatArrays.contiguous(eps, order) ? eps : eps.castTo(DataType.FLOAT).dup(order);
        float[] d = work;
        FloatArrays.get(e, d);
        float[] g = FloatArrays.read(gamma);
        float[] x = xHat;
        float[] y = pre;
        int length = this.length;
        int channels = this.channels;
        float slope = this.slope;
        int segments = groups * channels;
        double m = (double) groups * length;
        double[] sumDy = new double[channels];
        double[] sumDyX = new double[channels];
        Split.run(segments, 2L * d.length, (lo, hi) -> {
            double[] s1 = new double[channels];
            double[] s2 = new double[channels];
            for (int seg = lo; seg < hi; seg++) {
                int c = seg % channels;
                float a1 = 0;
                float a2 = 0;
                int end = (seg + 1) * length;
                for (int j = seg * length; j < end; j++) {
                    float dy = y == null ? d[j] : d[j] * Leaky.derivative(y[j], slope);
                    d[j] = dy;
                    a1 += dy;
                    a2 += dy * x[j];
                }
                s1[c] += a1;
                s2[c] += a2;
            }
            addTo(sumDy, sumDyX, s1, s2);
        });
        if (inputGradient.computed()) {
            // dL/dx = gamma / (m std) (m dy - sum(dy) - xHat sum(dy xHat))
            float[] coef = new float[channels];
            float[] sdy = new float[channels];
            float[] sdyx = new float[channels];
            for (int c = 0; c < channels; c++) {
                coef[c] = (float) (g[c] / Math.sqrt(variance[c]) / m);
                sdy[c] = (float) sumDy[c];
                sdyx[c] = (float) sumDyX[c];
            }
            float mm = (float) m;
            Split.run(segments, 2L * d.length, (lo, hi) -> {
                for (int seg = lo; seg < hi; seg++) {
                    int c = seg % channels;
                    float k = coef[c];
                    float a1 = sdy[c];
                    float a2 = sdyx[c];
                    int end = (seg + 1) * length;
                    for (int j = seg * length; j < end; j++) {
                        d[j] = k * (mm * d[j] - a1 - x[j] * a2);
                    }
                }
            });
        }
        if (params.computed()) {
            float[] dGamma = new float[channels];
            float[] dBeta = new float[channels];
            float[] gm = FloatArrays.read(globalMean);
            float[] gl = FloatArrays.read(globalLogStd);
            float[] dMean = new float[channels];
            float[] dLogStd = new float[channels];
            for (int c = 0; c < channels; c++) {
                dGamma[c] = (float) sumDyX[c];
                dBeta[c] = (float) sumDy[c];
                dMean[c] = (float) ((1 - decay) * (gm[c] - mean[c]));
                double runningVar = decay * Math.pow(10, 2.0 * gl[c]) + (1 - decay) * variance[c];
                dLogStd[c] = (float) (gl[c] - 0.5 * Math.log10(runningVar));
            }
            FloatArrays.write(gradGamma, dGamma, params.adds());
            FloatArrays.write(gradBeta, dBeta, params.adds());
            FloatArrays.write(gradMean, dMean, params.adds());
            FloatArrays.write(gradLogStd, dLogStd, params.adds());
        }
        if (!inputGradient.computed()) {
            return null;
        }
        FloatArrays.put(dx, d);
        return result.fresh() ? dx.dup(dx.ordering()) : dx;
    }

    /** Adds one thread's per-channel partial sums {@code a}, {@code b} to the totals (locked on {@code totalA}). */
    private static void addTo(double[] totalA, double[] totalB, double[] a, double[] b) {
        synchronized (totalA) {
            for (int c = 0; c < a.length; c++) {
                totalA[c] += a[c];
                totalB[c] += b[c];
            }
        }
    }

}
