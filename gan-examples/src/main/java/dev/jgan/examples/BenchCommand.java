package dev.jgan.examples;

import dev.jgan.trainer.run.AtomicFiles;
import dev.jgan.api.Discriminator;
import dev.jgan.api.TrainableGenerator;
import dev.jgan.api.ImageDataset;
import dev.jgan.api.ImageShape;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.dl4j.Dl4jDiscriminator;
import dev.jgan.dl4j.Dl4jFlops;
import dev.jgan.dl4j.Dl4jGenerator;
import dev.jgan.api.Kernels;
import dev.jgan.trainer.config.EngineConfig;
import dev.jgan.trainer.loop.AdversarialTrainer;
import dev.jgan.trainer.loop.PhaseTimes;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.config.GeneratorFakes;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.run.Provenance;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.bytedeco.javacpp.Loader;

/**
 * {@code jgan bench}: training speed of the default networks, the split between the loop's phases, the analytic
 * FLOPs per image and the achieved FLOP/s as a share of a large single-precision matrix multiply timed in the same
 * process. Each figure is the median of several timed windows after a warm-up; the real training loop runs
 * ({@link AdversarialTrainer}, one D step and one G step per batch) on random images, as speed does not depend on
 * the pixels.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure training speed: images/s, phase split, FLOPs per image, achieved FLOP/s and its "
                + "share of an in-process SGEMM.", "Run it with nothing else using the CPU."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--networks", split = ",", defaultValue = "dense,dcgan", paramLabel = "TYPE",
            description = "Network types to time, with their default settings (default: ${DEFAULT-VALUE}).")
    List<String> networks;

    @Option(names = "--batches", split = ",", paramLabel = "N",
            description = "Batch sizes (default: 64,256; with --config, its batch size).")
    List<Integer> batches;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Time this run config's networks instead of --networks (its batch size unless --batches).")
    Path config;

    @Option(names = "--windows", defaultValue = "5", description = "Timed windows per case (default: ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--window-seconds", defaultValue = "3", paramLabel = "S",
            description = "Length of one window (default: ${DEFAULT-VALUE}).")
    double windowSeconds;

    @Option(names = "--warmup-seconds", defaultValue = "4", paramLabel = "S",
            description = "Least untimed training before the windows (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--warmup-max-seconds", defaultValue = "60", paramLabel = "S",
            description = "The warm-up goes on past --warmup-seconds until the JIT compiler threads use under "
                    + "5 %% of 3 seconds of CPU, up to this (default: ${DEFAULT-VALUE}).")
    double warmupMaxSeconds;

    @Option(names = "--gemm-size", defaultValue = "2048", paramLabel = "N",
            description = "Side of the square SGEMM that sets the machine's practical peak (default: ${DEFAULT-VALUE}).")
    int gemmSize;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--compare-dl4j", description = "Also time each case with every layer on DL4J's own code path "
            + "(engine.kernels \"reference\"), alternating the two in --rounds rounds, and report "
            + "the ratio.")
    boolean compare;

    @Option(names = "--rounds", defaultValue = "2", description = "Alternating rounds with --compare-dl4j "
            + "(default: ${DEFAULT-VALUE}).")
    int rounds;

    /** One timed case. */
    record Case(String network, String path, int batch, double imagesPerSecond, double minImagesPerSecond,
                double maxImagesPerSecond, double msPerIteration, Map<String, Double> phaseShare,
                long generatorFlops, long discriminatorFlops, long flopsPerImage, double gflops, double shareOfGemm,
                double warmupSeconds, double jitSecondsInWindows) {}

    @Override
    public Integer call() throws Exception {
        JganCli.threadHint();
        if (windows < 1 || windowSeconds <= 0 || warmupSeconds < 0 || warmupMaxSeconds < warmupSeconds
                || gemmSize < 64) {
            throw new IllegalArgumentException("bench: --windows >= 1, --window-seconds > 0, --warmup-seconds >= 0, "
                    + "--warmup-max-seconds >= --warmup-seconds and --gemm-size >= 64 expected");
        }
        for (int b : batches == null ? List.<Integer>of() : batches) {
            if (b < 1) {
                throw new IllegalArgumentException("bench: --batches must be positive, got " + b);
            }
        }
        PrintStream out = System.out;
        Map<String, Object> env = environment();
        env.forEach((k, v) -> out.printf(Locale.ROOT, "%-22s %s%n", k, v));
        double gemm = gemmGflops(gemmSize);
        out.printf(Locale.ROOT, "%-22s %.1f GFLOP/s (%d x %d x %d, median of 7)%n%n", "sgemm", gemm, gemmSize,
                gemmSize, gemmSize);
        out.printf(Locale.ROOT, "%-8s %-5s %5s %8s %15s %8s  %-27s %9s %8s %6s%n", "network", "path", "batch", "img/s",
                "[min-max]", "ms/iter", "data/G fwd/D step/G step %", "MFLOP/img", "GFLOP/s", "%GEMM");
        List<Case> cases = new ArrayList<>();
        ConfigReader reader = new ConfigReader();
        List<GanConfig> configs = new ArrayList<>();
        if (config != null) {
            configs.add(reader.read(config));
        } else {
            for (String n : networks) {
                configs.add(reader.read("{\"generator\":{\"type\":\"" + n + "\"},\"discriminator\":{\"type\":\""
                        + n + "\"}}", "--networks " + n));
            }
        }
        List<Integer> sizes = batches != null ? batches
                : config != null ? List.of(configs.get(0).training().batchSize()) : List.of(64, 256);
        for (GanConfig c : configs) {
            for (int batch : sizes) {
                List<Boolean> paths = compare ? List.of(true, false) : List.of(true);
                Map<Boolean, List<Double>> rates = new LinkedHashMap<>();
                Map<Boolean, Measured> last = new LinkedHashMap<>();
                for (int round = 0; round < (compare ? rounds : 1); round++) {
                    // the paths alternate round by round, so drifts in the machine's speed hit both alike
                    for (boolean fastPath : paths) {
                        Measured m = measure(c, batch, fastPath);
                        rates.computeIfAbsent(fastPath, k -> new ArrayList<>()).addAll(m.rates());
                        last.put(fastPath, m);
                    }
                }
                for (boolean fastPath : paths) {
                    Case r = summarize(last.get(fastPath), rates.get(fastPath), batch, gemm);
                    cases.add(r);
                    out.printf(Locale.ROOT, "%-8s %-5s %5d %8.0f %15s %8.1f  %-27s %9.2f %8.2f %5.1f%%%n",
                            r.network(), r.path(), r.batch(), r.imagesPerSecond(), String.format(Locale.ROOT,
                                    "[%.0f-%.0f]", r.minImagesPerSecond(), r.maxImagesPerSecond()),
                            r.msPerIteration(), String.format(Locale.ROOT, "%.0f/%.0f/%.0f/%.0f",
                                    r.phaseShare().get("data"), r.phaseShare().get("generate"),
                                    r.phaseShare().get("discriminator"), r.phaseShare().get("generator")),
                            r.flopsPerImage() / 1e6, r.gflops(), 100 * r.shareOfGemm());
                    out.printf(Locale.ROOT, "         (warm-up %.0f s%s; JIT compiling during the windows: %.2f s)%n",
                            r.warmupSeconds(), r.warmupSeconds() >= warmupMaxSeconds ? ", the most allowed" : "",
                            r.jitSecondsInWindows());
                }
                if (compare) {
                    Case fast = cases.get(cases.size() - 2);
                    Case dl4j = cases.get(cases.size() - 1);
                    out.printf(Locale.ROOT, "%-8s %-5s %5d %7.2fx  (fast / dl4j, medians of %d windows each)%n",
                            fast.network(), "ratio", batch, fast.imagesPerSecond() / dl4j.imagesPerSecond(),
                            rates.get(true).size());
                }
            }
        }
        out.println();
        out.println("FLOPs per image = 4 x G forward + 9 x D forward (G forward for D's step; D forward and backward "
                + "on the real and the fake batch; G forward, D forward and backward, G backward for G's step; a "
                + "backward pass counts 2 x forward; 3 x G forward with training.g_fakes \"reused\"). Dense, convolution and "
                + "transposed-convolution layers only.");
        if (json != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("environment", env);
            doc.put("sgemm_gflops", gemm);
            doc.put("sgemm_size", gemmSize);
            doc.put("cases", cases);
            AtomicFiles.writeString(json, new ObjectMapper()
                    .writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        }
        return 0;
    }

    /** What one timed training measured: images/s per window (in iterations/s) and the phase split. */
    private record Measured(String network, String path, List<Double> rates, PhaseTimes phases,
                            long generatorFlops, long discriminatorFlops, int generatorPasses, double warmupSeconds,
                            double jitSecondsInWindows) {}

    private Measured measure(GanConfig c, int batch, boolean fastPath) throws Exception {
        // random images of the config's size: an image folder's, else MNIST's
        ImageShape shape = c.data().isImageFolder()
                ? new ImageShape(c.data().channels(), c.data().height(), c.data().width()) : new ImageShape(1, 28, 28);
        // the config's own training step (d_steps, EMA, penalties, augmentation), at this batch size
        GanConfig cfg = c.withTraining(c.training().withBatchSize(batch).withLimits(1_000_000, 0, 0))
                .withEngine(new EngineConfig(fastPath ? Kernels.FAST : Kernels.REFERENCE));
        ConfigReader reader = new ConfigReader();
        TrainableGenerator g = GanRun.buildGenerator(cfg, reader.registry(), shape);
        Discriminator d = GanRun.buildDiscriminator(cfg, reader.registry(), shape);
        long gf = g instanceof Dl4jGenerator dg ? Dl4jFlops.forwardFlopsPerImage(dg) : 0;
        long df = d instanceof Dl4jDiscriminator dd ? Dl4jFlops.forwardFlopsPerImage(dd) : 0;
        int n = Math.max(4096, batch * 16);
        INDArray images = Nd4j.rand(DataType.FLOAT, n, shape.size()).muli(2).subi(1);
        int[] labels = null;
        if (g.numClasses() > 0) {
            Random rng = new Random(1);
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rng.nextInt(g.numClasses());
            }
        }
        ImageDataset data = new ImageDataset("random", shape, images, labels);
        AdversarialTrainer trainer = AdversarialTrainer.from(cfg, g, d);
        Windows w = new Windows(trainer);
        trainer.addListener(w);
        trainer.train(data);
        boolean fast = g instanceof Dl4jGenerator dg && dg.usesFastPath()
                || d instanceof Dl4jDiscriminator dd && dd.usesFastPath();
        // a G forward pass for D's step, and one more for G's own unless it reuses D's fakes; G's backward is 2
        int gPasses = cfg.training().generatorFakes() == GeneratorFakes.REUSED ? 3 : 4;
        return new Measured(g.type(), fast ? "fast" : "dl4j", w.rates, w.phases, gf, df, gPasses, w.warmedUp,
                w.jitInWindows);
    }

    private static Case summarize(Measured m, List<Double> iterationRates, int batch, double gemm) {
        double[] rates = iterationRates.stream().mapToDouble(x -> x * batch).sorted().toArray();
        double median = rates.length % 2 == 1 ? rates[rates.length / 2]
                : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
        PhaseTimes p = m.phases();
        double total = Math.max(1, p.total());
        Map<String, Double> share = new LinkedHashMap<>();
        share.put("data", 100 * p.data() / total);
        share.put("generate", 100 * p.generate() / total);
        share.put("discriminator", 100 * p.discriminator() / total);
        share.put("generator", 100 * p.generator() / total);
        long perImage = m.generatorPasses() * m.generatorFlops() + 9 * m.discriminatorFlops();
        double gflops = perImage * median / 1e9;
        return new Case(m.network(), m.path(), batch, median, rates[0], rates[rates.length - 1],
                1000.0 * batch / median, share, m.generatorFlops(), m.discriminatorFlops(), perImage, gflops,
                gflops / gemm, m.warmupSeconds(), m.jitSecondsInWindows());
    }

    /**
     * Splits training into a warm-up and timed windows, then stops it. The warm-up lasts at least {@code
     * --warmup-seconds} and goes on until the JIT compiler threads used under 5 % of 3 seconds of CPU (up to
     * {@code --warmup-max-seconds}): its threads take a core from the loop on a small machine, and a run of
     * minutes spends nearly all of its time after they are done (on 2 cores the dense network's loop ran 8-27 %
     * faster after 20 s than after 4).
     */
    private final class Windows implements TrainingListener {
        /** How long the compiler must stay (nearly) idle. */
        private static final double QUIET_SECONDS = 3;
        private final AdversarialTrainer trainer;
        private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        private final long started = System.nanoTime();
        private long checkStart = started;
        private long jitAtCheck = jitMillis();
        private long windowStart;
        private long windowSteps;
        private long stepsPerWindow;
        private long stepsSinceCheck;
        private long jitAtWindows;
        private PhaseTimes phaseStart;
        private PhaseTimes phases;
        final List<Double> rates = new ArrayList<>();
        double warmedUp;
        double jitInWindows;

        Windows(AdversarialTrainer trainer) {
            this.trainer = trainer;
        }

        /**
         * CPU time the JIT compiler threads have used, in ms: from Linux's per-thread counters, which include a
         * compilation still running, else the JVM's total compilation time (counted when a compilation ends).
         */
        private long jitMillis() {
            long fromProc = CompilerThreads.cpuMillis();
            if (fromProc >= 0) {
                return fromProc;
            }
            return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        }

        @Override
        public void onStep(StepEvent e) {
            long now = System.nanoTime();
            if (stepsPerWindow == 0) {
                stepsSinceCheck++;
                double s = (now - started) / 1e9;
                double sinceCheck = (now - checkStart) / 1e9;
                boolean atLimit = s >= warmupMaxSeconds;
                if (s < warmupSeconds || stepsSinceCheck < 3 || !atLimit && sinceCheck < QUIET_SECONDS) {
                    return;
                }
                long jitNow = jitMillis();
                boolean compiling = jitNow - jitAtCheck > 50 * sinceCheck;
                if (compiling && !atLimit) {
                    checkStart = now;
                    jitAtCheck = jitNow;
                    stepsSinceCheck = 0;
                    return;
                }
                stepsPerWindow = Math.max(2, Math.round(windowSeconds * stepsSinceCheck / sinceCheck));
                warmedUp = s;
                jitAtWindows = jitNow;
                windowStart = now;
                phaseStart = trainer.phaseTimes();
                return;
            }
            if (++windowSteps == stepsPerWindow) {
                rates.add(windowSteps / ((now - windowStart) / 1e9));
                windowSteps = 0;
                windowStart = now;
                if (rates.size() == windows) {
                    phases = trainer.phaseTimes().since(phaseStart);
                    jitInWindows = (jitMillis() - jitAtWindows) / 1e3;
                    trainer.requestStop();
                }
            }
        }
    }

    /** Median GFLOP/s of an n x n x n single-precision matrix multiply. */
    static double gemmGflops(int n) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        double[] t = new double[7];
        for (int i = -2; i < t.length; i++) {
            long s = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            long e = System.nanoTime();
            if (i >= 0) {
                t[i] = (e - s) / 1e9;
            }
        }
        Arrays.sort(t);
        return 2.0 * n * n * n / t[t.length / 2] / 1e9;
    }

    static Map<String, Object> environment() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = new LinkedHashMap<>(new ObjectMapper()
                .convertValue(Provenance.environment(), Map.class));
        String wait = System.getenv("OMP_WAIT_POLICY");
        m.put("omp_wait_policy", wait == null ? "unset" : wait);
        String timeout = System.getenv("OPENBLAS_THREAD_TIMEOUT");
        m.put("openblas_thread_timeout", timeout == null ? "unset" : timeout);
        m.put("nd4j_threads", Nd4j.getEnvironment().maxMasterThreads());
        m.put("javacpp_platform", Loader.getPlatform());
        m.put("javacpp_platform_extension", System.getProperty(JganCli.PLATFORM_EXTENSION, ""));
        var props = Nd4j.getExecutioner().getEnvironmentInformation();
        m.put("blas", props.getOrDefault("blas.vendor", "unknown"));
        m.put("nd4j_build", NativeBuild.describe());
        m.put("cpu", cpuModel());
        return m;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
