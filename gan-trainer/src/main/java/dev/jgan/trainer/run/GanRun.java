package dev.jgan.trainer.run;

import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.TrainingConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.data.DataSources;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.loop.DivergenceException;
import dev.jgan.trainer.loop.TrainerState;

import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageSource;
import dev.jgan.api.ImageShape;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.TrainingListener;
import dev.jgan.api.TrainingSummary;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.jgan.trainer.config.ConditionalConfig;
import dev.jgan.trainer.config.ExampleConfigs;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A whole training run from a {@link GanConfig}: loads the data, builds both networks from their registered types,
 * trains, checkpoints, and writes the run directory: {@code config.json} (resolved, defaults filled in),
 * {@code provenance.json}, {@code steps.csv}, {@code epochs.csv}, {@code samples/epoch-NNN.png} and
 * {@code samples/final.png}, {@code checkpoints/}, {@code generator.zip} and {@code discriminator.zip}.
 * {@link #resume} continues a run from its newest intact checkpoint.
 */
public final class GanRun {

    private static final Logger LOG = LoggerFactory.getLogger(GanRun.class);

    /**
     * What a run produced.
     *
     * @param directory the run directory
     * @param summary how training ended (of this session, when resumed)
     * @param lastGrid the last fixed-noise sample grid
     * @param generatorFile the saved generator
     * @param discriminatorFile the saved discriminator
     * @param stopped whether training was stopped early by {@link #requestStop()}
     */
    public record Result(Path directory, TrainingSummary summary, Path lastGrid, Path generatorFile,
                         Path discriminatorFile, boolean stopped) {}

    private final GanConfig config;
    private final String name;
    private final ConfigReader reader;
    private final Path resumeDirectory;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<Function<Path, TrainingListener>> runListeners = new ArrayList<>();
    private final List<RunExtension> extensions = new ArrayList<>();
    private volatile AdversarialTrainer trainer;
    private volatile boolean stopRequested;
    private ImageSource data;
    private RunProvenance.Data dataRecord;
    private Verification verification = Verification.REQUIRED;

    /**
     * @param config the run's config
     * @param name run name (used when the config's output section gives none)
     * @param reader the reader whose registry builds the networks
     */
    public GanRun(GanConfig config, String name, ConfigReader reader) {
        this(config, name, reader, null);
    }

    private GanRun(GanConfig config, String name, ConfigReader reader, Path resumeDirectory) {
        this.config = config;
        this.name = config.output().name() != null ? config.output().name() : name;
        this.reader = reader;
        this.resumeDirectory = resumeDirectory;
        extensions.addAll(RunExtension.onClassPath());
    }

    /** The extensions this run attaches (found on the class path, plus any added). */
    public List<RunExtension> extensions() {
        return List.copyOf(extensions);
    }

    /** Attaches {@code extension} too (besides those found on the class path). */
    public GanRun addExtension(RunExtension extension) {
        extensions.add(Objects.requireNonNull(extension, "extension"));
        return this;
    }

    /** Reads {@code configFile} with the global registry. */
    public static GanRun fromFile(Path configFile) throws ConfigException {
        ConfigReader reader = new ConfigReader();
        String stem = configFile.getFileName().toString().replaceFirst("\\.json$", "");
        return new GanRun(reader.read(configFile), stem, reader);
    }

    /**
     * The shipped example config {@code name} (one of {@link dev.jgan.trainer.config.ExampleConfigs#NAMES}, e.g.
     * {@code "mnist-dense"}), read with the global registry; the run is named after it.
     */
    public static GanRun fromExample(String name) throws ConfigException {
        ConfigReader reader = new ConfigReader();
        GanConfig config = ExampleConfigs.read(name, reader);
        return new GanRun(config, name.substring(name.lastIndexOf('/') + 1), reader);
    }

    /**
     * A run that continues {@code runDirectory} from its newest intact checkpoint, with the config saved there
     * (optionally changed by {@code change}, e.g. more epochs).
     */
    public static GanRun resume(Path runDirectory, ConfigReader reader,
                                UnaryOperator<GanConfig> change) throws ConfigException {
        return resume(runDirectory, reader, change, Verification.REQUIRED);
    }

    /**
     * As {@link #resume(Path, ConfigReader, java.util.function.UnaryOperator)}, with what to do when the run's
     * records cannot verify the config or the data.
     */
    public static GanRun resume(Path runDirectory, ConfigReader reader,
                                UnaryOperator<GanConfig> change, Verification verification)
            throws ConfigException {
        Path configFile = runDirectory.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(runDirectory.toString(), "", "not a run directory: it has no config.json",
                    null);
        }
        ResumeChecks.configUnchanged(runDirectory, configFile, verification);
        GanConfig config = change.apply(reader.read(configFile));
        GanRun run = new GanRun(config, runDirectory.getFileName().toString(), reader, runDirectory);
        run.verification = verification;
        return run;
    }

    /** The config this run trains with. */
    public GanConfig config() {
        return config;
    }

    /**
     * Trains on {@code data} instead of the images the config's {@code data} section names: an in-memory
     * {@link dev.jgan.api.ImageDataset}, a streamed source, a DL4J {@code DataSetIterator} through
     * {@link dev.jgan.trainer.data.IteratorSource}, or any other {@link ImageSource}. Exact resume needs a source
     * whose epochs repeat for the same (seed, epoch); the run records the source's name in provenance.json.
     */
    public GanRun withData(ImageSource data) {
        this.data = Objects.requireNonNull(data, "data");
        return this;
    }

    /** Adds a listener to the trainer of the next {@link #run()}. */
    public GanRun addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Adds a listener made from the run directory once it exists; one that is a {@link RunListener} also hears
     * the end of the run.
     */
    public GanRun addRunListener(Function<Path, TrainingListener> factory) {
        runListeners.add(factory);
        return this;
    }

    /**
     * Whether {@link #run()} has built the networks and the data and entered training, so that
     * {@link #requestStop()} ends it with a checkpoint; before that there is nothing of this process's to save.
     */
    public boolean trainingStarted() {
        return trainer != null;
    }

    /** Asks a running {@link #run()} to stop after the current step and write a checkpoint; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
        AdversarialTrainer t = trainer;
        if (t != null) {
            t.requestStop();
        }
    }

    /** Builds the generator the config names, for images of {@code image} ({@link RunNetworks}). */
    public static TrainableGenerator buildGenerator(GanConfig config, NetworkRegistry registry, ImageShape image)
            throws ConfigException {
        return RunNetworks.generator(config, registry, image);
    }

    /** Builds the discriminator the config names, for images of {@code image} ({@link RunNetworks}). */
    public static Discriminator buildDiscriminator(GanConfig config, NetworkRegistry registry, ImageShape image)
            throws ConfigException {
        return RunNetworks.discriminator(config, registry, image);
    }

    /** Trains (or continues training) and writes the run directory. */
    public Result run() throws ConfigException, DataException, IOException {
        if (config.metrics().enabled() && extensions.stream().noneMatch(e -> e.name().equals("metrics"))) {
            throw new ConfigException("config", "metrics.every_epochs", "0: metrics need the gan-metrics module on "
                    + "the class path, and it is not there", null);
        }
        ImageSource data = this.data != null ? this.data : DataSources.open(config.data());
        try {
            return run(data);
        } finally {
            if (this.data == null && data instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("could not close {}: {}", data.name(), e.getMessage());
                }
            }
        }
    }

    private Result run(ImageSource data) throws ConfigException, DataException, IOException {
        String fingerprint = DataFingerprint.of(data);   // of the images as given, before any clustering
        if (config.conditional().enabled()
                && config.conditional().labels() == ConditionalConfig.Labels.CLUSTERS) {
            data = RunSetup.clustered(data, config.conditional().numClasses(), config.seed());
        }
        dataRecord = new RunProvenance.Data(data.name(), data.size(), data.shape().toString(),
                config.conditional().enabled() ? config.conditional().labels().name()
                        .toLowerCase(Locale.ROOT) : null,
                this.data != null ? "java" : "config", fingerprint);
        TrainableGenerator g = buildGenerator(config, reader.registry(), data.shape());
        Discriminator d = buildDiscriminator(config, reader.registry(), data.shape());
        RunSetup.checkShapes(g, d, data);

        Path dir = resumeDirectory != null ? resumeDirectory
                : RunSetup.createRunDirectory(config.output(), name);
        try (RunLock lock = RunLock.acquire(dir)) {
            return runLocked(dir, data, g, d);
        }
    }

    /** {@link #run()} once the run directory is this process's. */
    private Result runLocked(Path dir, ImageSource data, TrainableGenerator g, Discriminator d)
            throws ConfigException, DataException, IOException {
        Checkpoints checkpoints = new Checkpoints(dir, config.checkpoints().keep(), reader.mapper());
        TrainerState resumeFrom = null;
        INDArray resumeAverage = null;
        JsonNode earlier = null;
        if (resumeDirectory != null) {
            earlier = ResumeChecks.readProvenance(dir.resolve("provenance.json"), reader.mapper());
            ResumeChecks.sameData(dir, earlier, dataRecord, reader.mapper(), verification);
            List<String> skipped = new ArrayList<>();
            Checkpoints.Restored ckpt = checkpoints.restoreLatest(g, d, skipped).orElseThrow(() ->
                    new DataException(dir + ": no intact checkpoint to resume from (" + (skipped.isEmpty()
                            ? "checkpoints/ is empty" : String.join("; ", skipped)) + ")"));
            resumeFrom = ckpt.state();
            resumeAverage = ckpt.averagedGenerator();
            TrainingConfig t = config.training();
            if (resumeFrom.epoch() > t.epochs() || (t.maxSteps() > 0 && resumeFrom.step() >= t.maxSteps())) {
                throw new DataException(dir + ": the run has already trained " + (resumeFrom.epoch() - 1)
                        + " epochs (" + resumeFrom.step() + " steps), all it was configured for; nothing was "
                        + "changed. Resume with a larger --epochs (or --max-steps) to train longer");
            }
            RunSetup.removeStaleTemporaries(dir);
            LOG.info("resuming {} from {} (step {}, epoch {})", dir, ckpt.checkpoint().directory().getFileName(),
                    resumeFrom.step(), resumeFrom.epoch());
        }
        String resolved = reader.write(config);
        AtomicFiles.writeString(dir.resolve("config.json"), resolved);
        AtomicReference<RunProvenance> provenance = new AtomicReference<>(RunProvenance.start(config.seed(),
                resolved, dataRecord,
                new RunProvenance.NetworkInfo(g.type(), g.numParams()),
                new RunProvenance.NetworkInfo(d.type(), d.numParams()), resumeFrom == null ? null : resumeFrom.step()));
        if (earlier != null) {
            JsonNode before = earlier;
            provenance.updateAndGet(p -> p.withEarlierSessions(before));
        }
        if (resumeFrom != null) {
            for (RunProvenance.Rollback r : RunProvenance.earlierRollbacks(dir.resolve("provenance.json"),
                    resumeFrom.rollbacks())) {
                provenance.updateAndGet(p -> p.withRollback(r));
            }
        }
        writeJson(dir.resolve("provenance.json"), provenance.get());
        LOG.info("run directory {}", dir);
        LOG.info("data: {} ({} images of {}); G {} ({} parameters), D {} ({} parameters)", data.name(),
                data.size(), data.shape(), g.type(), g.numParams(), d.type(), d.numParams());

        List<RunListener> enders = new ArrayList<>(RunExtension.attachAll(extensions,
                new RunContext(config, dir, data, resumeFrom != null)));
        List<TrainingListener> attached = new ArrayList<>(enders);
        for (var f : runListeners) {
            TrainingListener l = f.apply(dir);
            attached.add(l);
            if (l instanceof RunListener r) {
                enders.add(r);
            }
        }
        try {
            return train(g, d, data, dir, checkpoints, resumeFrom, resumeAverage, provenance, attached, enders);
        } catch (DivergenceException e) {
            end(enders, provenance, new RunOutcome(dir, RunStatus.DIVERGED, e.getMessage(), null, null));
            throw e;
        } catch (IOException | RuntimeException e) {
            end(enders, provenance, new RunOutcome(dir, RunStatus.FAILED, String.valueOf(e.getMessage()), null,
                    null));
            throw e;
        }
    }

    /** Records how the run ended in provenance.json and tells the listeners; their errors are logged only. */
    private void end(List<RunListener> enders, AtomicReference<RunProvenance> provenance, RunOutcome outcome) {
        provenance.updateAndGet(p -> p.ended(outcome.status(), outcome.reason()));
        try {
            writeJson(outcome.directory().resolve("provenance.json"), provenance.get());
        } catch (IOException e) {
            LOG.warn("could not record the run's end in provenance.json: {}", e.getMessage());
        }
        RunListener.runEnded(enders, outcome);
    }

    private Result train(TrainableGenerator g, Discriminator d, ImageSource data, Path dir, Checkpoints checkpoints,
                         TrainerState resumeFrom, INDArray resumeAverage, AtomicReference<RunProvenance> provenance,
                         List<TrainingListener> attached, List<RunListener> enders) throws IOException {
        AdversarialTrainer t = AdversarialTrainer.from(config, g, d, config.loss().create(reader.losses()));
        if (resumeFrom != null) {
            t.restore(resumeFrom);
            for (int i = 0; i < resumeFrom.rollbacks(); i++) {
                // the rates as the rollbacks before the checkpoint left them, scaled in the same order
                g.scaleLearningRate(config.divergence().lrFactor());
                d.scaleLearningRate(config.divergence().lrFactor());
            }
            if (resumeAverage != null) {
                t.restoreAveragedParams(resumeAverage);
            }
        }
        trainer = t;
        if (stopRequested) {
            t.requestStop();
        }
        SampleGrid grid = SampleGrid.of(config);
        TrainingSummary summary;
        Path lastGrid;
        Generator sampling = t.samplingGenerator();
        try (RunRecorder recorder = new RunRecorder(dir, sampling, grid.input(), grid.columns(), resumeFrom)) {
            t.addListener(recorder);
            t.addListener(new Checkpointer(t, checkpoints, config.checkpoints(), provenance));
            listeners.forEach(t::addListener);
            attached.forEach(t::addListener);
            summary = Rollbacks.train(t, data, checkpoints, recorder, provenance, config.divergence());
            lastGrid = recorder.writeGrid("final.png");
        }
        checkpoints.write(g, d, t.averagedParams(), t.state(), provenance.get().asMap());
        provenance.updateAndGet(p -> p.finished(t.state().epoch() - 1, summary.steps(),
                summary.elapsed().toMillis() / 1000.0, Math.round(summary.imagesPerSecond())));
        writeJson(dir.resolve("provenance.json"), provenance.get());

        Path gFile = FinalModels.save(dir, g, sampling, d, provenance.get().asMap());
        Path dFile = dir.resolve(FinalModels.DISCRIMINATOR);
        RunStatus status = stopRequested ? RunStatus.STOPPED : RunStatus.FINISHED;
        end(enders, provenance, new RunOutcome(dir, status, RunOutcome.reason(stopRequested,
                config.training(), t.state(), summary.steps()), summary, gFile));
        return new Result(dir, summary, lastGrid, gFile, dFile, stopRequested);
    }

    private void writeJson(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, reader.mapper().writeValueAsString(value) + "\n");
    }
}
