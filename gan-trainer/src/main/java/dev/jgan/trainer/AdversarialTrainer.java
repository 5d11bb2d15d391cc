package dev.jgan.trainer;

import dev.jgan.api.AdversarialLoss;
import dev.jgan.api.Discriminator;
import dev.jgan.api.EpochEvent;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageDataset;
import dev.jgan.api.LatentSpace;
import dev.jgan.api.StepEvent;
import dev.jgan.api.Trainer;
import dev.jgan.api.TrainingListener;
import dev.jgan.api.TrainingSummary;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adversarial loop. Per iteration: {@code d_steps} times, sample noise, generate fakes, and update D once on
 * the real batch (target "real") plus the fakes (target "fake"), their gradients summed (the two batches go through
 * D separately, so batch norm never sees a mixed batch); then {@code g_steps} times, sample fresh noise and update
 * G towards "real" through D: D's error with respect to its input is back-propagated into G, and D's parameters and
 * optimizer state are not touched in that step.
 */
public final class AdversarialTrainer implements Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(AdversarialTrainer.class);
    /** ND4J frees native buffers when their Java objects are collected; collect this often (in steps). */
    private static final int GC_EVERY_STEPS = 20;

    private final Generator generator;
    private final Discriminator discriminator;
    private final AdversarialLoss loss;
    private final LatentSpace latent;
    private final TrainingConfig training;
    private final Random noise;
    private final java.util.Random order;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopRequested;
    private long step;

    /**
     * @param seed seeds the noise and the data order (weights are seeded when the networks are built)
     */
    public AdversarialTrainer(Generator generator, Discriminator discriminator, AdversarialLoss loss,
                              LatentSpace latent, TrainingConfig training, long seed) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.discriminator = Objects.requireNonNull(discriminator, "discriminator");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.latent = Objects.requireNonNull(latent, "latent");
        this.training = Objects.requireNonNull(training, "training");
        if (latent.size() != generator.latentSize()) {
            throw new IllegalArgumentException("latent size " + latent.size() + " does not match the generator's "
                    + generator.latentSize());
        }
        if (!generator.imageShape().equals(discriminator.imageShape())) {
            throw new IllegalArgumentException("the generator makes " + generator.imageShape()
                    + " images but the discriminator takes " + discriminator.imageShape());
        }
        this.noise = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        this.order = new java.util.Random(seed ^ 0x5DEECE66DL);
    }

    @Override
    public Generator generator() {
        return generator;
    }

    @Override
    public Discriminator discriminator() {
        return discriminator;
    }

    @Override
    public void addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Asks the loop to stop after the current step; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    @Override
    public TrainingSummary train(ImageDataset data) {
        if (!data.shape().equals(generator.imageShape())) {
            throw new IllegalArgumentException("the data (" + data.name() + ") has " + data.shape()
                    + " images but the networks are built for " + generator.imageShape());
        }
        int batch = training.batchSize();
        int perIteration = batch * training.discriminatorSteps();
        int iterations = data.size() / perIteration;
        if (iterations == 0) {
            throw new IllegalArgumentException("the data has " + data.size() + " images, fewer than one iteration "
                    + "needs (batch_size " + batch + " x d_steps " + training.discriminatorSteps() + ")");
        }
        listeners.forEach(l -> l.onStart(generator, discriminator));
        long start = System.nanoTime();
        long images = 0;
        int epochsDone = 0;
        EpochEvent last = null;
        TrainingSummary summary;
        try {
            for (int epoch = 1; epoch <= training.epochs() && !finished(); epoch++) {
                int[] perm = permutation(data.size());
                long epochStart = System.nanoTime();
                double dLoss = 0, gLoss = 0, real = 0, fake = 0;
                int steps = 0;
                for (int it = 0; it < iterations && !finished(); it++) {
                    StepEvent e = iterate(data, perm, it * perIteration, epoch);
                    dLoss += e.discriminatorLoss();
                    gLoss += e.generatorLoss();
                    real += e.realScore();
                    fake += e.fakeScore();
                    steps++;
                    images += e.images();
                    for (TrainingListener l : listeners) {
                        l.onStep(e);
                    }
                    if (step % GC_EVERY_STEPS == 0) {
                        System.gc();
                    }
                }
                Duration took = Duration.ofNanos(System.nanoTime() - epochStart);
                last = new EpochEvent(epoch, training.epochs(), step, dLoss / steps, gLoss / steps, real / steps,
                        fake / steps, (double) steps * perIteration / Math.max(1e-9, took.toNanos() / 1e9), took);
                epochsDone = epoch;
                LOG.info(String.format(java.util.Locale.ROOT,
                        "epoch %d/%d  step %d  D loss %.4f  G loss %.4f  D(x) %.3f  D(G(z)) %.3f  %.0f img/s  %.1f s",
                        epoch, training.epochs(), step, last.discriminatorLoss(), last.generatorLoss(),
                        last.realScore(), last.fakeScore(), last.imagesPerSecond(), took.toMillis() / 1000.0));
                for (TrainingListener l : listeners) {
                    l.onEpoch(last);
                }
            }
        } finally {
            Duration total = Duration.ofNanos(System.nanoTime() - start);
            summary = new TrainingSummary(epochsDone, step, total, images / Math.max(1e-9, total.toNanos() / 1e9),
                    last);
            for (TrainingListener l : listeners) {
                l.onEnd(summary);
            }
        }
        return summary;
    }

    private boolean finished() {
        return stopRequested || (training.maxSteps() > 0 && step >= training.maxSteps());
    }

    /** One iteration: the discriminator's steps, then the generator's. */
    private StepEvent iterate(ImageDataset data, int[] perm, int offset, int epoch) {
        int batch = training.batchSize();
        int dSteps = training.discriminatorSteps();
        double dLoss = 0, real = 0, fake = 0;
        for (int k = 0; k < dSteps; k++) {
            DiscriminatorStep d = discriminatorStep(batch(data, perm, offset + k * batch, batch));
            dLoss += d.loss();
            real += d.realScore();
            fake += d.fakeScore();
        }
        double gLoss = 0;
        for (int k = 0; k < training.generatorSteps(); k++) {
            gLoss += generatorStep(batch);
        }
        step++;
        return new StepEvent(step, epoch, dLoss / dSteps, gLoss / training.generatorSteps(), real / dSteps,
                fake / dSteps, batch * dSteps);
    }

    /**
     * What one discriminator update measured.
     *
     * @param loss D's loss, real plus fake term
     * @param realScore mean D(x)
     * @param fakeScore mean D(G(z))
     */
    public record DiscriminatorStep(double loss, double realScore, double fakeScore) {}

    /**
     * Updates D once: fakes are generated from fresh noise, D's gradients on the real batch (target "real") and on
     * the fakes (target "fake") are summed, and D's optimizer takes one step. G is not changed.
     */
    public DiscriminatorStep discriminatorStep(INDArray realImages) {
        int n = (int) realImages.size(0);
        INDArray fakeImages = generator.forward(latent.sample(n, noise), true);
        INDArray realLogits = discriminator.forward(realImages, true);
        AdversarialLoss.Term onReal = loss.discriminatorReal(realLogits);
        discriminator.backward(onReal.gradient());
        INDArray fakeLogits = discriminator.forward(fakeImages, true);
        AdversarialLoss.Term onFake = loss.discriminatorFake(fakeLogits);
        discriminator.backward(onFake.gradient());
        discriminator.step();
        return new DiscriminatorStep(onReal.value() + onFake.value(), meanProbability(realLogits),
                meanProbability(fakeLogits));
    }

    /**
     * Updates G once towards "real" through D, from {@code batchSize} fresh noise vectors; returns G's loss. D's
     * parameters and optimizer state are not changed.
     */
    public double generatorStep(int batchSize) {
        INDArray fakeImages = generator.forward(latent.sample(batchSize, noise), true);
        AdversarialLoss.Term onFake = loss.generator(discriminator.forward(fakeImages, true));
        generator.backward(discriminator.inputGradient(onFake.gradient()));
        generator.step();
        return onFake.value();
    }

    private static INDArray batch(ImageDataset data, int[] perm, int from, int size) {
        int[] rows = java.util.Arrays.copyOfRange(perm, from, from + size);
        return Nd4j.pullRows(data.images(), 1, rows).reshape('c', data.shape().batchShape(size));
    }

    private static double meanProbability(INDArray logits) {
        return Transforms.sigmoid(logits, true).meanNumber().doubleValue();
    }

    private int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = order.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
