package dev.jgan.api;

/** Receives training progress. All methods default to doing nothing, so implement only what you need. */
public interface TrainingListener {

    /** Before the first step. */
    default void onStart(Generator generator, Discriminator discriminator) {}

    /** After every discriminator + generator step. */
    default void onStep(StepEvent event) {}

    /** After every epoch. */
    default void onEpoch(EpochEvent event) {}

    /** After training ends (normally or not). */
    default void onEnd(TrainingSummary summary) {}
}
