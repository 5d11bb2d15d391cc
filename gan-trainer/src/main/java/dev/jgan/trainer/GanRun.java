package dev.jgan.trainer;

import dev.jgan.api.BuildContext;
import dev.jgan.api.Discriminator;
import dev.jgan.api.Generator;
import dev.jgan.api.ImageDataset;
import dev.jgan.api.ImageShape;
import dev.jgan.api.InvalidConfigException;
import dev.jgan.api.ModelMetadata;
import dev.jgan.api.NetworkProvider;
import dev.jgan.api.NetworkRegistry;
import dev.jgan.api.TrainingListener;
import dev.jgan.api.TrainingSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole training run from a {@link GanConfig}: loads the data, builds both networks from their registered types,
 * trains, and writes the run directory: {@code config.json} (resolved, defaults filled in), {@code provenance.json},
 * {@code steps.csv}, {@code epochs.csv}, {@code samples/epoch-NNN.png}, {@code generator.zip} and
 * {@code discriminator.zip}.
 */
public final class GanRun {

    private static final Logger LOG = LoggerFactory.getLogger(GanRun.class);

    /**
     * What a run produced.
     *
     * @param directory the run directory
     * @param summary how training ended
     * @param lastGrid the last fixed-noise sample grid
     * @param generatorFile the saved generator
     * @param discriminatorFile the saved discriminator
     */
    public record Result(Path directory, TrainingSummary summary, Path lastGrid, Path generatorFile,
                         Path discriminatorFile) {}

    private final GanConfig config;
    private final String name;
    private final ConfigReader reader;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /**
     * @param config the run's config
     * @param name run name (used when the config's output section gives none)
     * @param reader the reader whose registry builds the networks
     */
    public GanRun(GanConfig config, String name, ConfigReader reader) {
        this.config = config;
        this.name = config.output().name() != null ? config.output().name() : name;
        this.reader = reader;
    }

    /** Reads {@code configFile} with the global registry. */
    public static GanRun fromFile(Path configFile) throws ConfigException {
        ConfigReader reader = new ConfigReader();
        String stem = configFile.getFileName().toString().replaceFirst("\\.json$", "");
        return new GanRun(reader.read(configFile), stem, reader);
    }

    public GanConfig config() {
        return config;
    }

    /** Adds a listener to the trainer of the next {@link #run()}. */
    public GanRun addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Builds the generator the config names, for images of {@code image}. */
    public static Generator buildGenerator(GanConfig config, NetworkRegistry registry, ImageShape image)
            throws ConfigException {
        NetworkProvider p = provider(registry, config.generator(), "generator");
        var ctx = new BuildContext(image, config.latent().size(), config.optimizers().generator(), config.seed());
        try {
            return p.createGenerator(config.generator().spec(), ctx);
        } catch (InvalidConfigException e) {
            throw new ConfigException("config", "generator." + e.field(), "expected " + e.expected() + ", got "
                    + e.actual(), e);
        }
    }

    /** Builds the discriminator the config names, for images of {@code image}. */
    public static Discriminator buildDiscriminator(GanConfig config, NetworkRegistry registry, ImageShape image)
            throws ConfigException {
        NetworkProvider p = provider(registry, config.discriminator(), "discriminator");
        var ctx = new BuildContext(image, config.latent().size(), config.optimizers().discriminator(),
                config.seed() + 1);
        try {
            return p.createDiscriminator(config.discriminator().spec(), ctx);
        } catch (InvalidConfigException e) {
            throw new ConfigException("config", "discriminator." + e.field(), "expected " + e.expected()
                    + ", got " + e.actual(), e);
        }
    }

    private static NetworkProvider provider(NetworkRegistry registry, NetworkConfig net, String role)
            throws ConfigException {
        return registry.find(net.type()).orElseThrow(() -> new ConfigException("config", role + ".type",
                "unknown network type '" + net.type() + "', expected one of " + registry.types(), null));
    }

    /** Trains and writes the run directory. */
    public Result run() throws ConfigException, DataException, IOException {
        ImageDataset data = IdxDatasets.load(config.data());
        Generator g = buildGenerator(config, reader.registry(), data.shape());
        Discriminator d = buildDiscriminator(config, reader.registry(), data.shape());
        checkShapes(g, d, data);

        Path dir = createRunDirectory();
        String resolved = reader.write(config);
        Files.writeString(dir.resolve("config.json"), resolved, StandardCharsets.UTF_8);
        Map<String, Object> provenance = new LinkedHashMap<>(Provenance.environment());
        provenance.put("seed", config.seed());
        provenance.put("config_sha256", Provenance.sha256(resolved));
        provenance.put("data", Map.of("source", data.name(), "images", data.size(),
                "shape", data.shape().toString()));
        provenance.put("generator", Map.of("type", g.type(), "parameters", g.numParams()));
        provenance.put("discriminator", Map.of("type", d.type(), "parameters", d.numParams()));
        provenance.put("started", Instant.now().toString());
        writeJson(dir.resolve("provenance.json"), provenance);
        LOG.info("run directory {}", dir);
        LOG.info("data: {} ({} images of {}); G {} ({} parameters), D {} ({} parameters)", data.name(),
                data.size(), data.shape(), g.type(), g.numParams(), d.type(), d.numParams());

        AdversarialTrainer trainer = new AdversarialTrainer(g, d, config.loss().create(), config.latent(),
                config.training(), config.seed());
        INDArray fixedNoise = config.latent().sample(config.training().gridSize(),
                Nd4j.getRandomFactory().getNewRandomInstance(config.seed() + 2));
        TrainingSummary summary;
        Path lastGrid;
        try (RunRecorder recorder = new RunRecorder(dir, g, fixedNoise)) {
            trainer.addListener(recorder);
            listeners.forEach(trainer::addListener);
            summary = trainer.train(data);
            lastGrid = recorder.lastGrid() != null ? recorder.lastGrid() : recorder.writeGrid("final.png");
        }
        provenance.put("finished", Instant.now().toString());
        provenance.put("epochs", summary.epochs());
        provenance.put("steps", summary.steps());
        provenance.put("wall_seconds", summary.elapsed().toMillis() / 1000.0);
        provenance.put("images_per_second", Math.round(summary.imagesPerSecond()));
        writeJson(dir.resolve("provenance.json"), provenance);

        Path gFile = dir.resolve("generator.zip");
        Path dFile = dir.resolve("discriminator.zip");
        g.save(gFile, new ModelMetadata("generator", g.type(), g.latentSize(), g.imageShape(),
                ModelMetadata.FORMAT_VERSION, provenance));
        d.save(dFile, new ModelMetadata("discriminator", d.type(), 0, d.imageShape(), ModelMetadata.FORMAT_VERSION,
                provenance));
        return new Result(dir, summary, lastGrid, gFile, dFile);
    }

    private static void checkShapes(Generator g, Discriminator d, ImageDataset data) throws ConfigException {
        INDArray z = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, g.latentSize());
        INDArray images;
        try {
            images = g.generate(z);
        } catch (RuntimeException e) {
            throw new ConfigException("config", "generator", "the generator network does not produce "
                    + data.shape() + " images like the data: " + e.getMessage(), e);
        }
        try {
            d.logits(images);
        } catch (RuntimeException e) {
            throw new ConfigException("config", "discriminator", "the discriminator network cannot take the "
                    + data.shape() + " images of the data and generator: " + e.getMessage(), e);
        }
    }

    private Path createRunDirectory() throws IOException {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        Path parent = config.output().directory();
        Path dir = parent.resolve(name + "-" + stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = parent.resolve(name + "-" + stamp + "-" + i);
        }
        return Files.createDirectories(dir);
    }

    private void writeJson(Path file, Object value) throws IOException {
        Files.writeString(file, reader.mapper().writeValueAsString(value) + "\n", StandardCharsets.UTF_8);
    }
}
