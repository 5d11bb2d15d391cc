package dev.jgan.dl4j;

import dev.jgan.api.Discriminator;
import dev.jgan.api.ImageShape;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.jgan.api.ModelMetadata;
import java.nio.FloatBuffer;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Any DL4J {@link MultiLayerNetwork} or {@link ComputationGraph} (one input, one output) with one output unit (a
 * logit, identity activation) as a {@link Discriminator}.
 * Networks whose first layer is dense, or that start with a {@code FeedForwardToCnnPreProcessor}
 * ({@code InputType.convolutionalFlat}), get {@code [n, C·H·W]} rows; all others get NCHW images.
 */
public final class Dl4jDiscriminator extends Dl4jNetwork implements Discriminator {

    private final ImageShape imageShape;
    private final boolean flatInput;

    /**
     * @param type the registered type name the network was built for
     * @param net an initialised {@link MultiLayerNetwork} or {@link ComputationGraph} ending in one identity unit without a loss
     * @param imageShape shape of one input image
     */
    public Dl4jDiscriminator(String type, Model net, ImageShape imageShape) {
        this(type, net, imageShape, 0);
    }

    /**
     * A conditional discriminator. A network with flat input takes {@code [n, C·H·W + numClasses]} (the one-hot
     * label after the pixels); a convolutional one takes {@code [n, C + numClasses, H, W]} (one constant plane per
     * class after the image's channels).
     */
    public Dl4jDiscriminator(String type, Model net, ImageShape imageShape, int numClasses) {
        this(type, net, imageShape, numClasses, false, 0);
    }

    /**
     * As above, with spectral normalisation of every dense and convolution weight when {@code spectralNorm}
     * ({@code seed} seeds the power iteration's start vector).
     */
    public Dl4jDiscriminator(String type, Model net, ImageShape imageShape, int numClasses,
                             boolean spectralNorm, long seed) {
        super(type, net);
        if (spectralNorm) {
            enableSpectralNorm(seed);
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be >= 0, got " + numClasses);
        }
        this.imageShape = imageShape;
        this.flatInput = dl4jModel().expectsFlatInput();
        this.numClasses = numClasses;
    }

    @Override
    int[] labelPlanes() {
        return numClasses > 0 && !flatInput ? new int[] {imageShape.channels(), numClasses} : new int[] {0, 0};
    }

    private final int numClasses;

    @Override
    public int numClasses() {
        return numClasses;
    }

    /**
     * True when every layer is one whose training output for an image depends on that image only, and the fast path
     * computes every layer with parameters. On DL4J's own layer code, passes whose batch size alternates (2n in a
     * fused D step, n in G's step) crashed DL4J 1.0.0-M2.1 once in four benchmark runs (SIGSEGV in a bias broadcast
     * inside its workspace-managed feed-forward), so that path keeps D's passes separate.
     */
    @Override
    public boolean samplesIndependent() {
        if (!fastPathCoversParameters()) {
            return false;
        }
        for (var layerConf : network().getLayerWiseConfigurations().getConfs()) {
            var layer = layerConf.getLayer();
            boolean perSample = layer instanceof DenseLayer
                    || layer instanceof ConvolutionLayer
                    || layer instanceof SubsamplingLayer
                    || layer instanceof ActivationLayer
                    || layer instanceof DropoutLayer
                    || layer instanceof Upsampling2D
                    || layer instanceof ZeroPaddingLayer
                    || layer instanceof GlobalPoolingLayer;
            if (!perSample) {
                return false;
            }
        }
        return true;
    }

    @Override
    public INDArray forward(INDArray images, INDArray oneHotLabels, boolean training) {
        if (numClasses == 0) {
            return Discriminator.super.forward(images, oneHotLabels, training);
        }
        if (oneHotLabels == null || oneHotLabels.rank() != 2 || oneHotLabels.columns() != numClasses
                || oneHotLabels.rows() != images.size(0)) {
            throw new IllegalArgumentException("a conditional discriminator needs one-hot labels [n, " + numClasses
                    + "] with one row per image");
        }
        checkImages(images);
        INDArray labels = oneHotLabels.castTo(images.dataType());
        INDArray in;
        if (flatInput) {
            in = Nd4j.hstack(toFlat(images), labels);
        } else if (images.dataType() == DataType.FLOAT) {
            in = withPlanes(images, labels);
        } else {
            long n = images.size(0);
            INDArray planes = labels.reshape(n, numClasses, 1, 1).repeat(2, imageShape.height())
                    .repeat(3, imageShape.width());
            in = Nd4j.concat(1, toImages(images, imageShape), planes);
        }
        return forwardNetwork(in, training);
    }

    /**
     * {@code [n, C + numClasses, H, W]}: each image's channels, then its one-hot label as constant planes. When the
     * fast path computes the first convolution ({@code LabelPlanesConv}, which copies what its backward pass needs),
     * one buffer per batch size is refilled (D's step and G's step see different sizes), and only the planes whose
     * value changed since it was last filled are written (two per image whose class changed, for one-hot labels);
     * DL4J's layers keep their input for backprop, so they get a new array.
     */
    private INDArray withPlanes(INDArray images, INDArray oneHot) {
        int n = (int) images.size(0);
        int pixels = (int) imageShape.size();
        int plane = imageShape.height() * imageShape.width();
        long[] shape = {n, imageShape.channels() + numClasses, imageShape.height(), imageShape.width()};
        boolean reuse = fastPathLayers().contains(0);
        PlaneBuffer kept = reuse ? planes.get(n) : null;
        boolean refill = kept != null;
        INDArray out = refill ? kept.input() : Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        float[] planeValues = refill ? kept.values() : new float[n * numClasses];
        if (reuse && !refill) {
            planes.put(n, new PlaneBuffer(out, planeValues));
        }
        // a buffer over an array's memory does not keep the array alive: these stay referenced until the end
        INDArray imageValues = images.dup('c');
        INDArray labelValues = oneHot.castTo(DataType.FLOAT).dup('c');
        FloatBuffer image = imageValues.data().asNioFloat();
        FloatBuffer labels = labelValues.data().asNioFloat();
        FloatBuffer dst = out.data().asNioFloat();
        float[] pixelsOf = new float[pixels];
        float[] planeOf = new float[plane];
        int perImage = pixels + numClasses * plane;
        for (int i = 0; i < n; i++) {
            image.get(i * pixels, pixelsOf);
            dst.put(i * perImage, pixelsOf);
            for (int c = 0; c < numClasses; c++) {
                int at = i * numClasses + c;
                float value = labels.get(at);
                if (refill && Float.floatToRawIntBits(value) == Float.floatToRawIntBits(planeValues[at])) {
                    continue;
                }
                Arrays.fill(planeOf, value);
                dst.put(i * perImage + pixels + c * plane, planeOf);
                planeValues[at] = value;
            }
        }
        Reference.reachabilityFence(imageValues);
        Reference.reachabilityFence(labelValues);
        return out;
    }

    /** An input buffer {@link #withPlanes} refills, and the label value each of its planes holds (image, class). */
    private record PlaneBuffer(INDArray input, float[] values) {}

    /** The buffers {@link #withPlanes} refills while the fast path computes the first layer, by batch size. */
    private final Map<Integer, PlaneBuffer> planes = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, PlaneBuffer> eldest) {
            return size() > 4;
        }
    };

    @Override
    public ImageShape imageShape() {
        return imageShape;
    }

    @Override
    String role() {
        return ModelMetadata.DISCRIMINATOR;
    }

    @Override
    INDArray toNetwork(INDArray images) {
        checkImages(images);
        if (numClasses > 0) {
            throw new IllegalArgumentException("this discriminator is conditional: call forward(images, labels, "
                    + "training)");
        }
        return flatInput ? toFlat(images) : toImages(images, imageShape);
    }

    private void checkImages(INDArray images) {
        if (images.length() != images.size(0) * imageShape.size()) {
            throw new IllegalArgumentException("discriminator input must be images of " + imageShape + ", got "
                    + Arrays.toString(images.shape()));
        }
    }

    @Override
    INDArray fromNetwork(INDArray output) {
        if (output.rank() != 2 || output.columns() != 1) {
            throw new IllegalStateException("the discriminator network must output one logit per image, [n, 1]; got "
                    + Arrays.toString(output.shape()));
        }
        return output;
    }

    @Override
    INDArray outputToNetwork(INDArray outputGradient) {
        return outputGradient;
    }

    @Override
    INDArray inputFromNetwork(INDArray inputGradient) {
        if (numClasses > 0) {
            // the gradient with respect to the label part is of no use to anyone: keep the image's
            inputGradient = flatInput
                    ? inputGradient.get(NDArrayIndex.all(), NDArrayIndex.interval(0, imageShape.size())).dup()
                    : inputGradient.get(NDArrayIndex.all(), NDArrayIndex.interval(0, imageShape.channels()),
                            NDArrayIndex.all(), NDArrayIndex.all()).dup();
        }
        return toImages(inputGradient, imageShape);
    }
}
