package dev.jgan.trainer.loop;

import dev.jgan.trainer.config.TrainingConfig;

import dev.jgan.api.EpochOrder;
import dev.jgan.api.ImageSource;
import dev.jgan.api.ImageShape;

/**
 * Where the randomness of a step comes from: seeds derived from (run seed, counter); the data order of an epoch is
 * its {@link ImageSource}'s. Every draw of a step derives from (seed, step), so runs repeat and resume exactly.
 */
final class DataOrder {

    private DataOrder() {}

    /** See {@link EpochOrder#mix}. */
    static long mix(long a, long b) {
        return EpochOrder.mix(a, b);
    }

    /**
     * Checks that {@code data} has images of {@code shape}, labels when {@code numClasses} &gt; 0, and at least one
     * iteration's worth of images; returns the images one iteration takes.
     */
    static int imagesPerIteration(ImageSource data, ImageShape shape, TrainingConfig training,
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
        if (numClasses > 0 && data.classes() == 0) {
            throw new IllegalArgumentException("a conditional GAN needs labelled data; " + data.name()
                    + " has no labels");
        }
        return perIteration;
    }
}
