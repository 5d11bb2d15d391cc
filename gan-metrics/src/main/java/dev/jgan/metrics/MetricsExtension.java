package dev.jgan.metrics;

import dev.jgan.api.ImageDataset;
import dev.jgan.api.ImageBatches;
import dev.jgan.api.ImageSource;
import dev.jgan.api.ImageShape;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.data.DataConfig;
import dev.jgan.trainer.data.DataException;
import dev.jgan.trainer.data.IdxDatasets;
import dev.jgan.trainer.config.MetricsConfig;
import dev.jgan.trainer.run.RunContext;
import dev.jgan.trainer.run.RunExtension;
import dev.jgan.trainer.run.RunListener;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code metrics} section of a run config, attached to every run when this module is on the class path: a
 * {@link MetricsListener} scoring every {@code every_epochs} epochs and at the end. The reference is the test split
 * of {@code metrics.reference}, or, for MNIST data, the MNIST test set embedded in this module.
 */
public final class MetricsExtension implements RunExtension {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsExtension.class);
    private static final ImageShape MNIST_LIKE = new ImageShape(1, 28, 28);
    /** Scorers by reference, so that runs in one JVM compute the reference's features once. */
    private static final Map<String, SampleMetrics> SCORERS = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public RunListener attach(RunContext context) throws ConfigException, DataException {
        MetricsConfig m = context.config().metrics();
        if (!m.enabled() && !m.atEnd()) {
            return null;
        }
        ImageSource data = context.data();
        String why = null;
        if (!data.shape().equals(MNIST_LIKE)) {
            why = "they score 1x28x28 images and this run's are " + data.shape();
        } else if (m.reference() == null && !context.config().data().type().equals("mnist")) {
            why = "the embedded reference is MNIST and this run trains on " + context.config().data().type()
                    + "; set metrics.reference to a directory of IDX files to compare with";
        }
        if (why != null) {
            if (m.enabled()) {
                throw new ConfigException("config", "metrics.every_epochs", "0: " + why, null);
            }
            LOG.info("no final metrics: {}", why);
            return null;
        }
        Path reference = m.reference();
        String name = reference == null ? "embedded MNIST test set (10,000 images)" : "test split of " + reference;
        SampleMetrics scorer = scorer(reference);
        INDArray real = null;
        if (m.atEnd()) {
            int n = Math.min(m.samples(), data.size());
            if (data instanceof ImageDataset memory) {
                real = memory.images().get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
            } else {
                try (ImageBatches first = data.epoch(context.config().seed(), 1, 0)) {
                    real = first.next(n).images();
                }
            }
            real = real.reshape(n, real.length() / n);
        }
        return new MetricsListener(scorer, m, name, context.config().latent(), context.config().seed() + 3, real,
                context.directory());
    }

    private static SampleMetrics scorer(Path reference) throws DataException {
        String key = reference == null ? "" : reference.toAbsolutePath().normalize().toString();
        SampleMetrics s = SCORERS.get(key);
        if (s == null) {
            ImageDataset test = IdxDatasets.load(new DataConfig("mnist", reference, "test", false, null, 0));
            s = new SampleMetrics(MnistClassifier.standard(), test.images());
            SCORERS.put(key, s);
        }
        return s;
    }
}
