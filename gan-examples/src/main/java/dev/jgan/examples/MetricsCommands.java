package dev.jgan.examples;

import dev.jgan.trainer.run.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageDataset;
import dev.jgan.dl4j.ModelFiles;
import dev.jgan.metrics.MnistClassifier;
import dev.jgan.metrics.SampleMetrics;
import dev.jgan.trainer.data.DataConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.data.IdxFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import dev.jgan.trainer.data.NpyFiles;
import java.io.IOException;
import java.util.ArrayList;

/** The {@code evaluate} and {@code train-classifier} commands. */
final class MetricsCommands {

    private MetricsCommands() {}

    static ImageDataset mnist(Path dir, String split) throws DataException {
        return dataset("mnist", dir, split);
    }

    /** The {@code split} of IDX dataset {@code type} in {@code dir} (MNIST: embedded when {@code dir} is null). */
    static ImageDataset dataset(String type, Path dir, String split) throws DataException {
        if (dir == null && !type.equals("mnist")) {
            throw new DataException("--data-dir: " + type + " is not embedded; give the folder of its IDX files");
        }
        return IdxDatasets.load(new DataConfig(type, dir, split, true, null, 0));
    }

    /** The IDX dataset a generator was trained on, from its provenance ({@code mnist} when it does not say). */
    static String trainedOn(Path model) {
        try {
            Object data = ModelFiles.readMetadata(model).provenance().get("data");
            if (data instanceof Map<?, ?> m && m.get("source") instanceof String source
                    && source.startsWith("fashion_mnist")) {
                return "fashion_mnist";
            }
        } catch (IOException e) {
            // unreadable metadata: loading the model reports it
        }
        return "mnist";
    }

    @Command(name = "train-classifier", mixinStandardHelpOptions = true,
            description = "Train the LeNet-5 MNIST feature network of the metrics (seeded, reproducible).")
    static final class TrainClassifier implements Callable<Integer> {

        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "MNIST IDX files.")
        Path dataDir;

        @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "NAME",
                description = "mnist (default) or fashion_mnist: the IDX files' dataset.")
        String dataset;

        @Option(names = "--epochs", defaultValue = "3", paramLabel = "N", description = "Epochs (default 3).")
        int epochs;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default 1).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write it (.zip).")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs: expected an integer >= 1, got " + epochs);
            }
            if (!dataset.equals("mnist") && !dataset.equals("fashion_mnist")) {
                throw new IllegalArgumentException("--dataset: expected mnist or fashion_mnist, got " + dataset);
            }
            MnistClassifier c = MnistClassifier.train(dataset(dataset, dataDir, "train"),
                    dataset(dataset, dataDir, "test"), epochs, seed);
            c.save(out);
            System.out.printf(Locale.ROOT, "test accuracy %.4f; wrote %s%n",
                    (double) c.provenance().get("test_accuracy"), out);
            return 0;
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Score generated images against the 10,000 test images of MNIST (or Fashion-MNIST) (table and JSON).")
    static final class Evaluate implements Callable<Integer> {

        static final class Source {
            @Option(names = "--model", paramLabel = "FILE", description = "A generator.zip to sample from.")
            Path model;

            @Option(names = "--samples", paramLabel = "FILE",
                    description = "Images made by any tool: IDX (2051, N, 28, 28) or .npy ([N, 28, 28] or [N, 784]; "
                            + "values in [0, 255], [0, 1] or [-1, 1]).")
            Path samples;

            @Option(names = "--references", description = "Print reference values: real training images, one "
                    + "image repeated, all-black and uniform-noise images.")
            boolean references;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Option(names = "--count", defaultValue = "10000", paramLabel = "N",
                description = "Samples to draw from --model (default 10000).")
        int count;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Noise seed (default 1).")
        long seed;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "MNIST IDX files (the test split is the reference; default: the MNIST test set "
                        + "embedded in gan-metrics, the same 10,000 images).")
        Path dataDir;

        @Option(names = "--classifier", paramLabel = "FILE", description = "Feature network (default: shipped).")
        Path classifierFile;

        @Option(names = "--dataset", paramLabel = "NAME", description = "mnist or fashion_mnist: the reference "
                + "and the shipped feature network (default: what --model was trained on, else mnist).")
        String dataset;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON here.")
        Path json;

        @Override
        public Integer call() throws Exception {
            if (count < 2) {
                throw new IllegalArgumentException("--count: expected an integer >= 2, got " + count);
            }
            String on = dataset != null ? dataset : source.model != null ? trainedOn(source.model) : "mnist";
            if (!on.equals("mnist") && !on.equals("fashion_mnist")) {
                throw new IllegalArgumentException("--dataset: expected mnist or fashion_mnist, got " + on);
            }
            MnistClassifier c = classifierFile != null ? MnistClassifier.load(classifierFile)
                    : MnistClassifier.standard(on);
            ImageDataset test = dataset(on, dataDir, "test");
            if (dataDir == null) {
                System.out.println("reference: " + test.name() + " (no --data-dir given)");
            }
            SampleMetrics metrics = new SampleMetrics(c, test.images());
            Map<String, SampleMetrics.Result> results = new LinkedHashMap<>();
            if (source.references) {
                ImageDataset train = IdxDatasets.load(new DataConfig(on, dataDir, "train", true, null, 10_000));
                INDArray real = train.images();
                results.put("real training images (floor)", metrics.evaluate(real));
                results.put("one training image repeated", metrics.evaluate(
                        Nd4j.repeat(real.getRow(0, true), 10_000).reshape(10_000, 784)));
                results.put("all black", metrics.evaluate(Nd4j.valueArrayOf(new long[] {10_000, 784}, -1f)));
                results.put("uniform noise", metrics.evaluate(Nd4j.rand(DataType.FLOAT, 10_000, 784).muli(2).subi(1)));
            } else if (source.model != null) {
                Generator g = ModelFiles.loadGenerator(source.model);
                results.put(source.model.toString(), metrics.evaluate(Sampling.generate(g, count, seed)));
                if (on.equals("mnist") && conditionedOnDigits(g, source.model)) {
                    classAccuracy = classAccuracy(g, c, Math.max(1, count / g.numClasses()), seed);
                }
            } else {
                results.put(source.samples.toString(), metrics.evaluate(readSamples(source.samples)));
            }
            printTable(results);
            if (classAccuracy != null) {
                System.out.printf(Locale.ROOT, "class-conditional accuracy (samples of class k classified as k): "
                        + "%.4f; per class %s%n", classAccuracy.get("overall"), classAccuracy.get("per_class"));
            }
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("classifier", c.provenance());
            doc.put("reference", test.name() + " (" + test.size() + " images)");
            doc.put("results", results);
            if (classAccuracy != null) {
                doc.put("class_accuracy", classAccuracy);
            }
            String text = mapper.writeValueAsString(doc);
            System.out.println(text);
            if (json != null) {
                AtomicFiles.writeString(json, text + "\n");
            }
            return 0;
        }

        private Map<String, Object> classAccuracy;

        /** For each class k, the share of {@code perClass} samples asked for k that the classifier calls k. */
        /**
         * Whether {@code g}'s classes are the data's labels (so "samples of class k classified as k" means
         * something), not k-means clusters.
         */
        static boolean conditionedOnDigits(Generator g, Path model) {
            if (g.numClasses() == 0) {
                return false;
            }
            try {
                Object data = ModelFiles.readMetadata(model).provenance().get("data");
                return !(data instanceof Map<?, ?> m) || !"clusters".equals(m.get("labels"));
            } catch (IOException e) {
                return true;
            }
        }

        static Map<String, Object> classAccuracy(Generator g, MnistClassifier c, int perClass, long seed) {
            int k = g.numClasses();
            List<Double> per = new ArrayList<>();
            long correct = 0;
            for (int label = 0; label < k; label++) {
                INDArray images = Sampling.generate(g, perClass, seed + label, label);
                INDArray predicted = c.probabilities(images).argMax(1);
                long hits = 0;
                for (long p : predicted.toLongVector()) {
                    hits += p == label ? 1 : 0;
                }
                correct += hits;
                per.add(Math.round(10000.0 * hits / perClass) / 10000.0);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("overall", (double) correct / ((long) perClass * k));
            m.put("per_class", per);
            m.put("samples_per_class", perClass);
            return m;
        }

        static INDArray readSamples(Path file) throws Exception {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".npy")) {
                NpyFiles.Array npy = NpyFiles.read(file);
                long[] s = npy.shape();
                boolean grey = s.length == 2 && s[1] == 784 || s.length == 3 && s[1] == 28 && s[2] == 28
                        || s.length == 4 && s[1] == 1 && s[2] == 28 && s[3] == 28;
                if (!grey) {
                    throw new DataException(file + ": expected [N, 28, 28], [N, 1, 28, 28] or [N, 784] (grey 28x28 "
                            + "images, as the MNIST reference), got " + NpyFiles.describe(s));
                }
                long n = s[0];
                checkCount(file, n);
                INDArray a = Nd4j.create(npy.values(), new long[] {n, 784}, 'c');
                double max = a.maxNumber().doubleValue();
                double min = a.minNumber().doubleValue();
                if (max > 1.5) {
                    return a.div(127.5).subi(1);
                }
                return min >= 0 ? a.mul(2).subi(1) : a;
            }
            IdxFiles.Images img = IdxFiles.readImages(file, 0);
            if (img.rows() != 28 || img.cols() != 28) {
                throw new DataException(file + ": images are " + img.rows() + "x" + img.cols()
                        + "; the MNIST metrics need 28x28");
            }
            checkCount(file, img.count());
            return IdxDatasets.toDataset(file.toString(), img, null).images();
        }

        private static void checkCount(Path file, long n) throws DataException {
            if (n < SampleMetrics.MIN_SAMPLES) {
                throw new DataException(file + ": holds " + n + " image" + (n == 1 ? "" : "s") + "; the metrics need "
                        + "at least " + SampleMetrics.MIN_SAMPLES + " (FD, precision and recall are not defined on "
                        + "fewer)");
            }
        }

        private static void printTable(Map<String, SampleMetrics.Result> results) {
            System.out.printf(Locale.ROOT, "%-36s %8s %9s %6s %5s %7s %6s %6s %6s%n", "samples", "FD", "KD", "CS",
                    "modes", "KL(u)", "conf", "prec", "recall");
            results.forEach((k, r) -> System.out.printf(Locale.ROOT,
                    "%-36s %8.2f %9.4f %6.2f %5d %7.3f %6.3f %6.3f %6.3f%n",
                    k.length() > 36 ? "..." + k.substring(k.length() - 33) : k, r.frechetDistance(),
                    r.kernelDistance(), r.classifierScore(), r.modesCovered(), r.klFromUniform(), r.confidentShare(),
                    r.precision(), r.recall()));
        }
    }
}
