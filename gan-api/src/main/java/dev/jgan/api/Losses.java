package dev.jgan.api;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The named GAN losses, all on raw discriminator logits {@code l} (D(x) = σ(l)); softplus(x) = log(1 + eˣ), computed
 * stably. Batch terms are means over the batch.
 *
 * <ul>
 *   <li>{@code non_saturating} (default; Goodfellow et al. 2014, §3): D: softplus(−l_real) + softplus(l_fake);
 *       G: softplus(−l_fake), i.e. −log D(G(z)).</li>
 *   <li>{@code minimax}: D as above; G: −softplus(l_fake), i.e. log(1 − D(G(z))). Saturates early in training.</li>
 *   <li>{@code least_squares} (LSGAN, Mao et al. 2017, a=0, b=c=1): D: ½(l_real − 1)² + ½ l_fake²;
 *       G: ½(l_fake − 1)².</li>
 *   <li>{@code hinge} (Lim &amp; Ye 2017): D: max(0, 1 − l_real) + max(0, 1 + l_fake); G: −l_fake.</li>
 *   <li>{@code wasserstein} (WGAN, Arjovsky et al. 2017; with the trainer's gradient penalty, WGAN-GP, Gulrajani
 *       et al. 2017): D (the critic): l_fake − l_real; G: −l_fake. The logit is the critic's score, unbounded.</li>
 * </ul>
 *
 * <p>One-sided label smoothing (Salimans et al. 2016) replaces the real target 1 by 1 − α in D's real term:
 * (1 − α)·softplus(−l) + α·softplus(l) for the cross-entropy losses, ½(l − (1 − α))² for least squares; the other
 * losses have no target to smooth.
 */
public final class Losses {

    private Losses() {}

    /** The default loss: non-saturating. */
    public static AdversarialLoss nonSaturating() {
        return new Elementwise("non_saturating",
                l -> softplus(-l), l -> sigmoid(l) - 1,
                Losses::softplus, Losses::sigmoid,
                l -> softplus(-l), l -> sigmoid(l) - 1);
    }

    /** The original minimax loss. */
    public static AdversarialLoss minimax() {
        return new Elementwise("minimax",
                l -> softplus(-l), l -> sigmoid(l) - 1,
                Losses::softplus, Losses::sigmoid,
                l -> -softplus(l), l -> -sigmoid(l));
    }

    /** Least squares (LSGAN). */
    public static AdversarialLoss leastSquares() {
        return new Elementwise("least_squares",
                l -> 0.5 * (l - 1) * (l - 1), l -> l - 1,
                l -> 0.5 * l * l, l -> l,
                l -> 0.5 * (l - 1) * (l - 1), l -> l - 1);
    }

    /** Hinge loss. */
    public static AdversarialLoss hinge() {
        return new Elementwise("hinge",
                l -> Math.max(0, 1 - l), l -> l < 1 ? -1 : 0,
                l -> Math.max(0, 1 + l), l -> l > -1 ? 1 : 0,
                l -> -l, l -> -1);
    }

    /** Wasserstein critic loss (add a gradient penalty or weight clipping to keep the critic Lipschitz). */
    public static AdversarialLoss wasserstein() {
        return new Elementwise("wasserstein",
                l -> -l, l -> -1,
                l -> l, l -> 1,
                l -> -l, l -> -1);
    }

    /** Names accepted by {@link #byName}. */
    public static List<String> names() {
        return List.of("non_saturating", "minimax", "least_squares", "hinge", "wasserstein");
    }

    /** Names of the losses that accept label smoothing. */
    public static List<String> smoothable() {
        return List.of("non_saturating", "minimax", "least_squares");
    }

    /** The loss registered under {@code name}. */
    public static AdversarialLoss byName(String name) {
        return byName(name, 0);
    }

    /**
     * The loss registered under {@code name}, with one-sided label smoothing {@code smoothing} in [0, 0.5) (0 for
     * none; only for {@link #smoothable()} losses).
     */
    public static AdversarialLoss byName(String name, double smoothing) {
        AdversarialLoss loss = switch (name.toLowerCase(Locale.ROOT)) {
            case "non_saturating" -> nonSaturating();
            case "minimax" -> minimax();
            case "least_squares" -> leastSquares();
            case "hinge" -> hinge();
            case "wasserstein" -> wasserstein();
            default -> throw new IllegalArgumentException(
                    "unknown loss '" + name + "', expected one of " + names());
        };
        return smoothing == 0 ? loss : smoothed((Elementwise) loss, smoothing);
    }

    private static AdversarialLoss smoothed(Elementwise loss, double a) {
        if (!(a > 0 && a < 0.5)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 0.5), got " + a);
        }
        double t = 1 - a;
        return switch (loss.name()) {
            case "non_saturating", "minimax" -> new Elementwise(loss.name(),
                    l -> t * softplus(-l) + a * softplus(l), l -> sigmoid(l) - t,
                    loss.fake(), loss.fakeGrad(), loss.gen(), loss.genGrad());
            case "least_squares" -> new Elementwise(loss.name(),
                    l -> 0.5 * (l - t) * (l - t), l -> l - t,
                    loss.fake(), loss.fakeGrad(), loss.gen(), loss.genGrad());
            default -> throw new IllegalArgumentException("label smoothing applies to " + smoothable()
                    + ", not to " + loss.name());
        };
    }

    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** A loss that is a mean of per-logit functions; logits are few (one per image), so they are read to the heap. */
    private record Elementwise(
            String name,
            DoubleUnaryOperator real, DoubleUnaryOperator realGrad,
            DoubleUnaryOperator fake, DoubleUnaryOperator fakeGrad,
            DoubleUnaryOperator gen, DoubleUnaryOperator genGrad) implements AdversarialLoss {

        @Override
        public Term discriminatorReal(INDArray realLogits) {
            return term(realLogits, real, realGrad);
        }

        @Override
        public Term discriminatorFake(INDArray fakeLogits) {
            return term(fakeLogits, fake, fakeGrad);
        }

        @Override
        public Term generator(INDArray fakeLogits) {
            return term(fakeLogits, gen, genGrad);
        }

        private static Term term(INDArray logits, DoubleUnaryOperator f, DoubleUnaryOperator df) {
            double[] l = logits.toDoubleVector();
            int n = l.length;
            float[] grad = new float[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += f.applyAsDouble(l[i]);
                grad[i] = (float) (df.applyAsDouble(l[i]) / n);
            }
            return new Term(sum / n, Nd4j.create(grad, logits.shape()));
        }
    }
}
