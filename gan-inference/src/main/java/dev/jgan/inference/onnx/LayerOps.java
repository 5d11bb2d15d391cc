package dev.jgan.inference.onnx;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.Arrays;

/**
 * The ONNX operators of one DL4J layer or preprocessor in inference mode (NCHW throughout). Each method takes the
 * input tensor and returns the output one.
 */
final class LayerOps {

    /** A tensor of the graph: its name and rank (2 for rows, 4 for NCHW images). */
    record Tensor(String name, int rank) {}

    private final OnnxGraph graph;

    LayerOps(OnnxGraph graph) {
        this.graph = graph;
    }

    Tensor preprocessor(InputPreProcessor p, Tensor in, String where) {
        if (p == null) {
            return in;
        }
        String x = in.name();
        if (p instanceof FeedForwardToCnnPreProcessor f) {
            // DL4J reshapes a row in C order into [channels, height, width]
            return new Tensor(graph.node("Reshape", x, graph.int64s("shape", -1, f.getNumChannels(),
                    f.getInputHeight(), f.getInputWidth())), 4);
        }
        if (p instanceof CnnToFeedForwardPreProcessor) {
            return new Tensor(graph.node("Flatten", List.of(x), Map.of("axis", 1L)), 2);
        }
        throw unsupported(where, p.getClass().getSimpleName());
    }

    Tensor layer(Layer layer, Tensor in, String where) {
        var conf = layer.conf().getLayer();
        String x = in.name();
        if (conf instanceof DenseLayer d) {
            long nIn = d.getNIn();
            long nOut = d.getNOut();
            String w = weights(layer, "W", nIn, nOut);
            String y = d.hasBias() ? graph.node("Gemm", x, w, weights(layer, "b", nOut))
                    : graph.node("MatMul", x, w);
            return new Tensor(activation(d.getActivationFn(), y, where), 2);
        }
        if (conf instanceof Deconvolution2D d) {
            return new Tensor(activation(d.getActivationFn(), deconvolution(layer, d, x, where), where), 4);
        }
        if (conf instanceof ConvolutionLayer c) {
            return new Tensor(activation(c.getActivationFn(), convolution(layer, c, x, where), where), 4);
        }
        if (conf instanceof BatchNormalization b) {
            return new Tensor(batchNorm(layer, b, x, in.rank()), in.rank());
        }
        if (conf instanceof ActivationLayer a) {
            return new Tensor(activation(a.getActivationFn(), x, where), in.rank());
        }
        if (conf instanceof Upsampling2D u) {
            int[] s = u.getSize();
            float[] scales = {1, 1, s[0], s.length > 1 ? s[1] : s[0]};
            return new Tensor(graph.node("Resize", List.of(x, "", graph.floats("scales", scales, 4)),
                    Map.of("mode", "nearest", "coordinate_transformation_mode", "asymmetric",
                            "nearest_mode", "floor")), 4);
        }
        throw unsupported(where, conf.getClass().getSimpleName());
    }

    String add(String a, String b) {
        return graph.node("Add", a, b);
    }

    private String convolution(Layer layer, ConvolutionLayer c, String x, String where) {
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        checkDilation(c, where);
        long[] pads;
        if (c.getConvolutionMode() == ConvolutionMode.Same) {
            if (s[0] != 1 || s[1] != 1) {
                throw unsupported(where, "a strided convolution in Same mode");
            }
            // the output keeps the input's size; DL4J pads (k-1)/2 before, the rest after
            pads = new long[] {(k[0] - 1) / 2, (k[1] - 1) / 2, k[0] / 2, k[1] / 2};
        } else {
            int[] p = c.getPadding();
            pads = new long[] {p[0], p[1], p[0], p[1]};
        }
        INDArray w = layer.getParam("W");
        String wName = graph.floats("W", w.dup('c').data().asFloat(), w.shape());
        List<String> in = c.hasBias() ? List.of(x, wName, weights(layer, "b", c.getNOut())) : List.of(x, wName);
        return graph.node("Conv", in, Map.of("kernel_shape", new long[] {k[0], k[1]},
                "strides", new long[] {s[0], s[1]}, "pads", pads));
    }

    private String deconvolution(Layer layer, Deconvolution2D d, String x, String where) {
        int[] k = d.getKernelSize();
        int[] s = d.getStride();
        checkDilation(d, where);
        long[] pads;
        long[] outputPadding = {0, 0};
        if (d.getConvolutionMode() == ConvolutionMode.Same) {
            // output = input * stride: the transposed convolution crops k - s in all, half before
            long[] total = {k[0] - s[0], k[1] - s[1]};
            for (int i = 0; i < 2; i++) {
                if (total[i] < 0) {
                    outputPadding[i] = -total[i];
                    total[i] = 0;
                }
            }
            pads = new long[] {total[0] / 2, total[1] / 2, total[0] - total[0] / 2, total[1] - total[1] / 2};
        } else {
            int[] p = d.getPadding();
            pads = new long[] {p[0], p[1], p[0], p[1]};
        }
        INDArray w = layer.getParam("W"); // [nIn, nOut, kH, kW], as ONNX's ConvTranspose expects
        String wName = graph.floats("W", w.dup('c').data().asFloat(), w.shape());
        List<String> in = d.hasBias() ? List.of(x, wName, weights(layer, "b", d.getNOut())) : List.of(x, wName);
        return graph.node("ConvTranspose", in, Map.of("kernel_shape", new long[] {k[0], k[1]},
                "strides", new long[] {s[0], s[1]}, "pads", pads, "output_padding", outputPadding));
    }

    /** Inference-mode batch norm as y = x · scale + shift per channel, folded in double precision. */
    private String batchNorm(Layer layer, BatchNormalization b, String x, int rank) {
        double[] mean = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).dup().data().asDouble();
        int c = mean.length;
        double[] std = new double[c];
        if (b.isUseLogStd()) {
            double[] log = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).dup().data().asDouble();
            for (int i = 0; i < c; i++) {
                std[i] = Math.pow(10, log[i]);
            }
        } else {
            double[] var = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).dup().data().asDouble();
            for (int i = 0; i < c; i++) {
                std[i] = Math.sqrt(var[i] + b.getEps());
            }
        }
        double[] gamma = b.isLockGammaBeta() ? filled(c, b.getGamma())
                : layer.getParam(BatchNormalizationParamInitializer.GAMMA).dup().data().asDouble();
        double[] beta = b.isLockGammaBeta() ? filled(c, b.getBeta())
                : layer.getParam(BatchNormalizationParamInitializer.BETA).dup().data().asDouble();
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            double g = gamma[i] / std[i];
            scale[i] = (float) g;
            shift[i] = (float) (beta[i] - mean[i] * g);
        }
        // per-channel constants broadcast over [N, C, H, W] or [N, C]
        long[] dims = rank == 2 ? new long[] {1, c} : new long[] {1, c, 1, 1};
        String y = graph.node("Mul", x, graph.floats("bn_scale", scale, dims));
        return graph.node("Add", y, graph.floats("bn_shift", shift, dims));
    }

    private String activation(IActivation a, String x, String where) {
        if (a == null || a instanceof ActivationIdentity) {
            return x;
        }
        if (a instanceof ActivationReLU r) {
            return graph.node("Relu", x);
        }
        if (a instanceof ActivationLReLU l) {
            return graph.node("LeakyRelu", List.of(x), Map.of("alpha", (float) l.getAlpha()));
        }
        if (a instanceof ActivationTanH) {
            return graph.node("Tanh", x);
        }
        if (a instanceof ActivationSigmoid) {
            return graph.node("Sigmoid", x);
        }
        throw unsupported(where, "activation " + a);
    }

    private String weights(Layer layer, String key, long... dims) {
        return graph.floats(key, layer.getParam(key).dup('c').data().asFloat(), dims);
    }

    private static void checkDilation(ConvolutionLayer c, String where) {
        int[] dil = c.getDilation();
        if (dil != null && (dil[0] != 1 || dil[1] != 1)) {
            throw unsupported(where, "a dilated convolution");
        }
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    static UnsupportedOperationException unsupported(String where, String what) {
        return new UnsupportedOperationException(where + ": " + what + " has no ONNX export yet (supported: dense, "
                + "convolution, transposed convolution, upsampling, batch norm, ReLU/leaky ReLU/tanh/sigmoid, "
                + "element-wise add)");
    }
}
