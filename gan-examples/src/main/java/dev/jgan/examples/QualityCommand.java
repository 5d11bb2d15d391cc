package dev.jgan.examples;

import dev.jgan.trainer.run.AtomicFiles;
import dev.jgan.api.Generator;
import dev.jgan.api.ModelMetadata;
import dev.jgan.api.StepEvent;
import dev.jgan.api.TrainingListener;
import dev.jgan.api.TrainingSummary;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.metrics.MnistClassifier;
import dev.jgan.metrics.SampleMetrics;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.config.GanConfig;
import dev.jgan.trainer.run.GanRun;
import dev.jgan.trainer.run.ImageGrids;
import dev.jgan.trainer.config.OutputConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.jgan.api.Discriminator;
import java.text.DecimalFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * {@code jgan quality}: sample quality against training time. Trains a config (a normal run directory) and saves
 * the generator it would sample from (the EMA one, if on) when the training clock passes each snapshot time, or
 * after each snapshot step; after training, scores every snapshot with {@link SampleMetrics} on the same noise and
 * writes {@code quality.csv}, {@code quality.md}, {@code fd-vs-time.png} and one sample grid per snapshot.
 * Saving a snapshot takes milliseconds and the scoring happens after training, so neither slows the clock.
 */
@Command(name = "quality", mixinStandardHelpOptions = true,
        description = {"Train a config and score its samples at fixed training times (quality over time).",
                "Writes quality.csv, quality.md, fd-vs-time.png and grids into --out.",
                "With --plot, only draws FD against time for existing quality.csv files."})
final class QualityCommand implements Callable<Integer> {

    static final class When {
        @Option(names = "--at", split = ",", paramLabel = "T",
                description = "Snapshot times of the training clock: seconds, or with a unit (90s, 2m, 1h).")
        List<String> times;

        @Option(names = "--at-steps", split = ",", paramLabel = "N",
                description = "Snapshot steps instead (for runs in the background: samples do not depend on load).")
        List<Long> steps;

        @Option(names = "--plot", arity = "1..*", paramLabel = "CSV",
                description = "Only draw the FD curves of these quality.csv files into --out.")
        List<Path> plot;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    When when;

    @Option(names = "--config", paramLabel = "FILE", description = "Run config (JSON).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Override data.location.")
    Path dataDir;

    @Option(names = "--reference", paramLabel = "DIR",
            description = "MNIST IDX files whose test split is the reference (default: --data-dir, else the "
                    + "embedded MNIST test set).")
    Path reference;

    @Option(names = "--samples", defaultValue = "10000", paramLabel = "N",
            description = "Samples scored per snapshot (default 10000).")
    int samples;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder (with --plot: the PNG file).")
    Path out;

    @Override
    public Integer call() throws Exception {
        System.setProperty("java.awt.headless", "true");
        if (when.plot != null) {
            List<Curve> curves = new ArrayList<>();
            for (Path csv : when.plot) {
                curves.add(Curve.read(csv));
            }
            plot(curves, out);
            System.out.println("plot: " + out);
            return 0;
        }
        if (config == null) {
            throw new IllegalArgumentException("quality: give --config FILE (or --plot CSV...)");
        }
        if (samples < 100) {
            throw new IllegalArgumentException("--samples: expected an integer >= 100, got " + samples);
        }
        List<Double> targets = new ArrayList<>();
        if (when.times != null) {
            for (String t : when.times) {
                targets.add(seconds(t));
            }
        } else {
            for (long s : when.steps) {
                if (s < 1) {
                    throw new IllegalArgumentException("--at-steps: expected steps >= 1, got " + s);
                }
                targets.add((double) s);
            }
        }
        targets.sort(null);
        boolean bySteps = when.steps != null;
        ConfigReader reader = new ConfigReader();
        GanConfig c = reader.read(config);
        // Fashion-MNIST runs are scored with the Fashion-MNIST feature network against its own test split
        String dataset = c.data().type().equals("fashion_mnist") ? "fashion_mnist" : "mnist";
        Path referenceDir = reference != null ? reference : dataDir != null ? dataDir : c.data().location();
        var test = MetricsCommands.dataset(dataset, dataset.equals("mnist") && reference == null
                && dataDir == null ? null : referenceDir, "test");
        var testImages = test.images();
        double last = targets.get(targets.size() - 1);
        var t = c.training();
        c = c.withTraining(t.withLimits(1_000_000, bySteps ? (long) last : 0, bySteps ? 0 : last))
                .withOutput(new OutputConfig(out.resolve("runs"), c.output().name()));
        if (dataDir != null) {
            c = c.withData(c.data().withLocation(dataDir));
        }
        String stem = config.getFileName().toString().replaceFirst("\\.json$", "");
        GanRun run = new GanRun(c, stem, reader);
        Path snapshots = Files.createDirectories(out.resolve("snapshots"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", c.data().type() + " " + c.data().split());
        if (c.conditional().enabled()) {
            data.put("labels", c.conditional().labels().name().toLowerCase(Locale.ROOT));
        }
        Snapshots listener = new Snapshots(targets, bySteps, snapshots, data);
        run.addListener(listener);
        GanRun.Result result = run.run();
        System.out.printf(Locale.ROOT, "trained %d steps in %.1f s; scoring %d snapshots%n",
                result.summary().steps(), result.summary().elapsed().toMillis() / 1000.0, listener.taken.size());

        SampleMetrics scorer = new SampleMetrics(MnistClassifier.standard(dataset), testImages);
        StringBuilder csv = new StringBuilder("seconds,steps,images,frechet_distance,kernel_distance,"
                + "classifier_score,modes_covered,confident_share,precision,recall,class_accuracy\n");
        StringBuilder md = new StringBuilder("| training time | steps | images | FD | KD | CS | modes | confident | "
                + "precision | recall | class accuracy |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | "
                + "--- | --- |\n");
        for (Snapshot s : listener.taken) {
            Generator g = ModelFiles.loadGenerator(s.file());
            SampleMetrics.Result r = scorer.evaluate(Sampling.generate(g, samples, 1));
            double accuracy = !dataset.equals("mnist") || !MetricsCommands.Evaluate.conditionedOnDigits(g, s.file())
                    ? Double.NaN
                    : (double) MetricsCommands.Evaluate.classAccuracy(g, MnistClassifier.standard(),
                            Math.max(1, samples / g.numClasses()), 1).get("overall");
            INDArray grid = Sampling.generate(g, g.numClasses() > 0 ? 10 * g.numClasses() : 64, 2);
            ImageGrids.writePng(grid, g.numClasses() > 0 ? 10 : 8,
                    out.resolve("grid-" + s.label() + ".png"));
            csv.append(String.format(Locale.ROOT, "%.1f,%d,%d,%.4f,%.5f,%.4f,%d,%.4f,%.4f,%.4f,%s%n", s.seconds(),
                    s.steps(), s.images(), r.frechetDistance(), r.kernelDistance(), r.classifierScore(),
                    r.modesCovered(), r.confidentShare(), r.precision(), r.recall(),
                    Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, "%.4f", accuracy)));
            md.append(String.format(Locale.ROOT, "| %.0f s | %d | %d | %.2f | %.4f | %.2f | %d | %.3f | %.3f | %.3f "
                    + "| %s |%n", s.seconds(), s.steps(), s.images(), r.frechetDistance(), r.kernelDistance(),
                    r.classifierScore(), r.modesCovered(), r.confidentShare(), r.precision(), r.recall(),
                    Double.isNaN(accuracy) ? "" : String.format(Locale.ROOT, "%.4f", accuracy)));
            System.out.printf(Locale.ROOT, "%7.0f s  step %7d  FD %7.2f  CS %5.2f  modes %2d  recall %.3f%n",
                    s.seconds(), s.steps(), r.frechetDistance(), r.classifierScore(), r.modesCovered(), r.recall());
        }
        AtomicFiles.writeString(out.resolve("quality.csv"), csv);
        AtomicFiles.writeString(out.resolve("quality.md"), "Config `" + config + "`, run " + result.directory()
                + "; " + samples + " samples per snapshot against the " + test.name() + ".\n\n" + md);
        plot(List.of(Curve.read(out.resolve("quality.csv"), stem)), out.resolve("fd-vs-time.png"));
        System.out.println("table: " + out.resolve("quality.md"));
        System.out.println("plot:  " + out.resolve("fd-vs-time.png"));
        return 0;
    }

    /** Seconds from "90", "90s", "2m" or "1h". */
    static double seconds(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        double unit = 1;
        if (s.endsWith("h")) {
            unit = 3600;
        } else if (s.endsWith("m")) {
            unit = 60;
        }
        if (!s.isEmpty() && Character.isLetter(s.charAt(s.length() - 1))) {
            s = s.substring(0, s.length() - 1);
        }
        double v;
        try {
            v = Double.parseDouble(s) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--at: expected a time such as 90, 90s, 2m or 1h, got '" + text + "'");
        }
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("--at: expected a time > 0, got '" + text + "'");
        }
        return v;
    }

    /** One saved snapshot: the training clock, steps and images when it was taken. */
    record Snapshot(Path file, String label, double seconds, long steps, long images) {}

    /** Saves the sampling generator when the clock (or the step count) passes each target. */
    static final class Snapshots implements TrainingListener {
        private final List<Double> targets;
        private final boolean bySteps;
        private final Path folder;
        private final Map<String, Object> data;
        final List<Snapshot> taken = new ArrayList<>();
        private Generator sampling;
        private long start;
        private long images;

        /** {@code data}: the run's data as provenance records it (so that evaluation knows what the classes are). */
        Snapshots(List<Double> targets, boolean bySteps, Path folder, Map<String, Object> data) {
            this.targets = new ArrayList<>(targets);
            this.bySteps = bySteps;
            this.folder = folder;
            this.data = Map.copyOf(data);
        }

        @Override
        public void onStart(Generator generator, Discriminator discriminator) {
            sampling = generator;
            start = System.nanoTime();
        }

        @Override
        public void onStep(StepEvent e) {
            images += e.images();
            double clock = (System.nanoTime() - start) / 1e9;
            while (taken.size() < targets.size()) {
                double target = targets.get(taken.size());
                if ((bySteps ? e.step() : clock) < target) {
                    return;
                }
                save(clock, e.step());
            }
        }

        @Override
        public void onEnd(TrainingSummary summary) {
            // the last target of the clock ends training just past it; a step target ends exactly on it
            if (taken.size() < targets.size() && sampling != null) {
                save((System.nanoTime() - start) / 1e9, summary.steps());
            }
        }

        private void save(double clock, long step) {
            double target = targets.get(taken.size());
            String label = String.format(Locale.ROOT, "%06.0f%s", target, bySteps ? "steps" : "s");
            Path file = folder.resolve("generator-" + label + ".zip");
            try {
                sampling.save(file, new ModelMetadata(ModelMetadata.GENERATOR, sampling.type(),
                        sampling.latentSize(), sampling.imageShape(), ModelMetadata.FORMAT_VERSION,
                        Map.of("snapshot_seconds", clock, "snapshot_step", step, "data", data),
                        sampling.numClasses()));
            } catch (IOException ex) {
                throw new UncheckedIOException("snapshot " + file + " failed", ex);
            }
            taken.add(new Snapshot(file, label, clock, step, images));
        }
    }

    /** FD against training seconds, from a quality.csv. */
    record Curve(String name, List<double[]> points) {
        /** Named after the file ({@code dcgan-quality.csv}: "dcgan"), or its folder for a plain quality.csv. */
        static Curve read(Path csv) throws IOException {
            String stem = csv.getFileName().toString().replaceFirst("\\.csv$", "").replaceFirst("-?quality$", "");
            Path parent = csv.toAbsolutePath().getParent();
            return read(csv, !stem.isEmpty() ? stem : parent == null ? csv.toString()
                    : parent.getFileName().toString());
        }

        static Curve read(Path csv, String name) throws IOException {
            if (!Files.isRegularFile(csv)) {
                throw new IllegalArgumentException("--plot: " + csv + ": no such file");
            }
            List<double[]> points = new ArrayList<>();
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).startsWith("seconds,steps,images,frechet_distance")) {
                throw new IllegalArgumentException("--plot: " + csv + ": not a quality.csv (expected the header "
                        + "seconds,steps,images,frechet_distance,...)");
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                try {
                    points.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[3])});
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("--plot: " + csv + ": bad line '" + line + "'");
                }
            }
            return new Curve(name, points);
        }
    }

    /** Draws FD (log scale) against training minutes, one line per curve. */
    static void plot(List<Curve> curves, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        Set<String> names = new HashSet<>();
        for (Curve c : curves) {
            String name = c.name();
            for (int i = 2; !names.add(name); i++) {
                name = c.name() + " (" + i + ")";
            }
            XYSeries s = new XYSeries(name);
            for (double[] p : c.points()) {
                s.add(p[0] / 60, p[1]);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Frechet distance against training time (lower is better)",
                "training minutes (2 cores)", "FD (log scale)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis fd = new LogAxis("FD (log scale)");
        fd.setSmallestValue(0.5);
        fd.setNumberFormatOverride(new DecimalFormat("0.#"));
        plot.setRangeAxis(fd);
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        Path abs = png.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 720, 420);
    }
}
