package dev.jgan.api;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Class labels as conditional networks take them: one-hot rows, concatenated after the generator's noise. */
public final class Conditioning {

    private Conditioning() {}

    /** {@code [n, numClasses]} one-hot rows of {@code labels}. */
    public static INDArray oneHot(int[] labels, int numClasses) {
        float[] data = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " outside [0, " + numClasses + ")");
            }
            data[i * numClasses + labels[i]] = 1f;
        }
        return Nd4j.create(data, new long[] {labels.length, numClasses}, 'c').castTo(DataType.FLOAT);
    }

    /** Labels 0, 1, ..., k−1, 0, 1, ... for {@code n} samples. */
    public static int[] balancedLabels(int n, int k) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
        }
        return labels;
    }

    /** A conditional generator's input: noise {@code [n, latent]} followed by the one-hot labels. */
    public static INDArray generatorInput(INDArray noise, int[] labels, int numClasses) {
        if (numClasses == 0) {
            if (labels != null) {
                throw new IllegalArgumentException("labels given to an unconditional generator");
            }
            return noise;
        }
        if (labels == null || labels.length != noise.size(0)) {
            throw new IllegalArgumentException("a conditional generator needs one label per noise vector");
        }
        if (noise.dataType() != DataType.FLOAT || noise.rank() != 2) {
            return Nd4j.hstack(noise, oneHot(labels, numClasses).castTo(noise.dataType()));
        }
        // one array filled in place: ND4J's concatenation costs more than the copy at these sizes
        int latent = (int) noise.size(1);
        int width = latent + numClasses;
        float[] data = new float[labels.length * width];
        INDArray rows = noise.ordering() == 'c' && noise.elementWiseStride() == 1 && noise.offset() == 0
                && noise.data().length() == noise.length() ? noise : noise.dup('c');
        float[] z = rows.data().asFloat();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " outside [0, " + numClasses + ")");
            }
            System.arraycopy(z, i * latent, data, i * width, latent);
            data[i * width + latent + labels[i]] = 1f;
        }
        return Nd4j.create(data, new long[] {labels.length, width}, 'c');
    }
}
