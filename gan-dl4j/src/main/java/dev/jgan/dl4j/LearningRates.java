package dev.jgan.dl4j;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The learning rates of one network's layers: each distinct updater configuration with a rate (Adam, SGD, ...), its
 * rate as configured or set, and a factor on top (a schedule's). Set in place on DL4J's config objects: its own
 * {@code setLearningRate} rebuilds the updater and fails on parameter-free layers (M2.1), while the updaters (DL4J's
 * and FastAdam) read their rate from these objects at every step.
 */
final class LearningRates {

    private final Dl4jModel model;
    private Map<IUpdater, Double> configured;
    private double factor = 1;

    LearningRates(Dl4jModel model) {
        this.model = model;
    }

    /** The rate before the factor, for every layer. */
    void set(double rate) {
        if (!(rate > 0 && Double.isFinite(rate))) {
            throw new IllegalArgumentException("learning rate " + rate + " is not a positive number");
        }
        configured().replaceAll((updater, old) -> rate);
        apply();
    }

    /** Multiplies the rates before the factor by {@code by}. */
    void scale(double by) {
        configured().replaceAll((updater, rate) -> rate * by);
        apply();
    }

    /** The factor in [0, 1] on the rates. */
    void setFactor(double f) {
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException("learning-rate factor " + f + " is not in [0, 1]");
        }
        configured();
        factor = f;
        apply();
    }

    /** Read at the first call: later changes go through this class. */
    private Map<IUpdater, Double> configured() {
        if (configured == null) {
            configured = new IdentityHashMap<>();
            for (var layer0 : model.layers()) {
                if (layer0.conf().getLayer() instanceof BaseLayer layer) {
                    for (var updater : Arrays.asList(layer.getIUpdater(), layer.getBiasUpdater())) {
                        if (updater != null && updater.hasLearningRate() && !configured.containsKey(updater)) {
                            if (updater instanceof Adam adam && adam.getLearningRateSchedule() != null) {
                                throw new IllegalStateException("cannot scale a learning-rate schedule");
                            }
                            configured.put(updater, updater.getLearningRate(0, 0));
                        }
                    }
                }
            }
        }
        return configured;
    }

    private void apply() {
        configured.forEach((updater, rate) -> updater.setLrAndSchedule(rate * factor, null));
    }
}
