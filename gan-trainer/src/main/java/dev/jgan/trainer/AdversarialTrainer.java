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
import org.nd4j.linalg.indexing.NDArrayIndex;
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
     * System property: {@code false} keeps D's real and fake passes separate even for a discriminator whose samples
     * are independent (the fused pass gives the same gradient up to dropout masks; this is for comparisons).
     */
    public static final String FUSE_PROPERTY = "jgan.trainer.fuseRealFake";

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
    private final Options options;
    private final boolean fuseRealAndFake = Boolean.parseBoolean(System.getProperty(FUSE_PROPERTY, "true"));
    private final int numClasses;
    private final DiffAugment augment;
    private INDArray ema;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopRequested;
    private TrainerState state = TrainerState.START;
    private long trainStart;
    private long dataNanos, generateNanos, discriminatorNanos, generatorNanos;

    /**
     * What the loop does besides the loss; everything is off at 0.
     *
     * @param instanceNoise standard deviation of Gaussian noise added to every image D sees
     * @param instanceNoiseDecaySteps if &gt; 0, the noise falls linearly to 0 over this many steps
     * @param gradientPenalty weight λ of the WGAN-GP penalty λ·E[(‖∇ₓD(x̂)‖₂ − 1)²], x̂ random interpolates of
     *        real and generated images (see {@link GradientPenalty})
     * @param emaDecay decay of an exponential moving average of G's parameters, used for sampling when &gt; 0
     * @param emaStart the average equals G's parameters until this step, and averages from then on
     * @param r1 weight γ of the R1 penalty (γ/2)·E‖∇ₓD(x)‖² on real images (see {@link GradientPenalty#r1})
     * @param r1Interval R1 is applied every this many iterations, with weight γ·interval
     * @param augment differentiable augmentation of every image D sees ({@link DiffAugment})
     */
    public record Options(double instanceNoise, long instanceNoiseDecaySteps, double gradientPenalty,
                          double emaDecay, long emaStart, double r1, int r1Interval, AugmentConfig augment) {
        public static final Options NONE = new Options(0, 0, 0, 0);

        /** Options without R1, augmentation or a delayed EMA start. */
        public Options(double instanceNoise, long instanceNoiseDecaySteps, double gradientPenalty, double emaDecay) {
            this(instanceNoise, instanceNoiseDecaySteps, gradientPenalty, emaDecay, 0, 0, 1, AugmentConfig.NONE);
        }

        public Options {
            if (!(instanceNoise >= 0) || instanceNoiseDecaySteps < 0 || !(gradientPenalty >= 0)
                    || !(emaDecay >= 0 && emaDecay < 1) || emaStart < 0 || !(r1 >= 0) || r1Interval < 1) {
                throw new IllegalArgumentException("invalid trainer options " + instanceNoise + ", "
                        + instanceNoiseDecaySteps + ", " + gradientPenalty + ", " + emaDecay + ", " + emaStart
                        + ", " + r1 + ", " + r1Interval);
            }
            augment = Objects.requireNonNull(augment, "augment");
        }
    }

    /**
     * @param seed seeds the noise, dropout and the data order (weights are seeded when the networks are built)
     */
    public AdversarialTrainer(Generator generator, Discriminator discriminator, AdversarialLoss loss,
                              LatentSpace latent, TrainingConfig training, long seed) {
        this(generator, discriminator, loss, latent, training, seed, Options.NONE);
    }

    /** A trainer with {@code options} (instance noise, gradient penalty, generator EMA). */
    public AdversarialTrainer(Generator generator, Discriminator discriminator, AdversarialLoss loss,
                              LatentSpace latent, TrainingConfig training, long seed, Options options) {
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
        if (generator.numClasses() != discriminator.numClasses()) {
            throw new IllegalArgumentException("the generator is conditioned on " + generator.numClasses()
                    + " classes but the discriminator on " + discriminator.numClasses());
        }
        this.noise = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        this.seed = seed;
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.numClasses = generator.numClasses();
        this.augment = options.augment().enabled() ? new DiffAugment(options.augment()) : null;
        if ((options.r1() > 0 || options.gradientPenalty() > 0) && !discriminator.samplesIndependent()) {
            LOG.warn("a gradient penalty assumes that each logit of D depends on its own image only; this "
                    + "discriminator ({}) normalises over the batch", discriminator.type());
        }
    }

    /**
     * The generator to sample from: with an EMA of G's weights ({@link Options#emaDecay()}), a view that generates
     * with the averaged weights (and saves them); otherwise G itself.
     */
    public Generator samplingGenerator() {
        return options.emaDecay() > 0 ? new AveragedGenerator(generator, this::averagedParams) : generator;
    }

    /** The averaged generator parameters (a copy), or null when EMA is off. */
    public INDArray averagedParams() {
        if (options.emaDecay() == 0) {
            return null;
        }
        if (ema == null) {
            ema = generator.params();
        }
        return ema.dup();
    }

    /** Replaces the averaged generator parameters (when resuming). */
    public void restoreAveragedParams(INDArray params) {
        if (params.length() != generator.numParams()) {
            throw new IllegalArgumentException("averaged parameters have " + params.length() + " values, the "
                    + "generator " + generator.numParams());
        }
        ema = params.dup();
    }

    private void updateAverage(long step) {
        double d = options.emaDecay();
        if (d == 0) {
            return;
        }
        INDArray current = generator.params();
        if (ema == null || step <= options.emaStart()) {
            ema = current;
        } else {
            ema.muli(d).addi(current.muli(1 - d));
        }
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
        if (numClasses > 0 && data.labels() == null) {
            throw new IllegalArgumentException("a conditional GAN needs labelled data; " + data.name()
                    + " has no labels");
        }
        Generator sampling = samplingGenerator();
        listeners.forEach(l -> l.onStart(sampling, discriminator));
        long start = System.nanoTime();
        trainStart = start;
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
        return stopRequested || (training.maxSteps() > 0 && state.step() >= training.maxSteps())
                || (training.maxSeconds() > 0 && (System.nanoTime() - trainStart) / 1e9 >= training.maxSeconds());
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
        java.util.Random labelRng = numClasses == 0 ? null
                : new java.util.Random(mix(seed ^ 0x2545F4914F6CDD1DL, next));
        double sigma = options.instanceNoise() == 0 ? 0 : options.instanceNoiseDecaySteps() == 0
                ? options.instanceNoise()
                : options.instanceNoise() * Math.max(0, 1 - (double) (next - 1) / options.instanceNoiseDecaySteps());
        double dLoss = 0, real = 0, fake = 0;
        for (int k = 0; k < dSteps; k++) {
            long t0 = System.nanoTime();
            INDArray realBatch = batch(data, perm, offset + k * batch, batch);
            int[] labels = numClasses == 0 ? null : labels(data, perm, offset + k * batch, batch);
            long t1 = System.nanoTime();
            // the fakes get the real batch's labels, so both sides of D's step see the same classes
            INDArray fakes = generator.forward(
                    dev.jgan.api.Conditioning.generatorInput(latent.sample(batch, noise), labels, numClasses), true);
            long t2 = System.nanoTime();
            boolean r1Now = options.r1() > 0 && next % options.r1Interval() == 0;
            DiscriminatorStep d = discriminatorStep(realBatch, fakes, labels, sigma, augmentation(batch, next, 2 * k),
                    augmentation(batch, next, 2 * k + 1), r1Now ? options.r1() * options.r1Interval() : 0);
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
            int[] labels = null;
            if (numClasses > 0) {
                labels = new int[batch];
                for (int i = 0; i < batch; i++) {
                    labels[i] = labelRng.nextInt(numClasses);
                }
            }
            gLoss += generatorStep(batch, labels, sigma, augmentation(batch, next, 1000 + k));
            updateAverage(next);
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
        return discriminatorStep(realImages, fakeImages, null, options.instanceNoise());
    }

    /**
     * Updates D once on a real batch and generated images, both of class {@code labels} (null for an unconditional
     * GAN), with instance noise of standard deviation {@code sigma} and the gradient penalty, when on.
     */
    public DiscriminatorStep discriminatorStep(INDArray realImages, INDArray fakeImages, int[] labels, double sigma) {
        return discriminatorStep(realImages, fakeImages, labels, sigma, null, null, 0);
    }

    /**
     * As {@link #discriminatorStep(INDArray, INDArray, int[], double)}, with the augmentations of the real and the
     * fake batch (null: none) and the R1 penalty of weight {@code r1} (0: none).
     */
    private DiscriminatorStep discriminatorStep(INDArray realImages, INDArray fakeImages, int[] labels, double sigma,
                                                DiffAugment.Draw realAugment, DiffAugment.Draw fakeAugment,
                                                double r1) {
        INDArray oneHot = labels == null ? null : dev.jgan.api.Conditioning.oneHot(labels, numClasses);
        INDArray realIn = withNoise(realAugment == null ? realImages : realAugment.apply(realImages), sigma);
        INDArray fakeIn = withNoise(fakeAugment == null ? fakeImages : fakeAugment.apply(fakeImages), sigma);
        INDArray realLogits;
        INDArray fakeLogits;
        AdversarialLoss.Term onReal;
        AdversarialLoss.Term onFake;
        long n = realIn.size(0);
        if (fuseRealAndFake && discriminator.samplesIndependent() && realIn.rank() == fakeIn.rank()
                && java.util.Arrays.equals(realIn.shape(), 1, realIn.rank(), fakeIn.shape(), 1, fakeIn.rank())) {
            // one pass over [real; fake]: the summed parameter gradient is the same, in half the operations
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
        double penalty = options.gradientPenalty() == 0 ? 0
                : GradientPenalty.accumulate(discriminator, realIn, fakeIn, oneHot, options.gradientPenalty(),
                        noise);
        if (r1 > 0) {
            penalty += GradientPenalty.r1(discriminator, realIn, oneHot, r1);
        }
        discriminator.step();
        return new DiscriminatorStep(onReal.value() + onFake.value() + penalty, meanProbability(realLogits),
                meanProbability(fakeLogits));
    }

    private INDArray withNoise(INDArray images, double sigma) {
        if (sigma == 0) {
            return images;
        }
        INDArray n = Nd4j.createUninitialized(images.dataType(), images.shape());
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.random.impl.GaussianDistribution(n, 0, sigma),
                noise);
        return n.addi(images);
    }

    /**
     * Updates G once towards "real" through D, from {@code batchSize} fresh noise vectors; returns G's loss. D's
     * parameters and optimizer state are not changed.
     */
    public double generatorStep(int batchSize) {
        return generatorStep(batchSize, null, options.instanceNoise());
    }

    /** As {@link #generatorStep(int)}, for images of class {@code labels} and with instance noise {@code sigma}. */
    public double generatorStep(int batchSize, int[] labels, double sigma) {
        return generatorStep(batchSize, labels, sigma, null);
    }

    private double generatorStep(int batchSize, int[] labels, double sigma, DiffAugment.Draw augment) {
        INDArray fakeImages = generator.forward(
                dev.jgan.api.Conditioning.generatorInput(latent.sample(batchSize, noise), labels, numClasses), true);
        INDArray oneHot = labels == null ? null : dev.jgan.api.Conditioning.oneHot(labels, numClasses);
        INDArray seen = augment == null ? fakeImages : augment.apply(fakeImages);
        AdversarialLoss.Term onFake = loss.generator(discriminator.forward(withNoise(seen, sigma), oneHot, true));
        INDArray error = discriminator.inputGradient(onFake.gradient());
        generator.accumulate(augment == null ? error : augment.adjoint(error.reshape(seen.shape())));
        generator.step();
        return onFake.value();
    }

    /**
     * The augmentation of batch {@code index} of step {@code step} (null when augmentation is off): a function of
     * the seed, the step and the index only, like every other random draw of a step.
     */
    private DiffAugment.Draw augmentation(int batch, long step, int index) {
        if (augment == null) {
            return null;
        }
        var rng = new java.util.Random(mix(mix(seed ^ 0x6A09E667F3BCC909L, step), index));
        return augment.draw(batch, generator.imageShape().height(), generator.imageShape().width(), rng);
    }

    private static INDArray batch(ImageDataset data, int[] perm, int from, int size) {
        int[] rows = java.util.Arrays.copyOfRange(perm, from, from + size);
        return Nd4j.pullRows(data.images(), 1, rows).reshape('c', data.shape().batchShape(size));
    }

    private static int[] labels(ImageDataset data, int[] perm, int from, int size) {
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = data.labels()[perm[from + i]];
        }
        return labels;
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
