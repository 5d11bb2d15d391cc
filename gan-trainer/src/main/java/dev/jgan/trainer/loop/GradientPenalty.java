package dev.jgan.trainer.loop;

import dev.jgan.api.Discriminator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import java.util.Arrays;
import org.nd4j.linalg.api.ops.random.impl.UniformDistribution;

/**
 * The WGAN-GP gradient penalty (Gulrajani et al. 2017): P = λ·mean_i (‖∇ₓD(x̂ᵢ)‖₂ − 1)², with
 * x̂ᵢ = εᵢxᵢ + (1 − εᵢ)x̃ᵢ, εᵢ ~ U[0, 1], on a real batch x and a generated batch x̃.
 *
 * <p>D's parameter gradient of P needs a second derivative, which DL4J's layers do not provide. With gᵢ = ∇ₓD(x̂ᵢ),
 * nᵢ = ‖gᵢ‖ and vᵢ = gᵢ/nᵢ, ∇θ nᵢ = ∇θ(vᵢ·∇ₓD(x̂ᵢ)) with vᵢ held fixed, and the directional derivative
 * vᵢ·∇ₓD(x̂ᵢ) is (D(x̂ᵢ + h vᵢ) − D(x̂ᵢ − h vᵢ)) / 2h up to O(h²) (exactly, for piecewise-linear networks such as
 * LeakyReLU ones, unless a kink lies within h). So ∇θP = Σᵢ cᵢ ∇θ[D(x̂ᵢ + h vᵢ) − D(x̂ᵢ − h vᵢ)] / 2h with
 * cᵢ = 2λ(nᵢ − 1)/n: two more forward and backward passes through D with the external errors ±cᵢ/2h — a
 * finite-difference Hessian-vector product (Pearlmutter 1994). Dropout draws the same masks in all three passes.
 * It assumes each logit depends on its own image only: no batch norm in D.
 *
 * <p>{@link #r1} is the R1 penalty (Mescheder et al. 2018) by the same construction: P = (γ/2)·mean_i ‖∇ₓD(xᵢ)‖²
 * on the real images themselves, whose parameter gradient is (γ/n) Σᵢ nᵢ ∇θ(vᵢ·∇ₓD(xᵢ)), so the two extra passes
 * carry the external errors ±γnᵢ/(n·2h).
 */
public final class GradientPenalty {

    /** Finite-difference step along the unit direction vᵢ, in pixel units of images in [-1, 1]. */
    static final double H = 1e-2;

    private GradientPenalty() {}

    /**
     * Adds the penalty's parameter gradient to D's pending gradient and returns the penalty's value.
     *
     * @param oneHot labels of both batches for a conditional D, else null
     */
    public static double accumulate(Discriminator d, INDArray real, INDArray fake, INDArray oneHot, double lambda,
                                    Random rng) {
        int n = (int) real.size(0);
        DataType type = real.dataType();
        INDArray eps = Nd4j.createUninitialized(type, n, 1);
        Nd4j.getExecutioner().exec(new UniformDistribution(eps, 0, 1), rng);
        long[] bshape = new long[real.rank()];
        Arrays.fill(bshape, 1);
        bshape[0] = n;
        INDArray e = eps.reshape(bshape);
        INDArray xhat = real.mul(e).addi(fake.mul(e.rsub(1.0)));
        long dropoutSeed = Nd4j.getRandom().nextLong();

        Nd4j.getRandom().setSeed(dropoutSeed);
        d.forward(xhat, oneHot, true);
        INDArray g = d.inputGradient(Nd4j.ones(type, n, 1)).reshape(n, real.length() / n);
        INDArray norms = g.norm2(1).reshape(n, 1);
        INDArray excess = norms.sub(1);
        double value = excess.mul(excess).sumNumber().doubleValue();
        // c_i / 2h, the external error of the two extra passes
        INDArray coeff = excess.muli(2 * lambda / n / (2 * H));
        differentiate(d, xhat, oneHot, g, norms, coeff, dropoutSeed);
        return lambda * value / n;
    }

    /**
     * Adds the parameter gradient of the R1 penalty (γ/2)·mean_i ‖∇ₓD(xᵢ)‖² on the real batch {@code real} to D's
     * pending gradient and returns the penalty's value.
     *
     * @param oneHot labels of the batch for a conditional D, else null
     */
    public static double r1(Discriminator d, INDArray real, INDArray oneHot, double gamma) {
        int n = (int) real.size(0);
        long dropoutSeed = Nd4j.getRandom().nextLong();
        Nd4j.getRandom().setSeed(dropoutSeed);
        d.forward(real, oneHot, true);
        INDArray g = d.inputGradient(Nd4j.ones(real.dataType(), n, 1)).reshape(n, real.length() / n);
        INDArray norms = g.norm2(1).reshape(n, 1);
        double value = norms.mul(norms).sumNumber().doubleValue();
        INDArray coeff = norms.mul(gamma / n / (2 * H));
        differentiate(d, real, oneHot, g, norms, coeff, dropoutSeed);
        return gamma / 2 * value / n;
    }

    /**
     * Adds Σᵢ coeffᵢ·∇θ[D(xᵢ + h vᵢ) − D(xᵢ − h vᵢ)] to D's pending gradient, vᵢ = gᵢ/‖gᵢ‖: coeffᵢ·2h times the
     * parameter gradient of the directional derivative vᵢ·∇ₓD(xᵢ).
     */
    private static void differentiate(Discriminator d, INDArray x, INDArray oneHot, INDArray g, INDArray norms,
                                      INDArray coeff, long dropoutSeed) {
        INDArray v = g.divColumnVector(Transforms.max(norms, 1e-12, false));
        INDArray step = v.muli(H).reshape(x.shape());
        Nd4j.getRandom().setSeed(dropoutSeed);
        d.forward(x.add(step), oneHot, true);
        d.accumulate(coeff);
        Nd4j.getRandom().setSeed(dropoutSeed);
        d.forward(x.sub(step), oneHot, true);
        d.accumulate(coeff.neg());
    }
}
