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
    /**
     * ND4J frees native buffers only when their Java objects are collected, and the Java heap does not see their
     * size, so the loop collects itself: every {@code gcInterval} steps, and sooner (shortening the interval to
     * what it took) when resident memory has grown this much since the last collection. The allocator keeps freed
     * memory for reuse, so growth alone would trigger too late; the learned interval keeps garbage below this.
     */
    private static final long GC_GROWTH_BYTES = 64L << 20;
    private int gcInterval = 50;
    private int stepsSinceGc;
    private long rssAfterGc = -1;

    private final Generator generator;
    private final Discriminator discriminator;
    private final AdversarialLoss loss;
    private final LatentSpace latent;
    private final TrainingConfig training;
    private final Random noise;
    private final long seed;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopRequested;
    private TrainerState state = TrainerState.START;
    private long dataNanos, generateNanos, discriminatorNanos, generatorNanos;

    /**
     * @param seed seeds the noise, dropout and the data order (weights are seeded when the networks are built)
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
        this.seed = seed;
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

    /**
     * Cumulative wall time of each phase of the loop since this trainer was made (for benchmarks and profiling).
     *
     * @param data copying the batch out of the dataset
     * @param generate G's forward pass making the fakes for D's step
     * @param discriminator D's forward and backward passes on the real and fake batches and its optimizer step
     * @param generator G's step: fresh noise, G forward, D forward and input gradient, G backward and optimizer step
     */
    public record PhaseTimes(long data, long generate, long discriminator, long generator) {
        public long total() {
            return data + generate + discriminator + generator;
        }
    }

    /** The phases' cumulative times; see {@link PhaseTimes}. */
    public PhaseTimes phaseTimes() {
        return new PhaseTimes(dataNanos, generateNanos, discriminatorNanos, generatorNanos);
    }

    /** Where training stands now. */
    public TrainerState state() {
        return state;
    }

    /**
     * Continues from {@code state} at the next {@link #train}: the networks must hold the parameters and optimizer
     * state they had when {@code state} was taken.
     */
    public void restore(TrainerState state) {
        this.state = Objects.requireNonNull(state, "state");
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
        long imagesAtStart = state.images();
        int epochsDone = 0;
        EpochEvent last = null;
        TrainingSummary summary;
        try {
            while (state.epoch() <= training.epochs() && !finished()) {
                int[] perm = permutation(data.size(), state.epoch());
                long resumedAt = System.nanoTime();
                while (state.iteration() < iterations && !finished()) {
                    StepEvent e = iterate(data, perm, state.iteration() * perIteration, state.epoch());
                    TrainerState s = state;
                    state = new TrainerState(e.step(), s.epoch(), s.iteration() + 1, s.images() + e.images(),
                            s.epochDiscriminatorLoss() + e.discriminatorLoss(),
                            s.epochGeneratorLoss() + e.generatorLoss(), s.epochRealScore() + e.realScore(),
                            s.epochFakeScore() + e.fakeScore(), s.epochNanos());
                    if (!Double.isFinite(e.discriminatorLoss()) || !Double.isFinite(e.generatorLoss())) {
                        throw new DivergenceException(e);
                    }
                    for (TrainingListener l : listeners) {
                        l.onStep(e);
                    }
                    collectGarbage();
                }
                TrainerState s = state;
                long nanos = s.epochNanos() + System.nanoTime() - resumedAt;
                if (s.iteration() < iterations) {
                    state = new TrainerState(s.step(), s.epoch(), s.iteration(), s.images(),
                            s.epochDiscriminatorLoss(), s.epochGeneratorLoss(), s.epochRealScore(),
                            s.epochFakeScore(), nanos);
                    break;
                }
                int n = s.iteration();
                Duration took = Duration.ofNanos(nanos);
                last = new EpochEvent(s.epoch(), training.epochs(), s.step(), s.epochDiscriminatorLoss() / n,
                        s.epochGeneratorLoss() / n, s.epochRealScore() / n, s.epochFakeScore() / n,
                        (double) n * perIteration / Math.max(1e-9, nanos / 1e9), took);
                epochsDone++;
                state = new TrainerState(s.step(), s.epoch() + 1, 0, s.images(), 0, 0, 0, 0, 0);
                long eta = took.toSeconds() * (training.epochs() - last.epoch());
                LOG.info(String.format(java.util.Locale.ROOT,
                        "epoch %d/%d  step %d  D loss %.4f  G loss %.4f  D(x) %.3f  D(G(z)) %.3f  %.0f img/s  %.1f s"
                                + "  ETA %d:%02d",
                        last.epoch(), training.epochs(), last.steps(), last.discriminatorLoss(),
                        last.generatorLoss(), last.realScore(), last.fakeScore(), last.imagesPerSecond(),
                        took.toMillis() / 1000.0, eta / 60, eta % 60));
                for (TrainingListener l : listeners) {
                    l.onEpoch(last);
                }
            }
        } finally {
            Duration total = Duration.ofNanos(System.nanoTime() - start);
            summary = new TrainingSummary(epochsDone, state.step(), total,
                    (state.images() - imagesAtStart) / Math.max(1e-9, total.toNanos() / 1e9), last);
            for (TrainingListener l : listeners) {
                l.onEnd(summary);
            }
        }
        return summary;
    }

    private void collectGarbage() {
        stepsSinceGc++;
        long rss = org.bytedeco.javacpp.Pointer.physicalBytes();
        if (rssAfterGc < 0) {
            rssAfterGc = rss;
        }
        if (rss - rssAfterGc > GC_GROWTH_BYTES) {
            gcInterval = Math.max(1, stepsSinceGc);
        } else if (stepsSinceGc < gcInterval) {
            return;
        }
        System.gc();
        stepsSinceGc = 0;
        rssAfterGc = org.bytedeco.javacpp.Pointer.physicalBytes();
    }

    private boolean finished() {
        return stopRequested || (training.maxSteps() > 0 && state.step() >= training.maxSteps());
    }

    /** One iteration: the discriminator's steps, then the generator's. */
    private StepEvent iterate(ImageDataset data, int[] perm, int offset, int epoch) {
        long next = state.step() + 1;
        // Every random draw of a step derives from (seed, step): runs repeat exactly and resume exactly. DL4J's
        // dropout draws from ND4J's global generator, so the trainer owns it while it trains.
        noise.setSeed(mix(seed, next));
        Nd4j.getRandom().setSeed(mix(seed ^ 0x9E3779B97F4A7C15L, next));
        int batch = training.batchSize();
        int dSteps = training.discriminatorSteps();
        double dLoss = 0, real = 0, fake = 0;
        for (int k = 0; k < dSteps; k++) {
            long t0 = System.nanoTime();
            INDArray realBatch = batch(data, perm, offset + k * batch, batch);
            long t1 = System.nanoTime();
            INDArray fakes = generator.forward(latent.sample(batch, noise), true);
            long t2 = System.nanoTime();
            DiscriminatorStep d = discriminatorStep(realBatch, fakes);
            long t3 = System.nanoTime();
            dataNanos += t1 - t0;
            generateNanos += t2 - t1;
            discriminatorNanos += t3 - t2;
            dLoss += d.loss();
            real += d.realScore();
            fake += d.fakeScore();
        }
        double gLoss = 0;
        long t0 = System.nanoTime();
        for (int k = 0; k < training.generatorSteps(); k++) {
            gLoss += generatorStep(batch);
        }
        generatorNanos += System.nanoTime() - t0;
        return new StepEvent(next, epoch, dLoss / dSteps, gLoss / training.generatorSteps(), real / dSteps,
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
        return discriminatorStep(realImages, generator.forward(latent.sample(n, noise), true));
    }

    /** Updates D once on a real batch and a batch of fakes already generated; G is not used. */
    public DiscriminatorStep discriminatorStep(INDArray realImages, INDArray fakeImages) {
        INDArray realLogits = discriminator.forward(realImages, true);
        AdversarialLoss.Term onReal = loss.discriminatorReal(realLogits);
        discriminator.accumulate(onReal.gradient());
        INDArray fakeLogits = discriminator.forward(fakeImages, true);
        AdversarialLoss.Term onFake = loss.discriminatorFake(fakeLogits);
        discriminator.accumulate(onFake.gradient());
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

    /** SplitMix64 finaliser of (a, b): well-spread seeds from a run seed and a counter. */
    static long mix(long a, long b) {
        long z = a + 0x9E3779B97F4A7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The data order of {@code epoch}, a function of the seed and the epoch only. */
    private int[] permutation(int n, int epoch) {
        java.util.Random order = new java.util.Random(mix(seed ^ 0x5DEECE66DL, epoch));
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
