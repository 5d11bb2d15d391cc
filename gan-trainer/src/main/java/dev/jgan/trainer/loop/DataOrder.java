package dev.jgan.trainer.loop;

import dev.jgan.trainer.config.TrainingConfig;

import dev.jgan.api.ImageDataset;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the randomness of a run comes from: seeds derived from (run seed, counter), the data order of an epoch, and
 * the batches taken in that order. Every draw of a step derives from (seed, step), so runs repeat and resume exactly.
 */
final class DataOrder {

    private DataOrder() {}

    /** SplitMix64 finaliser of (a, b): well-spread seeds from a run seed and a counter. */
    static long mix(long a, long b) {
        long z = a + 0x9E3779B97F4A7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The data order of {@code epoch}: a permutation of {@code n}, a function of the seed and the epoch only. */
    static int[] permutation(long seed, int n, int epoch) {
        Random order = new Random(mix(seed ^ 0x5DEECE66DL, epoch));
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = order.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The images at {@code perm[from .. from + size)}, shaped as a batch. */
    static INDArray batch(ImageDataset data, int[] perm, int from, int size) {
        int[] rows = Arrays.copyOfRange(perm, from, from + size);
        return Nd4j.pullRows(data.images(), 1, rows).reshape('c', data.shape().batchShape(size));
    }

    /** The labels at {@code perm[from .. from + size)}. */
    static int[] labels(ImageDataset data, int[] perm, int from, int size) {
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = data.labels()[perm[from + i]];
        }
        return labels;
    }

    /**
     * Checks that {@code data} has images of {@code shape}, labels when {@code numClasses} &gt; 0, and at least one
     * iteration's worth of images; returns the images one iteration takes.
     */
    static int imagesPerIteration(ImageDataset data, dev.jgan.api.ImageShape shape, TrainingConfig training,
                                  int numClasses) {
        if (!data.shape().equals(shape)) {
            throw new IllegalArgumentException("the data (" + data.name() + ") has " + data.shape()
                    + " images but the networks are built for " + shape);
        }
        int perIteration = training.batchSize() * training.discriminatorSteps();
        if (data.size() / perIteration == 0) {
            throw new IllegalArgumentException("the data has " + data.size() + " images, fewer than one iteration "
                    + "needs (batch_size " + training.batchSize() + " x d_steps " + training.discriminatorSteps()
                    + ")");
        }
        if (numClasses > 0 && data.labels() == null) {
            throw new IllegalArgumentException("a conditional GAN needs labelled data; " + data.name()
                    + " has no labels");
        }
        return perIteration;
    }
}
