package dev.jgan.dl4j.fast;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

/**
 * The first convolution of a conditional discriminator whose input is {@code channels} image channels followed by
 * {@code classes} constant one-hot planes (one per class, all ones for the image's class, as {@code
 * Dl4jDiscriminator} builds them). The convolution is linear in its input, so it splits exactly: the image
 * channels' part is an ordinary convolution (the kernel {@link ColumnsConv} or {@link Conv} would use for a
 * {@code channels}-deep input), and a constant plane's part is a bias map per class, {@code B[c, o, y, x] =} the
 * sum of the weights {@code W[o, channels + c, i, j]} over the taps {@code (i, j)} that fall inside the image at
 * output position {@code (y, x)}; its weight gradient is the sum of dL/dz over the same output positions, of the
 * images of class c. With 10 classes on a grey image this does the work of a 1-channel convolution instead of an
 * 11-channel one.
 *
 * <p>The input gradient it returns covers the image channels only ({@code [n, channels, H, W]}): the planes are
 * labels, which nothing trains.
 */
final class LabelPlanesConv extends Convolutional {

    private final int channels;
    private final int classes;
    /** The image channels' weights, copied from the layer's before every forward pass, and their gradient. */
    private final INDArray imageWeights;
    private final INDArray imageWeightGrad;
    private final INDArray innerBiasGrad;
    private final Convolutional inner;
    /**
     * The inner convolution when it is {@link ColumnsConv}: it then applies the layer's activation itself, with
     * the class biases added in its own pass over the output ({@code inner} is this, else an identity
     * convolution this class adds the biases to and activates).
     */
    private final ColumnsConv fused;
    private int[] labels;
    private int outChannels;
    private int outH;
    private int outW;
    /** Whether input row (dim 0) or column (dim 1) {@code o·stride − pad + tap} is inside the image. */
    private boolean[][] rowInside;
    private boolean[][] colInside;
    private int[][] rowGroups;
    private int[][] colGroups;
    private int[] rowGroup;
    private int[] colGroup;
    /** Per kernel row (column): the run of output rows (columns) where it is inside the image, [first, end). */
    private int[] rowFirst;
    private int[] rowEnd;
    private int[] colFirst;
    private int[] colEnd;
    /** The border pattern of each output position, {@code rowGroup[y] · colGroups + colGroup[x]}. */
    private int[] positionGroup;
    private int batch;
    /** The class biases, one value per class, output channel and border pattern: [classes, out, patterns]. */
    private float[] classBias;
    /** The planes' weights of this pass, [out, classes, kH, kW], and those {@link #classBias} was computed from. */
    private final float[] planeWeights;
    private float[] biasesOf;
    /**
     * Staging for the layer's weights or their gradient ([out, channels + classes, kH, kW]), and for their image
     * channels' part.
     */
    private final float[] layerValues;
    private final float[] imageParamValues;
    /** dL/dz summed over each class's images, [classes, out, oH, oW], refilled by every backward pass. */
    private float[] perClass;
    private float[] values;
    /** The image channels of the last input, and their values. */
    private INDArray imageArray;
    private float[] imageValues;

    LabelPlanesConv(Layer layer, ConvolutionLayer conf, int channels,
            int classes) {
        super(layer, conf);
        if (w.size(1) != channels + classes) {
            throw new IllegalArgumentException("the first convolution takes " + w.size(1) + " channels, not "
                    + channels + " image channels and " + classes + " label planes");
        }
        this.channels = channels;
        this.classes = classes;
        long[] shape = {w.size(0), channels, w.size(2), w.size(3)};
        this.imageWeights = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        this.imageWeightGrad = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        this.innerBiasGrad = Nd4j.createUninitialized(DataType.FLOAT, b.length());
        Map<String, INDArray> grads = Map.of("W", imageWeightGrad, "b", innerBiasGrad);
        this.fused = ColumnsConv.suits(conf, imageWeights)
                ? new ColumnsConv(imageWeights, b, grads, conf, activation) : null;
        this.inner = fused != null ? fused : new Conv(imageWeights, b, grads, conf, new ActivationIdentity());
        this.planeWeights = new float[(int) (w.size(0) * classes * w.size(2) * w.size(3))];
        this.layerValues = new float[(int) w.length()];
        this.imageParamValues = new float[(int) imageWeights.length()];
    }

    private void geometry(INDArray x) {
        int n = (int) x.size(0);
        int h = (int) x.size(2);
        int wd = (int) x.size(3);
        outChannels = (int) w.size(0);
        int oh = same ? (h + stride[0] - 1) / stride[0] : (h + 2 * padding[0] - kernel[0]) / stride[0] + 1;
        int ow = same ? (wd + stride[1] - 1) / stride[1] : (wd + 2 * padding[1] - kernel[1]) / stride[1] + 1;
        if (classBias == null || n != batch || oh != outH || ow != outW) {
            batch = n;
            outH = oh;
            outW = ow;
            rowInside = inside(kernel[0], oh, stride[0], padTop(oh, h, 0), h);
            rowGroups = groups(rowInside, oh);
            rowGroup = groupOf(rowGroups, oh);
            colInside = inside(kernel[1], ow, stride[1], padTop(ow, wd, 1), wd);
            colGroups = groups(colInside, ow);
            colGroup = groupOf(colGroups, ow);
            rowFirst = first(rowInside);
            rowEnd = end(rowInside);
            colFirst = first(colInside);
            colEnd = end(colInside);
            positionGroup = new int[oh * ow];
            for (int y = 0; y < oh; y++) {
                for (int c = 0; c < ow; c++) {
                    positionGroup[y * ow + c] = rowGroup[y] * colGroups.length + colGroup[c];
                }
            }
            classBias = new float[classes * outChannels * rowGroups.length * colGroups.length];
            biasesOf = null;
            perClass = new float[classes * outChannels * oh * ow];
            if (fused == null) {
                // the fused ColumnsConv keeps the output itself
                long[] outShape = {n, outChannels, oh, ow};
                z = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
                a = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
                dz = Nd4j.createUninitialized(DataType.FLOAT, outShape, 'c');
                values = new float[(int) z.length()];
            }
        }
    }

    private static boolean[][] inside(int taps, int out, int stride, int pad, int size) {
        boolean[][] in = new boolean[taps][out];
        for (int t = 0; t < taps; t++) {
            for (int o = 0; o < out; o++) {
                int at = o * stride - pad + t;
                in[t][o] = at >= 0 && at < size;
            }
        }
        return in;
    }

    @Override
    public INDArray forward(INDArray input, int iteration, int epoch, LayerWorkspaceMgr mgr, Result result) {
        INDArray x = input.dataType() == DataType.FLOAT ? input : input.castTo(DataType.FLOAT);
        geometry(x);
        splitWeights();
        INDArray image;
        if (FloatArrays.contiguous(x, 'c')) {
            image = imageChannels(x);
        } else {
            labels = labelsOf(x);
            image = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, channels), NDArrayIndex.all(),
                    NDArrayIndex.all()).dup('c');
        }
        if (!Arrays.equals(planeWeights, biasesOf)) {
            // D's real and fake passes of one step see the same weights
            classBiases();
            if (biasesOf == null) {
                biasesOf = new float[planeWeights.length];
            }
            System.arraycopy(planeWeights, 0, biasesOf, 0, planeWeights.length);
        }
        int patterns = rowGroups.length * colGroups.length;
        var maps = new ColumnsConv.Maps(classBias, labels, positionGroup, patterns);
        if (fused != null) {
            return fused.forward(image, maps, result);
        }
        FloatArrays.get(inner.forward(image, iteration, epoch, mgr, Result.BUFFER), values);
        int plane = outH * outW;
        float[] map = new float[plane];
        for (int img = 0; img < labels.length; img++) {
            for (int o = 0; o < outChannels; o++) {
                maps.expand((labels[img] * outChannels + o) * patterns, map);
                int to = (img * outChannels + o) * plane;
                for (int q = 0; q < plane; q++) {
                    values[to + q] += map[q];
                }
            }
        }
        FloatArrays.put(z, values);
        return activated(result);
    }

    /**
     * Copies the image channels' weights into {@link #imageWeights} and the planes' into {@link #planeWeights}, in
     * Java loops over the layer's weights (a handful of ND4J operations per pass cost more here).
     */
    private void splitWeights() {
        if (!FloatArrays.contiguous(w, 'c')) {
            imageWeights.assign(w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, channels), NDArrayIndex.all(),
                    NDArrayIndex.all()));
            FloatArrays.get(w.get(NDArrayIndex.all(), NDArrayIndex.interval(channels, channels + classes),
                    NDArrayIndex.all(), NDArrayIndex.all()).dup('c'), planeWeights);
            return;
        }
        int taps = kernel[0] * kernel[1];
        FloatArrays.get(w, layerValues);
        int perOut = (channels + classes) * taps;
        for (int o = 0; o < outChannels; o++) {
            System.arraycopy(layerValues, o * perOut, imageParamValues, o * channels * taps, channels * taps);
            System.arraycopy(layerValues, o * perOut + channels * taps, planeWeights, o * classes * taps,
                    classes * taps);
        }
        FloatArrays.put(imageWeights, imageParamValues);
    }

    /**
     * The image channels of a row-major input as a buffer of this batch size (valid until the next pass), reading
     * the labels ({@link #labels}) from the planes' top-left pixels on the way.
     */
    private INDArray imageChannels(INDArray x) {
        int n = (int) x.size(0);
        int pixels = (int) (x.size(2) * x.size(3));
        int perImage = (channels + classes) * pixels;
        if (imageArray == null || imageArray.size(0) != n || imageArray.size(2) != x.size(2)
                || imageArray.size(3) != x.size(3)) {
            imageArray = Nd4j.createUninitialized(DataType.FLOAT, new long[] {n, channels, x.size(2), x.size(3)},
                    'c');
            imageValues = new float[n * channels * pixels];
        }
        FloatBuffer in = FloatArrays.floats(x);
        int[] found = new int[n];
        for (int img = 0; img < n; img++) {
            in.get(img * perImage, imageValues, img * channels * pixels, channels * pixels);
            int planes = img * perImage + channels * pixels;
            found[img] = label(img, c -> in.get(planes + c * pixels));
        }
        Reference.reachabilityFence(x);
        labels = found;
        FloatArrays.put(imageArray, imageValues);
        return imageArray;
    }

    /** The value of one label plane of an image at its top-left pixel. */
    private interface Corner {
        float at(int plane);
    }

    /** The class of image {@code img} from its planes' top-left pixels: exactly one 1, the rest 0. */
    private int label(int img, Corner corner) {
        int label = -1;
        for (int c = 0; c < classes; c++) {
            float v = corner.at(c);
            if (v == 1f && label < 0) {
                label = c;
            } else if (v != 0f) {
                label = -2;
            }
        }
        if (label < 0) {
            throw new IllegalStateException("image " + img + " has no one-hot label planes after its "
                    + channels + " channel(s)");
        }
        return label;
    }

    /** The class of each image: the plane that holds ones, read at the top-left pixel. */
    private int[] labelsOf(INDArray x) {
        float[] corner = FloatArrays.read(x.get(NDArrayIndex.all(), NDArrayIndex.interval(channels,
                channels + classes), NDArrayIndex.point(0), NDArrayIndex.point(0)).dup('c'));
        int[] out = new int[(int) x.size(0)];
        for (int img = 0; img < out.length; img++) {
            int base = img * classes;
            out[img] = label(img, c -> corner[base + c]);
        }
        return out;
    }

    /**
     * B[c, o, y, x] = Σ over taps inside the image at (y, x) of W[o, channels + c, i, j], summed over j within each
     * row i, then over i. Positions whose taps fall inside alike (all but a border few rows and columns) share one
     * value, stored once per border pattern.
     */
    private void classBiases() {
        int kh = kernel[0];
        int kw = kernel[1];
        int patterns = rowGroups.length * colGroups.length;
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < classes; c++) {
                int wBase = (o * classes + c) * kh * kw;
                int shared = (c * outChannels + o) * patterns;
                for (int gy = 0; gy < rowGroups.length; gy++) {
                    int y = rowGroups[gy][0];
                    for (int gx = 0; gx < colGroups.length; gx++) {
                        int x = colGroups[gx][0];
                        float sum = 0;
                        for (int i = 0; i < kh; i++) {
                            if (rowInside[i][y]) {
                                float row = 0;
                                for (int j = 0; j < kw; j++) {
                                    if (colInside[j][x]) {
                                        row += planeWeights[wBase + i * kw + j];
                                    }
                                }
                                sum += row;
                            }
                        }
                        classBias[shared + gy * colGroups.length + gx] = sum;
                    }
                }
            }
        }
    }

    /** The output rows (or columns) grouped by which kernel rows (or columns) fall inside the image there. */
    private static int[][] groups(boolean[][] inside, int out) {
        var groups = new LinkedHashMap<String, List<Integer>>();
        for (int o = 0; o < out; o++) {
            var key = new StringBuilder();
            for (boolean[] tap : inside) {
                key.append(tap[o] ? '1' : '0');
            }
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(o);
        }
        return groups.values().stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    /** The group of each output row (or column). */
    private static int[] groupOf(int[][] groups, int out) {
        int[] of = new int[out];
        for (int g = 0; g < groups.length; g++) {
            for (int o : groups[g]) {
                of[o] = g;
            }
        }
        return of;
    }

    @Override
    public INDArray backward(INDArray eps, ParameterGradient params, InputGradient inputGradient,
            Result result) {
        ParameterGradient innerParams = params.computed() ? ParameterGradient.WRITE : ParameterGradient.SKIP;
        INDArray imageGradient;
        if (fused != null) {
            imageGradient = fused.backward(eps, innerParams, inputGradient, result);
            if (params.computed()) {
                perClassFromColumns(fused.deltaColumns());
            }
        } else {
            INDArray delta = delta(eps);
            INDArray d = delta.ordering() == 'c' && delta.elementWiseStride() == 1 ? delta : delta.dup('c');
            imageGradient = inner.backward(d, innerParams, inputGradient, result);
            if (params.computed()) {
                perClass(FloatArrays.read(d));
            }
        }
        if (params.computed()) {
            storeGradients(planeWeightGradient(), params.adds());
        }
        return imageGradient;
    }

    /** Writes (or adds) the image channels' and the planes' weight gradients and the bias gradient. */
    private void storeGradients(float[] planeGrad, boolean adds) {
        FloatArrays.write(gradB, FloatArrays.read(innerBiasGrad), adds);
        if (!FloatArrays.contiguous(gradW, 'c')) {
            INDArray planes = Nd4j.create(planeGrad, new long[] {outChannels, classes, kernel[0], kernel[1]}, 'c');
            INDArray imagePart = gradW.get(NDArrayIndex.all(), NDArrayIndex.interval(0, channels),
                    NDArrayIndex.all(), NDArrayIndex.all());
            INDArray planePart = gradW.get(NDArrayIndex.all(), NDArrayIndex.interval(channels, channels + classes),
                    NDArrayIndex.all(), NDArrayIndex.all());
            if (adds) {
                imagePart.addi(imageWeightGrad);
                planePart.addi(planes);
            } else {
                imagePart.assign(imageWeightGrad);
                planePart.assign(planes);
            }
            return;
        }
        int taps = kernel[0] * kernel[1];
        FloatArrays.get(imageWeightGrad, imageParamValues);
        for (int o = 0; o < outChannels; o++) {
            int at = o * (channels + classes) * taps;
            System.arraycopy(imageParamValues, o * channels * taps, layerValues, at, channels * taps);
            System.arraycopy(planeGrad, o * classes * taps, layerValues, at + channels * taps, classes * taps);
        }
        FloatArrays.write(gradW, layerValues, adds);
    }

    /** Fills {@link #perClass} from dL/dz as [n, out, oH, oW]. */
    private void perClass(float[] delta) {
        int plane = outH * outW;
        Arrays.fill(perClass, 0f);
        for (int img = 0; img < labels.length; img++) {
            int from = img * outChannels * plane;
            int to = labels[img] * outChannels * plane;
            for (int q = 0; q < outChannels * plane; q++) {
                perClass[to + q] += delta[from + q];
            }
        }
    }

    /**
     * As {@link #perClass(float[])} from dL/dz as [out, n, oH, oW] ({@link ColumnsConv#deltaColumns}), adding the
     * images in the same order.
     */
    private void perClassFromColumns(float[] delta) {
        int plane = outH * outW;
        int n = labels.length;
        Arrays.fill(perClass, 0f);
        int[] of = labels;
        // each output channel's sums are its own: the channels split over the cores
        Split.run(outChannels, 2L * n * outChannels * plane, (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                for (int img = 0; img < n; img++) {
                    int from = (o * n + img) * plane;
                    int to = (of[img] * outChannels + o) * plane;
                    for (int q = 0; q < plane; q++) {
                        perClass[to + q] += delta[from + q];
                    }
                }
            }
        });
    }

    /**
     * dL/dW[o, channels + c, i, j]: dL/dz summed over class c's images ({@link #perClass}) and the positions where
     * the tap is inside.
     */
    private float[] planeWeightGradient() {
        int plane = outH * outW;
        int kh = kernel[0];
        int kw = kernel[1];
        float[] grad = new float[outChannels * classes * kh * kw];
        // Each sum adds its terms in ascending position, from 0, as a loop per sum would; the innermost loops run
        // over independent sums so that their additions overlap, and the classes split over the cores. The
        // positions where a tap is inside form one run.
        Split.run(classes, (long) perClass.length * kw, (from, to) -> {
            float[] cols = new float[kw * outH];
            float[] taps = new float[kh * kw];
            for (int c = from; c < to; c++) {
                for (int o = 0; o < outChannels; o++) {
                    int base = (c * outChannels + o) * plane;
                    // per kernel column j and output row y: the sum over the output columns where j is inside
                    Arrays.fill(cols, 0f);
                    for (int j = 0; j < kw; j++) {
                        for (int ox = colFirst[j]; ox < colEnd[j]; ox++) {
                            for (int oy = 0, at = base + ox; oy < outH; oy++, at += outW) {
                                cols[j * outH + oy] += perClass[at];
                            }
                        }
                    }
                    Arrays.fill(taps, 0f);
                    for (int i = 0; i < kh; i++) {
                        for (int oy = rowFirst[i]; oy < rowEnd[i]; oy++) {
                            for (int j = 0; j < kw; j++) {
                                taps[i * kw + j] += cols[j * outH + oy];
                            }
                        }
                    }
                    System.arraycopy(taps, 0, grad, (o * classes + c) * kh * kw, kh * kw);
                }
            }
        });
        return grad;
    }

    /** The first output row (or column) where each tap is inside the image. */
    private static int[] first(boolean[][] inside) {
        int[] first = new int[inside.length];
        for (int t = 0; t < inside.length; t++) {
            int o = 0;
            while (o < inside[t].length && !inside[t][o]) {
                o++;
            }
            first[t] = o;
        }
        return first;
    }

    /** One past the last output row (or column) where each tap is inside the image. */
    private static int[] end(boolean[][] inside) {
        int[] end = new int[inside.length];
        for (int t = 0; t < inside.length; t++) {
            int o = inside[t].length;
            while (o > 0 && !inside[t][o - 1]) {
                o--;
            }
            end[t] = o;
        }
        return end;
    }
}
