package dev.jgan.dl4j;

/** DL4J's own updater of the wrapped network, fed the gradient as its {@link Backprop} names it per layer. */
record Dl4jUpdater(Dl4jModel model, Backprop backprop) implements Updater {

    @Override
    public void computeUpdate(int iteration) {
        // the loss gradient is already a batch mean, so the updater must not divide by the batch size again
        model.applyUpdater(backprop.gradient(), iteration, model.epochCount());
    }
}
