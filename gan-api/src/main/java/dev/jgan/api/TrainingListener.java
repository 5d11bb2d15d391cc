package dev.jgan.api;

/** Receives training progress. All methods default to doing nothing, so implement only what you need. */
public interface TrainingListener {

    /**
     * Before the first step, with the networks: the trained generator, the discriminator, and the generator that
     * samples (the averaged one when an EMA is on). By default calls {@link #onStart(Generator, Discriminator)}
     * with the sampling generator.
     */
    default void onStart(TrainingStart start) {
        onStart(start.sampling(), start.discriminator());
    }

    /**
     * Before the first step, with the generator that samples (with an EMA: a view of the averaged weights, not a
     * DL4J network; see {@link #onStart(TrainingStart)} for the trained one) and the discriminator.
     */
    default void onStart(Generator generator, Discriminator discriminator) {}

    /** After every discriminator + generator step. */
    default void onStep(StepEvent event) {}

    /** After every epoch. */
    default void onEpoch(EpochEvent event) {}

    /** After training ends (normally or not). */
    default void onEnd(TrainingSummary summary) {}
}
