package dev.jgan.api;

/** A generator the adversarial loop trains (what network types build). */
public interface TrainableGenerator extends Generator, Trainable {}
