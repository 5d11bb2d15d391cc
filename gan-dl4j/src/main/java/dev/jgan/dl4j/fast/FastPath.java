package dev.jgan.dl4j.fast;

import java.nio.FloatBuffer;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;

/**
 * Runs a {@link MultiLayerNetwork}'s training forward and backward passes layer by layer, computing dense,
 * convolution, transposed-convolution and batch-norm layers (with the activation layer after batch norm) itself and
 * handing every other layer to DL4J.
 *
 * <p>Why: DL4J 1.0.0-M2.1's {@code DenseLayer} multiplies through {@code INDArray.mmuli}, measured here at 15 GFLOP/s
 * for a 64 x 1024 x 784 product against 80 for {@code Nd4j.gemm} (OpenBLAS) on the same arrays, and recomputes the
 * layer's forward product during backprop; its convolutions use Java-side im2col, its transposed convolutions a
 * libnd4j op that runs without oneDNN, and its batch norm and activations a dozen small ND4J operations each. Here a
 * layer keeps what its backward pass needs, multiplies with {@code Nd4j.gemm} or libnd4j's (oneDNN) convolution ops
 * into buffers reused per batch size, does its element-wise work (bias, activation, dropout, batch norm) in Java
 * loops over the layer's memory, writes (or adds) its parameter gradients straight into the network's gradient view,
 * and can skip them when only the input gradient is wanted. Parameters and serialization stay DL4J's, so a network
 * trained here is an ordinary DL4J network. Equivalence with DL4J's own path is tested.
 */
public final class FastPath {

    /** Batch sizes whose layers and buffers are kept (D sees 2n in a fused step, n in G's step). */
    private static final int SIZES_KEPT = 4;

    private final MultiLayerNetwork net;
    private final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
    /** The computed layers of the last forward pass's batch size. */
    private Kernel[] computed;
    private final Map<Integer, Kernel[]> bySize = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Kernel[]> eldest) {
            return size() > SIZES_KEPT;
        }
    };
    private final INDArray[] layerInputs;
    private final boolean otherParameterLayers;
    private int miniBatch;

    /** Image channels and one-hot label planes of the first layer's input (0 planes: none). */
    private final int imageChannels;
    private final int labelPlanes;

    private FastPath(MultiLayerNetwork net, Kernel[] computed, int imageChannels, int labelPlanes) {
        this.net = net;
        this.imageChannels = imageChannels;
        this.labelPlanes = labelPlanes;
        this.computed = computed;
        this.layerInputs = new INDArray[computed.length];
        boolean others = false;
        for (int i = 0; i < computed.length; i++) {
            others |= computed[i] == null && net.getLayer(i).numParams() > 0;
        }
        this.otherParameterLayers = others;
    }

    /** A fast path for {@code net}, or null when it has no layer this class can compute. */
    public static FastPath of(MultiLayerNetwork net) {
        return of(net, 0, 0);
    }

    /**
     * A fast path for a network whose input is {@code imageChannels} image channels followed by {@code labelPlanes}
     * constant one-hot planes (a conditional discriminator's): a first convolution computes the planes' part as a
     * bias per class ({@link LabelPlanesConv}) and its input gradient covers the image channels only. Null when no
     * layer can be computed here.
     */
    public static FastPath of(MultiLayerNetwork net, int imageChannels, int labelPlanes) {
        if (net.getLayers() == null || net.getLayers().length == 0) {
            return null;
        }
        Kernel[] computed = layers(net, imageChannels, labelPlanes);
        return computed == null ? null : new FastPath(net, computed, imageChannels, labelPlanes);
    }

    /**
     * Fresh layer objects for {@code net} (their buffers are sized by the first batch they see), or null when no
     * layer can be computed here.
     */
    private static Kernel[] layers(MultiLayerNetwork net, int imageChannels, int labelPlanes) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        Kernel[] computed = new Kernel[net.getnLayers()];
        boolean any = false;
        for (int i = 0; i < computed.length; i++) {
            var layerConf = conf.getConf(i).getLayer();
            if (layerConf instanceof DenseLayer d && supported(d)
                    && net.getLayer(i).getParam("W").dataType() == DataType.FLOAT) {
                // an image-shaped next layer takes a row-major output as it is (a column-major one is copied)
                boolean toImages = i + 1 < computed.length && conf.getInputPreProcess(i + 1)
                        instanceof FeedForwardToCnnPreProcessor;
                computed[i] = Readout.suits(d) ? new Readout(net.getLayer(i)) : new Dense(net.getLayer(i), d, toImages);
                any = true;
            } else if (layerConf.getClass() == ConvolutionLayer.class
                    && Convolutional.supported((ConvolutionLayer) layerConf)
                    && net.getLayer(i).getParam("W").dataType() == DataType.FLOAT) {
                var c = (ConvolutionLayer) layerConf;
                computed[i] = i == 0 && labelPlanes > 0 && conf.getInputPreProcess(0) == null
                        ? new LabelPlanesConv(net.getLayer(i), c, imageChannels, labelPlanes)
                        : ColumnsConv.suits(c, net.getLayer(i).getParam("W"))
                        ? new ColumnsConv(net.getLayer(i), c) : new Conv(net.getLayer(i), c);
                any = true;
            } else if (layerConf instanceof BatchNormalization bn
                    && BatchNorm.supported(bn, net.getLayer(i))) {
                // the activation layer right after batch norm is computed in the same pass
                Float slope = i + 1 < computed.length && conf.getInputPreProcess(i + 1) == null
                        && conf.getConf(i + 1).getLayer() instanceof ActivationLayer act
                        ? Leaky.slopeOf(act.getActivationFn()) : null;
                computed[i] = new BatchNorm(net.getLayer(i), bn, slope == null ? 1f : slope);
                if (slope != null) {
                    computed[++i] = PassThrough.INSTANCE;
                }
                any = true;
            } else if (layerConf instanceof Deconvolution2D dc && Deconv.supported(dc)
                    && net.getLayer(i).getParam("W").dataType() == DataType.FLOAT) {
                computed[i] = new Deconv(net.getLayer(i), dc);
                any = true;
            }
        }
        return any ? computed : null;
    }

    private static boolean supported(DenseLayer d) {
        return d.hasBias() && !d.hasLayerNorm() && d.getWeightNoise() == null;
    }

    /** Training-mode forward pass; keeps what backward needs. */
    public INDArray forward(INDArray input) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        miniBatch = (int) input.size(0);
        if (bySize.isEmpty()) {
            bySize.put(miniBatch, computed);
        }
        computed = bySize.computeIfAbsent(miniBatch, n -> layers(net, imageChannels, labelPlanes));
        net.setInputMiniBatchSize(miniBatch);
        INDArray x = input;
        for (int i = 0; i < computed.length; i++) {
            InputPreProcessor pp = conf.getInputPreProcess(i);
            if (pp != null) {
                x = pp.preProcess(x, miniBatch, mgr);
            }
            layerInputs[i] = x;
            if (computed[i] != null) {
                x = computed[i].forward(x, net.getIterationCount(), net.getEpochCount(), mgr,
                        i == computed.length - 1 ? Result.FRESH : Result.BUFFER);
            } else {
                Layer layer = net.getLayer(i);
                layer.setInputMiniBatchSize(miniBatch);
                layer.setInput(x, mgr);
                x = layer.activate(true, mgr);
            }
        }
        return x;
    }

    /**
     * Back-propagates {@code eps} through the last forward pass. The layers computed here store their parameter
     * gradients as {@code params} says; DL4J's own layers always overwrite their part of the gradient view, which
     * the caller saves and restores ({@link #hasOtherParameterLayers()}). Returns the gradient with respect to the
     * network's input, or null when {@code input} is {@link InputGradient#SKIP} and the first layer is computed here.
     */
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient input) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        INDArray e = eps;
        for (int i = computed.length - 1; i >= 0; i--) {
            if (computed[i] != null) {
                if (i == 0 && input == InputGradient.SKIP) {
                    computed[i].backward(e, params, InputGradient.SKIP, Result.BUFFER);
                    return null;
                }
                e = computed[i].backward(e, params, InputGradient.COMPUTE, i == 0 ? Result.FRESH : Result.BUFFER);
            } else {
                Layer layer = net.getLayer(i);
                layer.setInput(layerInputs[i], mgr);
                e = layer.backpropGradient(e, mgr).getSecond();
            }
            InputPreProcessor pp = conf.getInputPreProcess(i);
            if (pp != null && e != null) {
                e = pp.backprop(e, miniBatch, mgr);
            }
        }
        return e;
    }

    /** The input of layer {@code i} in the last forward pass (a buffer the next pass of this size reuses). */
    public INDArray layerInput(int i) {
        return layerInputs[i];
    }

    /** The indices of the layers computed here. */
    public List<Integer> layers() {
        var out = new ArrayList<Integer>();
        for (int i = 0; i < computed.length; i++) {
            if (computed[i] != null) {
                out.add(i);
            }
        }
        return out;
    }

    /** Whether DL4J layers with parameters (which overwrite their gradient views) take part in backprop. */
    public boolean hasOtherParameterLayers() {
        return otherParameterLayers;
    }

    /** The network's whole gradient view, named per layer and parameter as DL4J's updater expects. */
    public static Gradient gradientOf(MultiLayerNetwork net) {
        var g = new DefaultGradient(net.getGradientsViewArray());
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayer(i);
            if (layer.numParams() == 0) {
                continue;
            }
            Map<String, INDArray> views = layer.conf().getLayer().initializer()
                    .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
            views.forEach((k, v) -> g.setGradientFor(layer.getIndex() + "_" + k, v));
        }
        return g;
    }
}
