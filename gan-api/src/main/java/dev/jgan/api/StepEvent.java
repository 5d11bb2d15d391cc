package dev.jgan.api;

/**
 * One training step.
 *
 * @param step 1-based global step
 * @param epoch 1-based epoch
 * @param discriminatorLoss D's loss (real + fake terms)
 * @param generatorLoss G's loss
 * @param realScore mean D(x) = σ(logit) on the real batch
 * @param fakeScore mean D(G(z)) on the batch D was trained on
 * @param images real images consumed by this step
 */
public record StepEvent(long step, int epoch, double discriminatorLoss, double generatorLoss,
                        double realScore, double fakeScore, int images) {}
