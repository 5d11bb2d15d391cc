package dev.jgan.api;

import java.util.Objects;

/**
 * The networks of a training run as it starts, for listeners that inspect them or attach their own listeners. For
 * DL4J networks {@code generator} is a {@code Dl4jGenerator} and {@code discriminator} a {@code Dl4jDiscriminator}
 * (gan-dl4j), whose {@code model()} is the {@code MultiLayerNetwork} or {@code ComputationGraph} being trained.
 *
 * @param generator the generator being trained
 * @param discriminator the discriminator being trained
 * @param sampling the generator that samples, is scored and is saved as {@code generator.zip}: {@code generator}
 *     itself, or, with an exponential moving average of G's weights, a view that swaps the averaged weights into
 *     {@code generator} for each call; its {@link Generator#params()} are then the averaged weights
 */
public record TrainingStart(TrainableGenerator generator, Discriminator discriminator, Generator sampling) {

    /** Checks that every network is given. */
    public TrainingStart {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(discriminator, "discriminator");
        Objects.requireNonNull(sampling, "sampling");
    }

    /** Whether {@link #sampling()} averages the generator's weights (an EMA is on). */
    public boolean averaged() {
        return sampling != generator;
    }
}
