package dev.jgan.api;

import java.time.Duration;

/**
 * Means over one epoch's steps.
 *
 * @param epoch 1-based epoch
 * @param epochs total epochs planned
 * @param steps global steps done so far
 * @param discriminatorLoss mean D loss
 * @param generatorLoss mean G loss
 * @param realScore mean D(x)
 * @param fakeScore mean D(G(z))
 * @param imagesPerSecond real images per second of wall time in this epoch
 * @param elapsed wall time of this epoch
 */
public record EpochEvent(int epoch, int epochs, long steps, double discriminatorLoss, double generatorLoss,
                         double realScore, double fakeScore, double imagesPerSecond, Duration elapsed) {}
