package dev.jgan.api;

/** Runs the adversarial game between a generator and a discriminator on a source of images. */
public interface Trainer {

    /** The generator it trains. */
    TrainableGenerator generator();

    /** The discriminator it trains. */
    Discriminator discriminator();

    /** Adds a listener that hears every step and epoch. */
    void addListener(TrainingListener listener);

    /** Trains for the configured number of epochs. */
    TrainingSummary train(ImageSource data);
}
