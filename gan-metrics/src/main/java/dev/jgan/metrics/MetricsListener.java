package dev.jgan.metrics;

import dev.jgan.trainer.run.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jgan.api.EpochEvent;
import dev.jgan.api.Generator;
import dev.jgan.api.StepHooks;
import dev.jgan.api.TrainingStart;
import dev.jgan.api.LatentSpace;
import dev.jgan.trainer.config.MetricsConfig;
import dev.jgan.trainer.run.RunListener;
import dev.jgan.trainer.run.RunOutcome;
import dev.jgan.trainer.run.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the generator on samples from fixed noise: every few epochs, appending one JSON line per scoring to
 * {@code metrics.jsonl}, and once when the run has finished or stopped, writing {@code final-metrics.json} with the
 * same metrics of as many real training images beside them (the floor of this reference and sample count).
 * Warns when the class histogram collapses.
 */
public final class MetricsListener implements RunListener {

    /** Samples generated per forward pass when scoring. */
    static final int CHUNK = 100;

    /** The file of the scoring at the end, in the run directory. */
    public static final String FINAL_FILE = "final-metrics.json";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsListener.class);

    private final SampleMetrics metrics;
    private final MetricsConfig config;
    private final String referenceName;
    private final INDArray noise;
    private final INDArray realImages;
    private final Path directory;
    private final ObjectMapper json = new ObjectMapper();
    private Generator generator;
    private StepHooks hooks = StepHooks.NONE;

    /**
     * @param metrics scorer with its reference
     * @param config when to score and how many samples
     * @param referenceName the reference, in words (for the files and the log)
     * @param latent the generator's latent space
     * @param seed noise seed (the same noise at every scoring)
     * @param realImages training images, {@code [n, 784]}, scored at the end as the floor (n = samples); null when
     *        the config does not score at the end
     * @param runDirectory where {@code metrics.jsonl} and {@code final-metrics.json} go
     */
    public MetricsListener(SampleMetrics metrics, MetricsConfig config, String referenceName, LatentSpace latent,
                           long seed, INDArray realImages, Path runDirectory) {
        this.metrics = metrics;
        this.config = config;
        this.referenceName = referenceName;
        this.noise = latent.sample(config.samples(), Nd4j.getRandomFactory().getNewRandomInstance(seed));
        this.realImages = realImages;
        this.directory = runDirectory;
    }

    @Override
    public void onStart(TrainingStart start) {
        this.generator = start.sampling();
        this.hooks = start.generator().stepHooks();
    }

    @Override
    public void onEpoch(EpochEvent e) {
        if (!config.enabled() || e.epoch() % config.everyEpochs() != 0) {
            return;
        }
        long start = System.nanoTime();
        SampleMetrics.Result r = metrics.evaluate(samples());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", e.epoch());
        line.put("step", e.steps());
        line.putAll(json.convertValue(r, Map.class));
        line.put("seconds", (System.nanoTime() - start) / 1e9);
        try {
            Files.writeString(directory.resolve("metrics.jsonl"), json.writeValueAsString(line) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        LOG.info(String.format(Locale.ROOT,
                "metrics epoch %d: FD %.2f  KD %.4f  CS %.2f  modes %d  precision %.3f  recall %.3f", e.epoch(),
                r.frechetDistance(), r.kernelDistance(), r.classifierScore(), r.modesCovered(), r.precision(),
                r.recall()));
        for (String w : Warnings.fromMetrics(r)) {
            LOG.warn("epoch {}: {}", e.epoch(), w);
        }
    }

    @Override
    public void onRunEnd(RunOutcome outcome) {
        if (realImages == null || generator == null
                || (outcome.status() != RunStatus.FINISHED && outcome.status() != RunStatus.STOPPED)) {
            return;
        }
        long start = System.nanoTime();
        SampleMetrics.Result r = metrics.evaluate(samples());
        SampleMetrics.Result floor = metrics.evaluate(realImages);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("reference", referenceName);
        doc.put("samples", config.samples());
        doc.put("step", outcome.summary() == null ? null : outcome.summary().steps());
        doc.put("generated", r);
        doc.put("real_data", floor);
        doc.put("seconds", seconds);
        Path file = directory.resolve(FINAL_FILE);
        try {
            AtomicFiles.writeString(file, json.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(doc) + "\n");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        LOG.info("final metrics ({} samples vs {}, {} s): {}", config.samples(), referenceName,
                String.format(Locale.ROOT, "%.1f", seconds), summary(r, floor));
        for (String w : Warnings.fromMetrics(r)) {
            LOG.warn("final: {}", w);
        }
    }

    /** One line: "FD 13.7 (real data: 1.5) · 10/10 digits · classifier score 8.0 · recall 0.65". */
    public static String summary(SampleMetrics.Result r, SampleMetrics.Result floor) {
        return String.format(Locale.ROOT, "FD %.1f (real data: %.1f) · %d/%d digits · classifier score %.2f "
                + "(real data: %.2f) · recall %.2f", r.frechetDistance(), floor.frechetDistance(), r.modesCovered(),
                r.classCounts().length, r.classifierScore(), floor.classifierScore(), r.recall());
    }

    /**
     * The generator's images from the fixed noise, {@code [samples, pixels]}, generated {@value #CHUNK} at a time:
     * a graph network's activations for a whole chunk are held at once (DL4J's layer code), and a chunk of 1,000
     * made a 1-step resnet run peak at 11.1 GB. The engine's step hooks run after each chunk, so that it reclaims
     * memory as it does between training steps (7.4 GB at the peak without them, chunks of 100).
     */
    private INDArray samples() {
        long n = noise.size(0);
        INDArray out = null;
        for (long from = 0; from < n; from += CHUNK) {
            long to = Math.min(n, from + CHUNK);
            INDArray g = generator.generateFromNoise(noise.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            if (out == null) {
                out = Nd4j.create(g.dataType(), n, g.length() / g.size(0));
            }
            out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(g.reshape(g.size(0),
                    g.length() / g.size(0)));
            hooks.afterStep(from / CHUNK);   // the engine reclaims what the pass left (DL4J: native buffers)
        }
        return out;
    }
}
