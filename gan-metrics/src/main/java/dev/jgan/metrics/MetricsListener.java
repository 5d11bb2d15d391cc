package dev.jgan.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.api.Discriminator;
import dev.jgan.api.EpochEvent;
import dev.jgan.api.Generator;
import dev.jgan.api.LatentSpace;
import dev.jgan.api.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the generator every few epochs on samples from fixed noise and appends one JSON line per scoring to
 * {@code metrics.jsonl} in the run directory; warns when the class histogram collapses.
 */
public final class MetricsListener implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsListener.class);

    private final SampleMetrics metrics;
    private final int everyEpochs;
    private final INDArray noise;
    private final Path log;
    private final ObjectMapper json = new ObjectMapper();
    private Generator generator;

    /**
     * @param metrics scorer with its reference
     * @param everyEpochs score every this many epochs
     * @param latent the generator's latent space
     * @param samples samples per scoring
     * @param seed noise seed (the same noise at every scoring)
     * @param runDirectory where {@code metrics.jsonl} goes
     */
    public MetricsListener(SampleMetrics metrics, int everyEpochs, LatentSpace latent, int samples, long seed,
                           Path runDirectory) {
        this.metrics = metrics;
        this.everyEpochs = everyEpochs;
        this.noise = latent.sample(samples, Nd4j.getRandomFactory().getNewRandomInstance(seed));
        this.log = runDirectory.resolve("metrics.jsonl");
    }

    @Override
    public void onStart(Generator g, Discriminator d) {
        this.generator = g;
    }

    @Override
    public void onEpoch(EpochEvent e) {
        if (e.epoch() % everyEpochs != 0) {
            return;
        }
        long start = System.nanoTime();
        INDArray images = Nd4j.vstack(java.util.stream.IntStream.range(0, (int) ((noise.size(0) + 999) / 1000))
                .mapToObj(i -> {
                    long to = Math.min(noise.size(0), (i + 1) * 1000L);
                    INDArray z = noise.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i * 1000L, to),
                            org.nd4j.linalg.indexing.NDArrayIndex.all());
                    INDArray g = generator.generateFromNoise(z);
                    return g.reshape(g.size(0), g.length() / g.size(0));
                }).toArray(INDArray[]::new));
        SampleMetrics.Result r = metrics.evaluate(images);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", e.epoch());
        line.put("step", e.steps());
        line.putAll(json.convertValue(r, Map.class));
        line.put("seconds", (System.nanoTime() - start) / 1e9);
        try {
            Files.writeString(log, json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        LOG.info(String.format(java.util.Locale.ROOT,
                "metrics epoch %d: FD %.2f  KD %.4f  CS %.2f  modes %d  precision %.3f  recall %.3f", e.epoch(),
                r.frechetDistance(), r.kernelDistance(), r.classifierScore(), r.modesCovered(), r.precision(),
                r.recall()));
        for (String w : Warnings.fromMetrics(r)) {
            LOG.warn("epoch {}: {}", e.epoch(), w);
        }
    }
}
