package dev.jgan.examples;

import dev.jgan.api.ImageShape;
import dev.jgan.api.ModelMetadata;
import dev.jgan.inference.GeneratorModel;
import dev.jgan.inference.Pretrained;
import dev.jgan.trainer.config.ConfigReader;
import dev.jgan.trainer.run.GanRun;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jgan bench-sample}: generation speed (images/s) per generator and batch size, and the cold start. */
@Command(name = "bench-sample", mixinStandardHelpOptions = true,
        description = {"Measure generation speed: images/s of GeneratorModel.sample for each generator and batch "
                + "size (median and range of timed windows), and the cold start (JVM start to the first image).",
                "Run it with nothing else using the CPU."})
final class SampleBenchCommand implements Callable<Integer> {

    @Option(names = "--pretrained", split = ",", paramLabel = "NAME",
            description = "Published generators to time (default: all on the class path).")
    List<String> pretrained;

    @Option(names = "--networks", split = ",", defaultValue = "dense,dcgan,resnet", paramLabel = "TYPE",
            description = "Also untrained generators of these types with default settings for MNIST "
                    + "(default: ${DEFAULT-VALUE}; 'none' for none).")
    List<String> networks;

    @Option(names = "--batches", split = ",", defaultValue = "1,64,256", paramLabel = "N",
            description = "Images per call (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--windows", defaultValue = "5", description = "Timed windows per case (default: ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--window-seconds", defaultValue = "2", paramLabel = "S",
            description = "Length of one window (default: ${DEFAULT-VALUE}).")
    double windowSeconds;

    @Override
    public Integer call() throws Exception {
        for (int b : batches) {
            if (b < 1 || b > 4096) {
                throw new IllegalArgumentException("--batches: expected sizes in [1, 4096], got " + b);
            }
        }
        Map<String, GeneratorModel> models = new LinkedHashMap<>();
        String coldStart = null;
        for (String name : pretrained != null ? pretrained : Pretrained.names()) {
            models.put(name, GeneratorModel.pretrained(name));
            if (coldStart == null) {
                models.get(name).sample(1, 1);
                long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                coldStart = String.format(Locale.ROOT, "%.2f s from JVM start to the first image of %s (ND4J's "
                        + "start, loading the model, one image)", ms / 1000.0, name);
            }
        }
        ConfigReader reader = new ConfigReader();
        for (String type : networks) {
            if (type.equals("none")) {
                continue;
            }
            var config = reader.read("{\"generator\":{\"type\":\"" + type + "\"},\"discriminator\":{\"type\":\""
                    + type + "\"}}", "--networks " + type);
            ImageShape shape = new ImageShape(1, 28, 28);
            var g = GanRun.buildGenerator(config, reader.registry(), shape);
            Path file = Files.createTempFile("jgan-bench-" + type, ".zip");
            try {
                g.save(file, new ModelMetadata(ModelMetadata.GENERATOR, g.type(), g.latentSize(), shape,
                        ModelMetadata.FORMAT_VERSION, Map.of()));
                models.put(type + " (untrained)", GeneratorModel.load(file));
            } finally {
                Files.deleteIfExists(file);
            }
        }
        JganCli.threadHint();
        if (coldStart != null) {
            System.out.println("cold start: " + coldStart);
        }
        System.out.println("OMP_NUM_THREADS=" + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset")
                + ", OMP_WAIT_POLICY=" + System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        System.out.printf(Locale.ROOT, "%-32s %6s %10s %17s %10s%n", "generator", "batch", "images/s", "[min-max]",
                "ms/call");
        for (var e : models.entrySet()) {
            for (int batch : batches) {
                List<Double> rates = measure(e.getValue(), batch);
                List<Double> sorted = rates.stream().sorted().toList();
                double median = sorted.get(sorted.size() / 2);
                System.out.printf(Locale.ROOT, "%-32s %6d %10.0f %17s %10.2f%n", e.getKey(), batch, median,
                        String.format(Locale.ROOT, "[%.0f-%.0f]", sorted.get(0), sorted.get(sorted.size() - 1)),
                        1000.0 * batch / median);
            }
        }
        return 0;
    }

    /** Images/s in each timed window, after one untimed window. */
    private List<Double> measure(GeneratorModel model, int batch) {
        List<Double> rates = new ArrayList<>();
        long seed = 0;
        for (int w = -1; w < windows; w++) {
            long images = 0;
            long start = System.nanoTime();
            long end = start + (long) (windowSeconds * 1e9);
            long now;
            do {
                model.sample(batch, seed++);
                images += batch;
                now = System.nanoTime();
            } while (now < end);
            if (w >= 0) {
                rates.add(images / ((now - start) / 1e9));
            }
        }
        return rates;
    }
}
