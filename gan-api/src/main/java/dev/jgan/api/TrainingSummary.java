package dev.jgan.api;

import java.time.Duration;

/**
 * How a training run ended.
 *
 * @param epochs epochs completed
 * @param steps steps completed
 * @param elapsed total wall time
 * @param imagesPerSecond real images per second over the run
 * @param last the last epoch's means, or null if no epoch completed
 */
public record TrainingSummary(int epochs, long steps, Duration elapsed, double imagesPerSecond, EpochEvent last) {}
