package dev.jgan.trainer.loop;

import dev.jgan.api.AdversarialLoss;
import dev.jgan.api.Conditioning;
import dev.jgan.api.Discriminator;
import dev.jgan.trainer.loop.AdversarialTrainer.DiscriminatorStep;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.GaussianDistribution;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One update of the discriminator: real and fake batches through D (in one pass when its samples are independent),
 * the loss's two terms, the penalties, one optimizer step. The generator is not touched.
 */
final class DiscriminatorUpdate {

    private final Discriminator discriminator;
    private final AdversarialLoss loss;
    private final TrainerOptions options;
    private final Random noise;
    private final int numClasses;

    DiscriminatorUpdate(Discriminator discriminator, AdversarialLoss loss, TrainerOptions options, Random noise,
                        int numClasses) {
        this.discriminator = discriminator;
        this.loss = loss;
        this.options = options;
        this.noise = noise;
        this.numClasses = numClasses;
    }

    /**
     * Updates D once on a real batch and generated images, both of class {@code labels} (null for an unconditional
     * GAN), with instance noise {@code sigma}, the augmentations of each batch (null: none), the WGAN-GP penalty
     * when on and R1 of weight {@code r1}.
     */
    DiscriminatorStep apply(INDArray realImages, INDArray fakeImages, int[] labels, double sigma,
                            DiffAugment.Draw realAugment, DiffAugment.Draw fakeAugment, double r1) {
        INDArray oneHot = labels == null ? null : Conditioning.oneHot(labels, numClasses);
        INDArray realIn = withNoise(realAugment == null ? realImages : realAugment.apply(realImages), sigma, noise);
        INDArray fakeIn = withNoise(fakeAugment == null ? fakeImages : fakeAugment.apply(fakeImages), sigma, noise);
        INDArray realLogits;
        INDArray fakeLogits;
        AdversarialLoss.Term onReal;
        AdversarialLoss.Term onFake;
        long n = realIn.size(0);
        if (fused(realIn, fakeIn)) {
            INDArray logits = discriminator.forward(Nd4j.concat(0, realIn, fakeIn.castTo(realIn.dataType())),
                    oneHot == null ? null : Nd4j.concat(0, oneHot, oneHot), true);
            realLogits = logits.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
            fakeLogits = logits.get(NDArrayIndex.interval(n, logits.size(0)), NDArrayIndex.all()).dup();
            onReal = loss.discriminatorReal(realLogits);
            onFake = loss.discriminatorFake(fakeLogits);
            discriminator.accumulate(Nd4j.concat(0, onReal.gradient(), onFake.gradient()));
        } else {
            realLogits = discriminator.forward(realIn, oneHot, true);
            onReal = loss.discriminatorReal(realLogits);
            discriminator.accumulate(onReal.gradient());
            fakeLogits = discriminator.forward(fakeIn, oneHot, true);
            onFake = loss.discriminatorFake(fakeLogits);
            discriminator.accumulate(onFake.gradient());
        }
        double lambda = options.penalties().gradientPenalty();
        double penalty = lambda == 0 ? 0
                : GradientPenalty.accumulate(discriminator, realIn, fakeIn, oneHot, lambda, noise);
        if (r1 > 0) {
            penalty += GradientPenalty.r1(discriminator, realIn, oneHot, r1);
        }
        discriminator.step();
        double dLoss = onReal.value() + onFake.value() + penalty;
        discriminator.stepDone(dLoss);
        return new DiscriminatorStep(dLoss, meanProbability(realLogits), meanProbability(fakeLogits));
    }

    /** Whether the real and fake batch go through D in one pass (same summed gradient, half the operations). */
    private boolean fused(INDArray realIn, INDArray fakeIn) {
        return options.passes() == TrainerOptions.RealFakePasses.FUSED_WHEN_INDEPENDENT
                && discriminator.samplesIndependent() && realIn.rank() == fakeIn.rank()
                && Arrays.equals(realIn.shape(), 1, realIn.rank(), fakeIn.shape(), 1, fakeIn.rank());
    }

    /** {@code images} plus Gaussian instance noise of standard deviation {@code sigma} (0: the images as they are). */
    static INDArray withNoise(INDArray images, double sigma, Random noise) {
        if (sigma == 0) {
            return images;
        }
        INDArray n = Nd4j.createUninitialized(images.dataType(), images.shape());
        Nd4j.getExecutioner().exec(new GaussianDistribution(n, 0, sigma), noise);
        return n.addi(images);
    }

    private static double meanProbability(INDArray logits) {
        return Transforms.sigmoid(logits, true).meanNumber().doubleValue();
    }
}
