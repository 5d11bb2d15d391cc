package dev.jgan.dl4j;

import dev.jgan.api.ImageShape;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.Arrays;

/**
 * Analytic cost of a network: multiply-adds of its dense, convolution and transposed-convolution layers per image in
 * one forward pass (element-wise layers, batch norm and activations are not counted; 1 multiply-add = 2 FLOPs).
 */
public final class Dl4jFlops {

    private Dl4jFlops() {}

    /** Forward FLOPs of the generator for one latent vector. */
    public static long forwardFlopsPerImage(Dl4jGenerator g) {
        return forwardFlopsPerImage(g.model(), Nd4j.zeros(1, g.latentSize() + g.numClasses()));
    }

    /**
     * Forward FLOPs of the discriminator for one image. A conditional one counts its label input as its layers
     * compute it: label columns of a dense input as multiplied, label planes of a convolutional input as the
     * per-class bias of the first convolution they amount to (none of their multiply-adds counted).
     */
    public static long forwardFlopsPerImage(Dl4jDiscriminator d) {
        int k = d.numClasses();
        ImageShape shape = d.imageShape();
        boolean flat = d.dl4jModel().expectsFlatInput();
        INDArray input = flat ? Nd4j.zeros(1, shape.size() + k)
                : Nd4j.zeros(1, shape.channels() + k, shape.height(), shape.width());
        int labelPlanes = d.labelPlanes()[1];
        if (labelPlanes == 0 || !(d.model() instanceof MultiLayerNetwork mln)
                || !(mln.getLayerWiseConfigurations().getConf(0).getLayer() instanceof ConvolutionLayer conv)) {
            return forwardFlopsPerImage(d.model(), input);
        }
        long[] macs = layerMacs(mln, input);
        // a convolution's multiply-adds are linear in its input channels: the label planes' share of the first one
        macs[0] -= macs[0] / conv.getNIn() * labelPlanes;
        return 2 * Arrays.stream(macs).sum();
    }

    /**
     * Forward FLOPs for one image, found by running {@code oneInput} (a batch of one, as the network takes it)
     * through the network ({@link MultiLayerNetwork} or {@link ComputationGraph}) and reading each layer's output
     * shape.
     */
    public static long forwardFlopsPerImage(Model net, INDArray oneInput) {
        if (net instanceof ComputationGraph graph) {
            long macs = 0;
            var acts = graph.feedForward(new INDArray[] {oneInput}, false, true);
            for (var layer : graph.getLayers()) {
                macs += macs(layer.conf().getLayer(), acts.get(layer.conf().getLayer().getLayerName()));
            }
            return 2 * macs;
        }
        return 2 * Arrays.stream(layerMacs((MultiLayerNetwork) net, oneInput)).sum();
    }

    /** Each layer's multiply-adds for {@code oneInput}. */
    private static long[] layerMacs(MultiLayerNetwork mln, INDArray oneInput) {
        List<INDArray> acts = mln.feedForward(oneInput, false);
        long[] macs = new long[mln.getnLayers()];
        for (int i = 0; i < macs.length; i++) {
            macs[i] = macs(mln.getLayerWiseConfigurations().getConf(i).getLayer(), acts.get(i + 1));
        }
        return macs;
    }

    private static long macs(Layer layer, INDArray out) {
        if (layer instanceof DenseLayer dense) {
            return dense.getNIn() * dense.getNOut();
        } else if (layer instanceof Deconvolution2D deconv) {
            // Each input pixel scatters nOut x k x k values per input channel.
            long outPixels = out.size(2) * out.size(3);
            long inPixels = outPixels / ((long) deconv.getStride()[0] * deconv.getStride()[1]);
            return inPixels * deconv.getNIn() * deconv.getNOut() * deconv.getKernelSize()[0]
                    * deconv.getKernelSize()[1];
        } else if (layer instanceof ConvolutionLayer conv) {
            return out.size(2) * out.size(3) * conv.getNIn() * conv.getNOut() * conv.getKernelSize()[0]
                    * conv.getKernelSize()[1];
        }
        return 0;
    }
}
