package dev.jgan.dl4j;

import dev.jgan.dl4j.fast.FastAdam;

/**
 * The fast path's Adam, which computes and applies the update in one pass over the parameters; DL4J's updater
 * ({@code fallback}) where the network's updater has since changed to one {@link FastAdam} does not handle.
 */
record FastAdamUpdater(FastAdam adam, Dl4jUpdater fallback) implements Updater {

    @Override
    public Dl4jModel model() {
        return fallback.model();
    }

    @Override
    public void computeUpdate(int iteration) {
        if (!adam.update(iteration, false)) {
            fallback.computeUpdate(iteration);
        }
    }

    @Override
    public void step(int iteration) {
        if (!adam.update(iteration, true)) {
            fallback.step(iteration);
        }
    }
}
