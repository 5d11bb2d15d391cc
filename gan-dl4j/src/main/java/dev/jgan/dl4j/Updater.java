package dev.jgan.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a wrapped network's pending gradient (in its gradient view) becomes one optimizer step: DL4J's updater
 * ({@link Dl4jUpdater}), the CPU fast path's Adam ({@link FastAdamUpdater}), either behind spectral normalisation
 * ({@link SpectralNormUpdater}).
 */
interface Updater {

    /** Turns the gradient view into the update of step {@code iteration}, in place; parameters unchanged. */
    void computeUpdate(int iteration);

    /** Applies step {@code iteration}: the parameters minus its update (the gradient view may then hold either). */
    default void step(int iteration) {
        computeUpdate(iteration);
        subtractUpdate(model());
    }

    /** The network whose parameters and gradient view this updates. */
    Dl4jModel model();

    /** Parameters minus the update held in the gradient view. */
    static void subtractUpdate(Dl4jModel model) {
        INDArray params = model.model().params();
        params.subi(model.model().getGradientsViewArray().reshape(params.shape()));
    }
}
