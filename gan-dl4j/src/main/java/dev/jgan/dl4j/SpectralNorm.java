package dev.jgan.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.rng.Random;

/**
 * Spectral normalisation (Miyato et al. 2018) of every dense and convolution weight of a network: the layer computes
 * with W/σ(W), σ the largest singular value of W (as a matrix: rows = output units), estimated by one power
 * iteration per optimizer step with a persistent vector u.
 *
 * <p>DL4J has no such layer, so the wrapper keeps the raw weights W itself and writes W/σ into the layer's weight
 * view after every step. The gradient DL4J computes, G, is with respect to W/σ; with u and v held fixed (as in the
 * paper), the gradient with respect to W is (G − ⟨G, W/σ⟩·uvᵀ)/σ, applied before the optimizer, whose update then
 * goes to the raw W. The power iteration's u is not saved: a loaded or resumed network restarts it.
 */
final class SpectralNorm {

    /** Power iterations when (re)starting from a random vector: enough for σ to converge on these sizes. */
    private static final int INITIAL_ITERATIONS = 50;

    /** One normalised weight: the layer's view, the raw weights, and the power-iteration state. */
    private static final class Entry {
        final INDArray view;
        final INDArray grad;
        final INDArray raw;
        INDArray u;
        INDArray v;
        double sigma;

        Entry(INDArray view, INDArray grad) {
            this.view = view;
            this.grad = grad;
            this.raw = view.dup();
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    SpectralNorm(Layer[] layers, long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        for (Layer layer : layers) {
            var conf = layer.conf().getLayer();
            if (!(conf instanceof DenseLayer || conf instanceof ConvolutionLayer) || layer.numParams() == 0) {
                continue;
            }
            INDArray grad = conf.initializer().getGradientsFromFlattened(layer.conf(),
                    layer.getGradientsViewArray()).get("W");
            Entry e = new Entry(layer.getParam("W"), grad);
            INDArray m = matrix(e.raw);
            e.u = Nd4j.randn(rng, new long[] {m.rows(), 1}).castTo(m.dataType());
            e.u.divi(e.u.norm2Number());
            entries.add(e);
        }
        for (Entry e : entries) {
            for (int k = 0; k < INITIAL_ITERATIONS; k++) {
                iterate(e);
            }
            e.view.assign(e.raw.div(e.sigma));
        }
    }

    /** A weight as a matrix with one row per output unit (dense W is [nIn, nOut]: its transpose). */
    private static INDArray matrix(INDArray w) {
        if (w.rank() == 2) {
            return w.transpose();
        }
        return w.reshape('c', w.size(0), w.length() / w.size(0));
    }

    /** One power iteration on the raw weights: updates u, v and σ. */
    private static void iterate(Entry e) {
        INDArray m = matrix(e.raw);
        INDArray v = m.transpose().mmul(e.u);
        v.divi(Math.max(1e-12, v.norm2Number().doubleValue()));
        INDArray u = m.mmul(v);
        u.divi(Math.max(1e-12, u.norm2Number().doubleValue()));
        e.u = u;
        e.v = v;
        e.sigma = u.transpose().mmul(m).mmul(v).getDouble(0);
    }

    /** Turns the pending gradient with respect to W/σ into the gradient with respect to W. */
    void toRawGradient() {
        for (Entry e : entries) {
            INDArray g = matrix(e.grad);
            // λ = <G, W/σ>: the derivative of L through σ = uᵀWv (Miyato et al. 2018, eq. 12)
            double lambda = e.grad.mul(e.view).sumNumber().doubleValue();
            INDArray corrected = g.sub(e.u.mmul(e.v.transpose()).muli(lambda)).divi(e.sigma);
            g.assign(corrected);
        }
    }

    /** Applies the optimizer's update (now in the gradient views) to the raw weights. */
    void applyUpdate() {
        for (Entry e : entries) {
            e.raw.subi(e.grad);
        }
    }

    /** One power iteration and W/σ into the layers (after each step). */
    void renormalize() {
        for (Entry e : entries) {
            iterate(e);
            e.view.assign(e.raw.div(e.sigma));
        }
    }

    /** Runs {@code action} with the raw weights in the layers (to save or read the trainable parameters). */
    void withRawWeights(Runnable action) {
        for (Entry e : entries) {
            e.view.assign(e.raw);
        }
        try {
            action.run();
        } finally {
            for (Entry e : entries) {
                e.view.assign(e.raw.div(e.sigma));
            }
        }
    }

    /** Takes the layers' current weights as the raw ones (after parameters were replaced) and renormalises. */
    void reset() {
        for (Entry e : entries) {
            e.raw.assign(e.view);
            for (int k = 0; k < INITIAL_ITERATIONS; k++) {
                iterate(e);
            }
            e.view.assign(e.raw.div(e.sigma));
        }
    }

    /**
     * Evaluates {@code loss} with the network's parameters set to {@code rawFlat} and each weight divided by
     * uᵀWv for the current u and v (the function whose gradient {@link #toRawGradient} computes); restores the
     * parameters afterwards. For tests.
     */
    double lossWithFixedVectors(Model net, INDArray rawFlat, DoubleSupplier loss) {
        INDArray saved = net.params().dup();
        net.params().assign(rawFlat.reshape(saved.shape()));
        for (Entry e : entries) {
            INDArray m = matrix(e.view);
            e.view.divi(e.u.transpose().mmul(m).mmul(e.v).getDouble(0));
        }
        try {
            return loss.getAsDouble();
        } finally {
            net.params().assign(saved);
        }
    }

    /** The current σ estimates (for tests and reports). */
    double[] sigmas() {
        return entries.stream().mapToDouble(e -> e.sigma).toArray();
    }
}
