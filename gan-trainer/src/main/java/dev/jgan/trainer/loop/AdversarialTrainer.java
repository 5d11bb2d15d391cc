package dev.jgan.trainer.loop;

import dev.jgan.trainer.config.GeneratorFakes;
import dev.jgan.trainer.config.TrainingConfig;

import dev.jgan.api.AdversarialLoss;
import dev.jgan.api.Conditioning;
import dev.jgan.api.Discriminator;
import dev.jgan.api.EpochEvent;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageBatch;
import dev.jgan.api.ImageBatches;
import dev.jgan.api.ImageSource;
import dev.jgan.api.LatentSpace;
import dev.jgan.api.StepEvent;
import dev.jgan.api.StepHooks;
import dev.jgan.api.Trainer;
import dev.jgan.api.TrainingListener;
import dev.jgan.api.TrainingStart;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.TrainingSummary;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.jgan.trainer.config.GanConfig;
import java.util.LinkedHashSet;

/**
 * The adversarial loop. Per iteration: {@code d_steps} times, sample noise, generate fakes, and update D once on
 * the real batch (target "real") plus the fakes (target "fake"), their gradients summed (the two batches go through
 * D separately unless D's samples are independent, so batch norm never sees a mixed batch); then {@code g_steps}
 * times, sample fresh noise and update G towards "real" through D: D's error with respect to its input is
 * back-propagated into G, and D's parameters and optimizer state are not touched in that step.
 *
 * <p>Every random draw of a step derives from (seed, step); what the networks' engine needs around a step (seeding
 * its own generator, reclaiming memory) it does in its {@link StepHooks}.
 */
public final class AdversarialTrainer implements Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(AdversarialTrainer.class);

    private final TrainableGenerator generator;
    private final Discriminator discriminator;
    private final AdversarialLoss loss;
    private final LatentSpace latent;
    private final TrainingConfig training;
    private final Random noise;
    private final DiscriminatorUpdate dUpdate;
    private final long seed;
    private final TrainerOptions options;
    private final int numClasses;
    private final DiffAugment augment;
    private final GeneratorAverage average;
    private final List<StepHooks> hooks;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopRequested;
    private TrainerState state = TrainerState.START;
    private long trainStart;
    private PhaseTimes phases = PhaseTimes.ZERO;
    private double rateFactor = 1;

    /**
     * The trainer {@code config} describes for {@code generator} and {@code discriminator}: its loss, latent space,
     * seed, training settings ({@code loss.n_critic} as {@code d_steps}) and every option (noise, penalties, EMA,
     * augmentation, learning-rate decay). The one way to build a trainer from a config.
     */
    public static AdversarialTrainer from(GanConfig config, TrainableGenerator generator,
                                          Discriminator discriminator) {
        return from(config, generator, discriminator, config.loss().create());
    }

    /** {@link #from(dev.jgan.trainer.config.GanConfig, TrainableGenerator, Discriminator)} with another loss. */
    public static AdversarialTrainer from(GanConfig config, TrainableGenerator generator,
                                          Discriminator discriminator, AdversarialLoss loss) {
        return new AdversarialTrainer(generator, discriminator, loss, config.latent(),
                TrainerOptions.training(config), config.seed(), TrainerOptions.from(config));
    }

    /**
     * @param seed seeds the noise, dropout and the data order (weights are seeded when the networks are built)
     */
    public AdversarialTrainer(TrainableGenerator generator, Discriminator discriminator, AdversarialLoss loss,
                              LatentSpace latent, TrainingConfig training, long seed) {
        this(generator, discriminator, loss, latent, training, seed, TrainerOptions.NONE);
    }

    /** A trainer with {@code options} (instance noise, penalties, generator EMA, augmentation). */
    public AdversarialTrainer(TrainableGenerator generator, Discriminator discriminator, AdversarialLoss loss,
                              LatentSpace latent, TrainingConfig training, long seed, TrainerOptions options) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.discriminator = Objects.requireNonNull(discriminator, "discriminator");
        this.loss = Objects.requireNonNull(loss, "loss");
        this.latent = Objects.requireNonNull(latent, "latent");
        this.training = Objects.requireNonNull(training, "training");
        this.options = Objects.requireNonNull(options, "options");
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
        this.numClasses = generator.numClasses();
        this.dUpdate = new DiscriminatorUpdate(discriminator, loss, options, noise, numClasses);
        this.augment = options.augment().enabled() ? new DiffAugment(options.augment()) : null;
        this.average = new GeneratorAverage(generator, options.average());
        this.hooks = List.copyOf(new LinkedHashSet<>(List.of(generator.stepHooks(),
                discriminator.stepHooks())));
        TrainerOptions.Penalties p = options.penalties();
        if ((p.r1() > 0 || p.gradientPenalty() > 0) && !discriminator.samplesIndependent()) {
            LOG.warn("a gradient penalty assumes that each logit of D depends on its own image only; this "
                    + "discriminator ({}) normalises over the batch", discriminator.type());
        }
        listeners.add(new EpochLogger());
    }

    /**
     * The generator to sample from: with an EMA of G's weights ({@link TrainerOptions#average()}), a view that
     * generates with the averaged weights (and saves them); otherwise G itself.
     */
    public Generator samplingGenerator() {
        return options.average().enabled() ? new AveragedGenerator(generator, this::averagedParams) : generator;
    }

    /** The averaged generator parameters (a copy), or null when EMA is off. */
    public INDArray averagedParams() {
        return average.params();
    }

    /** Replaces the averaged generator parameters (when resuming). */
    public void restoreAveragedParams(INDArray params) {
        average.restore(params);
    }

    @Override
    public TrainableGenerator generator() {
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

    /** The phases' cumulative times since this trainer was made; see {@link PhaseTimes}. */
    public PhaseTimes phaseTimes() {
        return phases;
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
        rateFactor = Double.NaN;
    }

    @Override
    public TrainingSummary train(ImageSource data) {
        int perIteration = DataOrder.imagesPerIteration(data, generator.imageShape(), training, numClasses);
        int iterations = data.size() / perIteration;
        Generator sampling = samplingGenerator();
        TrainingStart networks = new TrainingStart(generator, discriminator, sampling);
        listeners.forEach(l -> l.onStart(networks));
        long start = System.nanoTime();
        trainStart = start;
        long imagesAtStart = state.images();
        int epochsDone = 0;
        EpochEvent last = null;
        TrainingSummary summary;
        try {
            while (state.epoch() <= training.epochs() && !finished()) {
                long resumedAt = System.nanoTime();
                try (ImageBatches batches = data.epoch(seed, state.epoch(), state.iteration() * perIteration)) {
                    while (state.iteration() < iterations && !finished()) {
                        StepEvent e = iterate(batches, state.epoch());
                        state = state.after(e);
                        if (!Double.isFinite(e.discriminatorLoss()) || !Double.isFinite(e.generatorLoss())) {
                            throw new DivergenceException(e);
                        }
                        for (TrainingListener l : listeners) {
                            l.onStep(e);
                        }
                        hooks.forEach(h -> h.afterStep(e.step()));
                    }
                }
                long nanos = state.epochNanos() + System.nanoTime() - resumedAt;
                if (state.iteration() < iterations) {
                    state = state.withEpochNanos(nanos);
                    break;
                }
                TrainerState s = state;
                int n = s.iteration();
                last = new EpochEvent(s.epoch(), training.epochs(), s.step(), s.epochDiscriminatorLoss() / n,
                        s.epochGeneratorLoss() / n, s.epochRealScore() / n, s.epochFakeScore() / n,
                        (double) n * perIteration / Math.max(1e-9, nanos / 1e9), Duration.ofNanos(nanos));
                epochsDone++;
                state = s.nextEpoch();
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

    private boolean finished() {
        return stopRequested || (training.maxSteps() > 0 && state.step() >= training.maxSteps())
                || (training.maxSeconds() > 0 && (System.nanoTime() - trainStart) / 1e9 >= training.maxSeconds());
    }

    /** One iteration: the discriminator's steps, then the generator's. */
    private StepEvent iterate(ImageBatches batches, int epoch) {
        long next = state.step() + 1;
        noise.setSeed(DataOrder.mix(seed, next));
        long engineSeed = DataOrder.mix(seed ^ 0x9E3779B97F4A7C15L, next);
        hooks.forEach(h -> h.beforeStep(next, engineSeed));
        followDecay(next);
        int batch = training.batchSize();
        int dSteps = training.discriminatorSteps();
        java.util.Random labelRng = numClasses == 0 ? null
                : new java.util.Random(DataOrder.mix(seed ^ 0x2545F4914F6CDD1DL, next));
        double sigma = options.noise().at(next);
        double dLoss = 0, real = 0, fake = 0;
        INDArray lastFakes = null;
        int[] lastLabels = null;
        for (int k = 0; k < dSteps; k++) {
            long t0 = System.nanoTime();
            ImageBatch b = batches.next(batch);
            if (b == null) {
                throw new IllegalStateException("the data source ran out of images within its epoch");
            }
            INDArray realBatch = b.images().reshape('c', generator.imageShape().batchShape(batch));
            int[] labels = numClasses == 0 ? null : b.labels();
            long t1 = System.nanoTime();
            // the fakes get the real batch's labels, so both sides of D's step see the same classes
            INDArray fakes = generator.forward(
                    Conditioning.generatorInput(latent.sample(batch, noise), labels, numClasses), true);
            long t2 = System.nanoTime();
            DiscriminatorStep d = dUpdate.apply(realBatch, fakes, labels, sigma, augmentation(batch, next, 2 * k),
                    augmentation(batch, next, 2 * k + 1), options.penalties().r1At(next));
            phases = phases.plus(t1 - t0, t2 - t1, System.nanoTime() - t2, 0);
            lastFakes = fakes;
            lastLabels = labels;
            dLoss += d.loss();
            real += d.realScore();
            fake += d.fakeScore();
        }
        double gLoss = 0;
        long t0 = System.nanoTime();
        for (int k = 0; k < training.generatorSteps(); k++) {
            DiffAugment.Draw augmented = augmentation(batch, next, 1000 + k);
            gLoss += k == 0 && training.generatorFakes() == GeneratorFakes.REUSED
                    ? generatorStepOn(lastFakes, lastLabels, sigma, augmented)  // G still holds their activations
                    : generatorStep(batch, randomLabels(labelRng, batch), sigma, augmented);
            average.update(next);
        }
        phases = phases.plus(0, 0, 0, System.nanoTime() - t0);
        return new StepEvent(next, epoch, dLoss / dSteps, gLoss / training.generatorSteps(), real / dSteps,
                fake / dSteps, batch * dSteps);
    }

    private int[] randomLabels(java.util.Random rng, int n) {
        int[] labels = rng == null ? null : new int[n];
        for (int i = 0; rng != null && i < n; i++) {
            labels[i] = rng.nextInt(numClasses);
        }
        return labels;
    }

    /**
     * Sets both networks' learning-rate factor to the decay's f(step) when it changed; after a {@link #restore} the
     * first step sets it, so a resumed run trains with the rates of an uninterrupted one.
     */
    private void followDecay(long step) {
        if (!options.decay().enabled()) {
            return;
        }
        double f = options.decay().factorAt(step);
        if (f != rateFactor) {
            generator.setLearningRateFactor(f);
            discriminator.setLearningRateFactor(f);
            rateFactor = f;
        }
    }

    /**
     * What one discriminator update measured.
     *
     * @param loss D's loss, real plus fake term (plus penalties)
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
        return discriminatorStep(realImages, fakeImages, null, options.noise().std());
    }

    /**
     * Updates D once on a real batch and generated images, both of class {@code labels} (null for an unconditional
     * GAN), with instance noise of standard deviation {@code sigma} and the WGAN-GP penalty, when on.
     */
    public DiscriminatorStep discriminatorStep(INDArray realImages, INDArray fakeImages, int[] labels, double sigma) {
        return dUpdate.apply(realImages, fakeImages, labels, sigma, null, null, 0);
    }

    /**
     * Updates G once towards "real" through D, from {@code batchSize} fresh noise vectors; returns G's loss. D's
     * parameters and optimizer state are not changed.
     */
    public double generatorStep(int batchSize) {
        return generatorStep(batchSize, null, options.noise().std());
    }

    /** As {@link #generatorStep(int)}, for images of class {@code labels} and with instance noise {@code sigma}. */
    public double generatorStep(int batchSize, int[] labels, double sigma) {
        return generatorStep(batchSize, labels, sigma, null);
    }

    private double generatorStep(int batchSize, int[] labels, double sigma, DiffAugment.Draw augmentation) {
        return generatorStepOn(generator.forward(
                Conditioning.generatorInput(latent.sample(batchSize, noise), labels, numClasses), true), labels, sigma,
                augmentation);
    }

    /** G's step on {@code fakeImages}, the output of G's last forward pass in training mode. */
    private double generatorStepOn(INDArray fakeImages, int[] labels, double sigma, DiffAugment.Draw augmentation) {
        INDArray oneHot = labels == null ? null : Conditioning.oneHot(labels, numClasses);
        INDArray seen = augmentation == null ? fakeImages : augmentation.apply(fakeImages);
        AdversarialLoss.Term onFake = loss.generator(discriminator.forward(DiscriminatorUpdate.withNoise(seen, sigma,
                noise), oneHot, true));
        INDArray error = discriminator.inputGradient(onFake.gradient());
        generator.accumulate(augmentation == null ? error : augmentation.adjoint(error.reshape(seen.shape())));
        generator.step();
        generator.stepDone(onFake.value());
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
        var rng = new java.util.Random(DataOrder.mix(DataOrder.mix(seed ^ 0x6A09E667F3BCC909L, step), index));
        return augment.draw(batch, generator.imageShape().height(), generator.imageShape().width(), rng);
    }
}
