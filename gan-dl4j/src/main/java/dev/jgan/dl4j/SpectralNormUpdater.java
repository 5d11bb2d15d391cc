package dev.jgan.dl4j;

/**
 * An updater behind spectral normalisation: the gradient with respect to W/σ is mapped to the raw weights W, the
 * wrapped optimizer's update goes to W, and W/σ is written back into the layers (see {@link SpectralNorm}).
 */
record SpectralNormUpdater(Updater optimizer, SpectralNorm spectral) implements Updater {

    @Override
    public Dl4jModel model() {
        return optimizer.model();
    }

    @Override
    public void computeUpdate(int iteration) {
        throw new UnsupportedOperationException("the update of a spectrally normalised network goes to its raw "
                + "weights: use step");
    }

    @Override
    public void step(int iteration) {
        spectral.toRawGradient();
        optimizer.computeUpdate(iteration);
        spectral.applyUpdate();
        Updater.subtractUpdate(model());
        spectral.renormalize();
    }
}
