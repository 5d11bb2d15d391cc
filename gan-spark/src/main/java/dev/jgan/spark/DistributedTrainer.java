package dev.jgan.spark;

import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageDataset;
import dev.jgan.api.TrainingStart;
import dev.jgan.api.TrainingSummary;
import dev.jgan.trainer.run.RunContext;
import dev.jgan.trainer.run.RunExtension;
import dev.jgan.trainer.run.RunListener;
import dev.jgan.trainer.run.RunOutcome;
import dev.jgan.trainer.run.RunRecorder;
import dev.jgan.api.ImageShape;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.TrainingConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.loop.TrainerOptions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jgan.trainer.run.Checkpoints;
import dev.jgan.trainer.loop.AveragedGenerator;
import dev.jgan.trainer.run.FinalModels;
import dev.jgan.trainer.run.ResumeChecks;
import dev.jgan.trainer.run.SampleGrid;
import dev.jgan.trainer.run.RunSetup;
import dev.jgan.trainer.run.Verification;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.run.RunLock;
import dev.jgan.trainer.run.RunProvenance;
import dev.jgan.trainer.run.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.jgan.trainer.config.ConditionalConfig;
import java.io.FileNotFoundException;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;

/**
 * Synchronous data-parallel GAN training on Spark, by parameter averaging (as DL4J's
 * {@code ParameterAveragingTrainingMaster} does for {@code fit()}): the images are split into {@code workers}
 * partitions, cached on the executors; each round, the driver broadcasts the state of G and D (parameters, Adam
 * moments, step counts, the EMA of G), every task trains its replica for {@code averaging_every} iterations on its
 * partition with the single-process {@link dev.jgan.trainer.loop.AdversarialTrainer}, and the driver averages
 * the returned states, in partition order, so that a run is reproducible and resumes exactly.
 *
 * <p>Averaging whole states every K iterations rather than exchanging gradients every iteration: a GAN iteration
 * is two dependent updates (D, then G through the new D), so gradient sharing would need two synchronisations per
 * iteration, each as large as the parameters; averaging sends the state once per K iterations.
 *
 * <p>The driver owns the run directory (locked, as a single-process run's) and writes it in the same format:
 * {@code config.json} (with the spark section), {@code provenance.json}, {@code steps.csv}, {@code epochs.csv} and
 * the grids ({@link RoundEvents}), {@code rounds.csv}, {@code checkpoints/}, {@code generator.zip} (the EMA generator
 * when on, else G), {@code generator-raw.zip}, {@code discriminator.zip}, {@code samples/final.png}, and what the
 * run extensions on the class path add (final metrics, {@code report.html}); {@code jgan sample} and
 * {@code jgan evaluate} read its models.
 */
public final class DistributedTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    /**
     * One averaging round as the driver saw it.
     *
     * @param round 0-based round
     * @param step iterations done after it (on every replica)
     * @param discriminatorLoss mean D loss over the round's iterations and replicas
     * @param generatorLoss mean G loss
     * @param realScore mean D(x)
     * @param fakeScore mean D(G(z))
     * @param wallSeconds the round's time on the driver, broadcast to average
     * @param computeSeconds the slowest replica's training time
     * @param bytesSent bytes of state broadcast to the executors (one copy per executor receives it)
     * @param bytesReturned bytes of state returned by all replicas
     * @param startFingerprints each replica's fingerprint of the state it started from, by worker
     * @param broadcastFingerprint the fingerprint of the broadcast state
     */
    public record Round(int round, long step, double discriminatorLoss, double generatorLoss, double realScore,
                        double fakeScore, double wallSeconds, double computeSeconds, long bytesSent,
                        long bytesReturned, List<Integer> startFingerprints, int broadcastFingerprint) {}

    /**
     * What a run produced.
     *
     * @param directory the run directory
     * @param step iterations done in all
     * @param rounds the rounds of this session
     * @param generatorFile the saved generator
     */
    public record Result(Path directory, long step, List<Round> rounds, Path generatorFile, RunStatus status) {}

    private volatile boolean stopRequested;

    /**
     * Asks the run to stop after the current round: it writes a checkpoint and its final models, and {@link #train}
     * returns with status {@link RunStatus#STOPPED}; safe from any thread (a signal handler).
     */
    public void requestStop() {
        stopRequested = true;
    }

    private final JavaSparkContext spark;
    private final DistributedConfig config;
    private final ConfigReader reader;
    private TaskHook hook = TaskHook.NONE;

    /**
     * @param spark the Spark context to run on
     * @param config the run config with its spark section
     * @param reader the reader whose registry builds the driver's copies of the networks
     */
    public DistributedTrainer(JavaSparkContext spark, DistributedConfig config, ConfigReader reader) {
        this.spark = spark;
        this.config = config;
        this.reader = reader;
    }

    /** Calls {@code hook} at the start of every replica task. */
    public DistributedTrainer withTaskHook(TaskHook hook) {
        this.hook = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** Trains a new run in a new directory under the config's output directory. */
    public Result run() throws ConfigException, DataException, IOException {
        checkInput(config, spark.hadoopConfiguration());
        GanConfig gan = config.gan();
        String name = gan.output().name() != null ? gan.output().name() : "spark";
        return train(RunSetup.createRunDirectory(gan.output(), name), false);
    }

    /**
     * Continues the run in {@code runDirectory} from its newest intact checkpoint, with the config it was started
     * with, changed by {@code change} (for a longer training).
     */
    public static DistributedTrainer resume(JavaSparkContext spark, Path runDirectory,
                                            UnaryOperator<GanConfig> change)
            throws ConfigException {
        ConfigReader reader = new ConfigReader();
        // as jgan train --resume: the run goes on with the settings its checkpoints were trained with
        ResumeChecks.configUnchanged(runDirectory, runDirectory.resolve("config.json"), Verification.REQUIRED);
        DistributedConfig saved = DistributedConfig.read(runDirectory.resolve("config.json"), reader);
        return new DistributedTrainer(spark, new DistributedConfig(change.apply(saved.gan()), saved.spark()),
                reader).resumeFrom(runDirectory);
    }

    private Path resumeDirectory;

    private DistributedTrainer resumeFrom(Path dir) {
        this.resumeDirectory = dir;
        return this;
    }

    /** Trains: a new run ({@link #run()}) or, after {@link #resume}, the resumed one. */
    public Result train() throws ConfigException, DataException, IOException {
        return resumeDirectory != null ? train(resumeDirectory, true) : run();
    }

    /**
     * Checks what a run needs before it starts (and before any run directory is made): where the IDX files are,
     * that they are there, and the settings Spark cannot train; returns the image and label files.
     */
    static org.apache.hadoop.fs.Path[] checkInput(DistributedConfig config, Configuration hadoop)
            throws ConfigException, DataException, IOException {
        GanConfig gan = config.gan();
        SparkOptions opts = config.spark();
        String location = opts.data() != null ? opts.data()
                : gan.data().location() == null ? null : gan.data().location().toAbsolutePath().toUri().toString();
        if (location == null) {
            throw new ConfigException("config", "spark.data", "expected the folder of IDX files that every "
                    + "executor can read: give --data PATH (or set spark.data or data.location in the config)", null);
        }
        if (gan.data().isImageFolder()) {
            throw new ConfigException("config", "data.type", "IDX data (mnist, fashion_mnist) on Spark, got "
                    + gan.data().type(), null);
        }
        if (gan.conditional().enabled()
                && gan.conditional().labels() == ConditionalConfig.Labels.CLUSTERS) {
            throw new ConfigException("config", "conditional.labels", "\"data\" on Spark (k-means clusters need "
                    + "all images in one place)", null);
        }
        org.apache.hadoop.fs.Path[] files;
        try {
            files = IdxShards.files(location, gan.data().split(), hadoop);
        } catch (FileNotFoundException e) {
            throw new DataException("spark.data: " + e.getMessage() + "; set spark.data (or data.location) to a "
                    + "folder with the IDX files that every executor can reach", e);
        }
        int images = IdxShards.header(files[0], hadoop)[0];
        int count = gan.data().limit() > 0 ? Math.min(gan.data().limit(), images) : images;
        TrainingConfig t = TrainerOptions.training(gan);
        int perIteration = t.batchSize() * t.discriminatorSteps();
        if (count / opts.workers() / perIteration == 0) {
            throw new ConfigException("config", "spark.workers", "at most " + count / perIteration + " workers: "
                    + count + " images split " + opts.workers() + " ways leave fewer than one iteration ("
                    + perIteration + " images) per partition", null);
        }
        return files;
    }

    private Result train(Path dir, boolean resuming) throws ConfigException, DataException, IOException {
        try (RunLock lock = RunLock.acquire(dir)) {
            return trainLocked(dir, resuming);
        }
    }

    private Result trainLocked(Path dir, boolean resuming) throws ConfigException, DataException, IOException {
        GanConfig gan = config.gan();
        SparkOptions opts = config.spark();
        int workers = opts.workers();
        Configuration hadoop = spark.hadoopConfiguration();
        org.apache.hadoop.fs.Path[] files = checkInput(config, hadoop);
        int[] header = IdxShards.header(files[0], hadoop);
        int count = gan.data().limit() > 0 ? Math.min(gan.data().limit(), header[0]) : header[0];
        ImageShape shape = new ImageShape(1, header[1], header[2]);
        boolean labelled = gan.conditional().numClasses() > 0;
        TrainingConfig t = TrainerOptions.training(gan);
        int perIteration = t.batchSize() * t.discriminatorSteps();
        int smallest = count / workers;
        long lastStep = t.maxSteps() > 0 ? t.maxSteps() : (long) t.epochs() * (smallest / perIteration);

        TrainableGenerator g = GanRun.buildGenerator(gan, reader.registry(), shape);
        Discriminator d = GanRun.buildDiscriminator(gan, reader.registry(), shape);
        Checkpoints checkpoints = new Checkpoints(dir, gan.checkpoints().keep(), reader.mapper());
        long step = 0;
        INDArray average = gan.training().emaDecay() > 0 ? g.params() : null;
        if (resuming) {
            List<String> skipped = new ArrayList<>();
            Checkpoints.Restored ckpt = checkpoints.restoreLatest(g, d, skipped).orElseThrow(() ->
                    new DataException(dir + ": no intact checkpoint to resume from (" + (skipped.isEmpty()
                            ? "checkpoints/ is empty" : String.join("; ", skipped)) + ")"));
            step = ckpt.state().step();
            average = ckpt.averagedGenerator() != null ? ckpt.averagedGenerator() : average;
            if (step >= lastStep) {
                throw new DataException(dir + ": the run has already trained " + step + " iterations, all it was "
                        + "configured for; nothing was changed");
            }
            LOG.info("resuming {} from step {}", dir, step);
        }
        JsonNode earlier = resuming ? ResumeChecks.readProvenance(dir.resolve("provenance.json"), reader.mapper())
                : null;
        String resolved = config.write(reader);
        Files.writeString(dir.resolve("config.json"), resolved, StandardCharsets.UTF_8);
        String dataName = "IDX " + files[0] + " (" + count + " images in " + workers + " partitions)";
        RunProvenance provenance = RunProvenance.start(gan.seed(), resolved,
                new RunProvenance.Data(dataName, count, shape.toString()),
                new RunProvenance.NetworkInfo(g.type(), g.numParams()),
                new RunProvenance.NetworkInfo(d.type(), d.numParams()), resuming ? step : null);
        if (earlier != null) {
            provenance = provenance.withEarlierSessions(earlier);
        }
        writeJson(dir.resolve("provenance.json"), provenance);

        String runKey = dir.toAbsolutePath() + "#" + System.nanoTime();
        String ganJson = reader.write(gan);
        String imagesPath = files[0].toString();
        String labelsPath = labelled ? files[1].toString() : null;
        JavaRDD<Shard> shards = spark.parallelize(IntStream.range(0, workers).boxed().toList(), workers)
                .map(w -> IdxShards.read(new org.apache.hadoop.fs.Path(imagesPath),
                        labelsPath == null ? null : new org.apache.hadoop.fs.Path(labelsPath), count, w, workers,
                        new Configuration()))
                .persist(StorageLevel.MEMORY_ONLY());

        ReplicaState[] current = {new ReplicaState(step, g.params().toFloatVector(),
                g.optimizerState().toFloatVector(), g.steps(), d.params().toFloatVector(),
                d.optimizerState().toFloatVector(), d.steps(), average == null ? null : average.toFloatVector())};
        Generator sampling = average == null ? g
                : AveragedGenerator.following(g, () -> Nd4j.createFromArray(current[0].average()));
        int k = opts.averagingEvery();
        int round = (int) (step / k);
        List<Round> rounds = new ArrayList<>();
        RoundsLog log = RoundsLog.open(dir, resuming, step);
        TaskHook taskHook = hook;
        SampleGrid grid = SampleGrid.of(gan);
        ImageDataset local = IdxShards.read(files[0], labelsPath == null ? null : files[1],
                Math.min(count, gan.metrics().samples()), 0, 1, hadoop).toDataset("the first images of " + files[0]);
        List<RunListener> extensions = RunExtension.attachAll(RunExtension.onClassPath(),
                new RunContext(gan, dir, local, resuming));
        ReplicaState state = current[0];
        try (RoundEvents events = new RoundEvents(new RunRecorder(dir, sampling, grid.input(), grid.columns(),
                resuming ? ReplicaState.trainerState(step, smallest, perIteration) : null), extensions,
                smallest / perIteration, lastStep)) {
            events.start(new TrainingStart(g, d, sampling));
            long lastCheckpoint = System.nanoTime();
            while (state.step() < lastStep && !stopRequested) {
                long t0 = System.nanoTime();
                Broadcast<ReplicaState> broadcast = spark.broadcast(state);
                int thisRound = round;
                var job = shards.map(shard -> {
                    TaskContext task = TaskContext.get();
                    taskHook.beforeTask(thisRound, shard.worker(), task == null ? 0 : task.attemptNumber());
                    return Replica.of(runKey, ganJson, shard).train(shard.worker(), broadcast.value(), k, lastStep);
                }).collectAsync();
                List<ReplicaResult> results;
                try {
                    results = new ArrayList<>(RoundTimeoutException.await(job, thisRound, opts.roundTimeoutSeconds()));
                } catch (RoundTimeoutException e) {
                    // the state after the last finished round is kept, so --resume loses no finished round
                    checkpoints.write(g, d, state.average() == null ? null : Nd4j.createFromArray(state.average()),
                            ReplicaState.trainerState(state.step(), smallest, perIteration), provenance.asMap());
                    throw new RoundTimeoutException(e.getMessage() + "; the state after the last finished round "
                            + "(iteration " + state.step() + ") is checkpointed: --resume " + dir + " continues");
                }
                results.sort(Comparator.comparingInt(ReplicaResult::worker));
                ReplicaState next = ReplicaState.mean(results.stream().map(ReplicaResult::state).toList());
                broadcast.destroy();
                double wall = (System.nanoTime() - t0) / 1e9;
                double compute = results.stream().mapToLong(ReplicaResult::computeNanos).max().orElse(0) / 1e9;
                int n = results.stream().mapToInt(ReplicaResult::steps).sum();
                Round r = new Round(round, next.step(), sum(results, ReplicaResult::discriminatorLoss) / n,
                        sum(results, ReplicaResult::generatorLoss) / n, sum(results, ReplicaResult::realScore) / n,
                        sum(results, ReplicaResult::fakeScore) / n, wall, compute, state.bytes(),
                        results.stream().mapToLong(x -> x.state().bytes()).sum(),
                        results.stream().map(ReplicaResult::startFingerprint).toList(), state.fingerprint());
                rounds.add(r);
                log.append(r);
                LOG.info(String.format(Locale.ROOT, "round %d  step %d/%d  D loss %.4f  G loss %.4f  D(x) %.3f  "
                        + "D(G(z)) %.3f  %.2f s (compute %.2f s)", round, next.step(), lastStep,
                        r.discriminatorLoss(), r.generatorLoss(), r.realScore(), r.fakeScore(), wall, compute));
                long from = state.step();
                state = next;
                current[0] = state;
                state.applyTo(g, d);
                events.round(r, from, (long) n * perIteration);
                round++;
                boolean due = opts.checkpointEverySeconds() > 0
                        && System.nanoTime() - lastCheckpoint >= opts.checkpointEverySeconds() * 1_000_000_000L;
                if (round % opts.checkpointEveryRounds() == 0 || state.step() >= lastStep || stopRequested || due) {
                    lastCheckpoint = System.nanoTime();
                    checkpoints.write(g, d, state.average() == null ? null : Nd4j.createFromArray(state.average()),
                            ReplicaState.trainerState(state.step(), smallest, perIteration), provenance.asMap());
                }
            }
            TrainingSummary summary = events.end(ReplicaState.trainerState(state.step(), smallest, perIteration));
            RunStatus status = state.step() < lastStep ? RunStatus.STOPPED : RunStatus.FINISHED;
            String reason = (status == RunStatus.STOPPED ? "stopped on request after " : "trained ") + state.step()
                    + " iterations on " + workers + " replicas";
            provenance = provenance.finished(summary.epochs(), state.step(), summary.elapsed().toMillis() / 1000.0,
                    Math.round(summary.imagesPerSecond())).ended(status, reason);
            writeJson(dir.resolve("provenance.json"), provenance);
            Path gFile = save(dir, g, d, state, provenance);
            events.runEnded(new RunOutcome(dir, status, reason, summary, gFile));
            return new Result(dir, state.step(), List.copyOf(rounds), gFile, status);
        } catch (RuntimeException e) {
            writeJson(dir.resolve("provenance.json"), provenance.ended(RunStatus.FAILED, e.getMessage()));
            RunListener.runEnded(extensions, new RunOutcome(dir, RunStatus.FAILED, e.getMessage(), null, null));
            throw e;
        } finally {
            shards.unpersist(false);
            Replica.release(runKey);
        }
    }

    /** The final models and grid, as a single-process run writes them ({@link FinalModels}). */
    private Path save(Path dir, TrainableGenerator g, Discriminator d, ReplicaState state, RunProvenance provenance)
            throws IOException {
        Generator sampling = state.average() == null ? g
                : AveragedGenerator.of(g, Nd4j.createFromArray(state.average()));
        Path gFile = FinalModels.save(dir, g, sampling, d, provenance.asMap());
        FinalModels.writeFinalGrid(dir, sampling, SampleGrid.of(config.gan()));
        return gFile;
    }

    private static double sum(List<ReplicaResult> results, ToDoubleFunction<ReplicaResult> f) {
        return results.stream().mapToDouble(f).sum();
    }

    private void writeJson(Path file, Object value) {
        try {
            Files.writeString(file, reader.mapper().writeValueAsString(value) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
