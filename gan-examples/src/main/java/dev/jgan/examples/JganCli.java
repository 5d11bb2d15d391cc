package dev.jgan.examples;

import dev.jgan.api.Generator;
import dev.jgan.api.ModelMetadata;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.dl4j.InvalidModelFileException;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.run.AtomicFiles;
import dev.jgan.trainer.run.Verification;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.data.IdxFiles;
import dev.jgan.trainer.run.ImageGrids;
import dev.jgan.trainer.config.OutputConfig;
import dev.jgan.trainer.config.TrainingConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import dev.jgan.inference.GeneratorModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.metrics.MetricsListener;
import dev.jgan.metrics.RunReport;
import dev.jgan.metrics.SampleMetrics;
import dev.jgan.trainer.run.Provenance;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NotDirectoryException;
import java.util.Properties;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** The {@code jgan} command line: train, sample, info, evaluate, train-classifier. Exit codes: 0 ok, 1 failure, 2 bad input. */
@Command(name = "jgan", mixinStandardHelpOptions = true, versionProvider = JganCli.Version.class,
        description = "Train, sample and evaluate generative adversarial networks on Deeplearning4j.",
        subcommands = {JganCli.Train.class, JganCli.Sample.class, JganCli.Info.class, JganCli.Report.class,
                ExportCommand.class, ServeCommand.class, PublishCommand.class, SampleBenchCommand.class,
                ServeBenchCommand.class,
                MetricsCommands.Evaluate.class, MetricsCommands.TrainClassifier.class, BenchCommand.class, InterpolateCommand.class,
                QualityCommand.class})
public final class JganCli {

    /** Bad input: config, data, model file or arguments. */
    static final int BAD_INPUT = 2;

    /** Most images {@code sample} writes into one file (an IDX file of 28x28 images: 7.8 GB). */
    static final int MAX_SAMPLES = 10_000_000;

    /** Most images in one PNG grid. */
    static final int MAX_GRID = 10_000;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces of errors.")
    boolean debug;

    public static void main(String[] args) {
        selectNativeBuild();
        System.exit(run(args));
    }

    /** JavaCPP system property naming the libnd4j build to load (the "-onednn" in "linux-x86_64-onednn"). */
    static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";

    /**
     * Tells JavaCPP which libnd4j build this program was packaged with (jgan/native.properties, written by Maven
     * from javacpp.platform.extension), unless the command line chose one. Must run before ND4J loads.
     */
    static void selectNativeBuild() {
        if (System.getProperty(PLATFORM_EXTENSION) != null) {
            return;
        }
        try (var in = JganCli.class.getResourceAsStream("/jgan/native.properties")) {
            if (in != null) {
                var p = new Properties();
                p.load(in);
                System.setProperty(PLATFORM_EXTENSION, p.getProperty("platform.extension", ""));
            }
        } catch (IOException e) {
            // leave JavaCPP's default
        }
    }

    /** One line of advice per unset variable when native threads will spin against each other (README, "Threads"). */
    static void threadHint() {
        if (System.getenv("OMP_WAIT_POLICY") == null) {
            System.err.println("hint: OMP_WAIT_POLICY is not set; with OMP_WAIT_POLICY=passive (what ./jgan sets) "
                    + "ND4J's and OpenBLAS's thread pools stop spinning against each other (2x faster dense "
                    + "training measured on 2 cores)");
        }
        if (System.getenv("OPENBLAS_THREAD_TIMEOUT") == null) {
            System.err.println("hint: OPENBLAS_THREAD_TIMEOUT is not set; with OPENBLAS_THREAD_TIMEOUT=4 (what ./jgan "
                    + "sets) OpenBLAS's workers sleep after each matrix product instead of yielding in a loop "
                    + "(DCGAN training 9-12% faster measured on 2 cores)");
        }
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new JganCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean debug = parsed.matchedOption("--debug") != null
                    || (parsed.subcommand() != null && parsed.subcommand().matchedOption("--debug") != null);
            if (debug) {
                e.printStackTrace(cmd.getErr());
            }
            boolean bad = e instanceof ConfigException || e instanceof DataException
                    || e instanceof InvalidModelFileException || e instanceof IllegalArgumentException
                    || e instanceof FileAlreadyExistsException
                    || e instanceof NotDirectoryException;
            cmd.getErr().println("error: " + ErrorMessages.describe(e));
            return bad ? BAD_INPUT : 1;
        });
        return cli.execute(args);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train a GAN as a JSON config describes; writes a run directory.",
                    "Ctrl-C stops at the end of the current step and writes a checkpoint; --resume continues."})
    static final class Train implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", description = "Run config (JSON).")
        Path config;

        @Option(names = "--resume", paramLabel = "RUN_DIR",
                description = "Continue a run from its newest intact checkpoint (instead of --config).")
        Path resume;

        @Option(names = "--accept-unverified", description = {"With --resume: resume even when provenance.json, "
                + "its config hash or its data fingerprint is missing (a differing one is still refused)."})
        boolean acceptUnverified;

        @Option(names = "--epochs", paramLabel = "N", description = "Override training.epochs.")
        Integer epochs;

        @Option(names = "--max-steps", paramLabel = "N", description = "Override training.max_steps.")
        Long maxSteps;

        @Option(names = "--max-seconds", paramLabel = "S", description = "Override training.max_seconds.")
        Double maxSeconds;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Override data.location.")
        Path dataDir;

        @Option(names = "--output", paramLabel = "DIR", description = "Override output.directory.")
        Path output;

        @Override
        public Integer call() throws Exception {
            threadHint();
            if ((config == null) == (resume == null)) {
                throw new IllegalArgumentException("train: give either --config FILE or --resume RUN_DIR");
            }
            ConfigReader reader = new ConfigReader();
            GanRun run;
            if (resume != null) {
                if (dataDir != null || output != null) {
                    throw new IllegalArgumentException("--resume: the run's data and directory are fixed; "
                            + "only --epochs and --max-steps can change");
                }
                run = GanRun.resume(resume, reader, this::overrides, acceptUnverified
                        ? Verification.WAIVED_WHERE_MISSING : Verification.REQUIRED);
            } else {
                String stem = config.getFileName().toString().replaceFirst("\\.json$", "");
                run = new GanRun(overrides(reader.read(config)), stem, reader);
            }
            if (System.console() != null) {
                run.addListener(new ConsoleProgress());
            }
            Thread main = Thread.currentThread();
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                run.requestStop();
                try {
                    done.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    main.interrupt();
                }
            }, "jgan-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            StopSignals.install(run::requestStop, run::trainingStarted);
            try {
                GanRun.Result result = run.run();
                var s = result.summary();
                System.out.printf(Locale.ROOT, "trained %d epochs, %d steps in %.1f s (%.0f images/s)%n",
                        s.epochs(), s.steps(), s.elapsed().toMillis() / 1000.0, s.imagesPerSecond());
                if (result.stopped()) {
                    System.out.println("stopped early; continue with: jgan train --resume " + result.directory());
                }
                System.out.println("run directory: " + result.directory());
                System.out.println("generator:     " + result.generatorFile());
                Path quality = result.directory().resolve(MetricsListener.FINAL_FILE);
                if (Files.exists(quality)) {
                    var json = new ObjectMapper().configure(
                            DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
                    var f = json.readTree(quality.toFile());
                    System.out.println("quality:       " + MetricsListener.summary(
                            json.treeToValue(f.path("generated"), SampleMetrics.Result.class),
                            json.treeToValue(f.path("real_data"), SampleMetrics.Result.class))
                            + " (" + f.path("samples").asInt() + " samples vs the " + f.path("reference").asText()
                            + ")");
                }
                System.out.println("sample grid:   " + result.lastGrid());
                System.out.println("report:        " + result.directory().resolve("report.html"));
                System.out.flush();
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running (Ctrl-C); it returns now that the checkpoint is written.
                }
            }
            return 0;
        }

        private GanConfig overrides(GanConfig c) {
            TrainingConfig t = c.training();
            GanConfig out = c.withTraining(t.withLimits(epochs != null ? epochs : t.epochs(),
                    maxSteps != null ? maxSteps : t.maxSteps(), maxSeconds != null ? maxSeconds : t.maxSeconds()));
            if (dataDir != null) {
                out = out.withData(c.data().withLocation(dataDir));
            }
            if (output != null) {
                out = out.withOutput(new OutputConfig(output, c.output().name()));
            }
            return out;
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true,
            description = "Generate images with a trained generator: a PNG grid or an IDX file.")
    static final class Sample implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        GeneratorChoice generator;

        @Option(names = "--count", defaultValue = "64", paramLabel = "N", description = "Images (default 64).")
        int count;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "Output: .png (grid) or .idx (2051, N, H, W, one byte per pixel).")
        Path out;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Noise seed (default 1).")
        long seed;

        @Option(names = "--class", paramLabel = "K",
                description = "Only class K (conditional generators; default: all classes in turn).")
        Integer label;

        @Override
        public Integer call() throws Exception {
            if (count < 1) {
                throw new IllegalArgumentException("--count: expected an integer >= 1, got " + count);
            }
            if (count > MAX_SAMPLES) {
                throw new IllegalArgumentException("--count: expected at most " + MAX_SAMPLES + " images, got "
                        + count);
            }
            String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!name.endsWith(".png") && !name.endsWith(".idx")) {
                throw new IllegalArgumentException("--out: expected a file name ending in .png or .idx, got " + out);
            }
            GeneratorModel g = generator.load();
            if (label != null && (g.numClasses() == 0 || label < 0 || label >= g.numClasses())) {
                throw new IllegalArgumentException("--class: " + (g.numClasses() == 0 ? generator.label()
                        + " is not a conditional generator" : "expected a class in [0, " + (g.numClasses() - 1)
                        + "], got " + label));
            }
            if (name.endsWith(".png") && count > MAX_GRID) {
                throw new IllegalArgumentException("--count: a PNG grid holds at most " + MAX_GRID + " images; write "
                        + "more as .idx");
            }
            var shape = g.imageShape();
            if (name.endsWith(".idx") && shape.channels() != 1) {
                throw new IllegalArgumentException("--out: IDX output holds grey images; this generator makes "
                        + shape.channels() + " channels");
            }
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            if (name.endsWith(".png")) {
                INDArray images = label == null ? g.sample(count, seed) : g.sample(count, seed, label);
                ImageGrids.writePng(images, (int) Math.ceil(Math.sqrt(count)), out);
            } else {
                // streamed in chunks: memory does not grow with --count
                AtomicFiles.write(out, tmp -> {
                    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                        IdxFiles.writeImagesHeader(o, count, shape.height(), shape.width());
                        for (long from = 0; from < count; from += GeneratorModel.BATCH) {
                            int n = (int) Math.min(GeneratorModel.BATCH, count - from);
                            o.write(IdxDatasets.toBytes(label == null ? g.sampleRange(from, n, seed)
                                    : g.sampleRange(from, n, seed, label)));
                        }
                    }
                });
            }
            System.out.println("wrote " + count + " images to " + out);
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a saved network.")
    static final class Info implements Callable<Integer> {

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "A saved network (.zip).")
        Path model;

        @Override
        public Integer call() throws IOException {
            ModelMetadata md = ModelFiles.readMetadata(model);
            System.out.println("file:        " + model);
            System.out.println("role:        " + md.role());
            System.out.println("type:        " + md.type());
            if (md.latentSize() > 0) {
                System.out.println("latent size: " + md.latentSize());
            }
            System.out.println("image:       " + md.image());
            var net = md.role().equals(ModelFiles.GENERATOR)
                    ? ((Dl4jGenerator) ModelFiles.loadGenerator(model)).model()
                    : ((Dl4jDiscriminator) ModelFiles.loadDiscriminator(model)).model();
            System.out.println("parameters:  " + net.numParams());
            System.out.println("provenance:");
            md.provenance().forEach((k, v) -> System.out.println("  " + k + ": " + v));
            System.out.println(net instanceof MultiLayerNetwork m ? m.summary()
                    : ((ComputationGraph) net).summary());
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Write report.html for a run directory (losses, D scores, metrics, grids, provenance).")
    static final class Report implements Callable<Integer> {

        @picocli.CommandLine.Parameters(paramLabel = "RUN_DIR", description = "A run directory.")
        Path runDir;

        @Override
        public Integer call() throws IOException {
            RunReport.checkRunDirectory(runDir);
            System.out.println("report: " + new RunReport(runDir).write());
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jgan " + Provenance.libraryVersion()};
        }
    }
}
