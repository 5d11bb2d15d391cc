package dev.jgan.trainer.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a run was made and how it went, as {@code provenance.json} and every model file's metadata hold it (after
 * Tribuo's typed provenance): the environment, the seed, the config's hash, the data and networks, and, once known,
 * the end. Immutable; each stage of the run makes the next value.
 *
 * @param environment library, DL4J and Java versions, machine, thread settings
 * @param seed the run's seed
 * @param configSha256 SHA-256 of the resolved {@code config.json}
 * @param config the resolved config itself, so that a resume can name the fields of an edited config.json
 * @param data the training images
 * @param generator the generator's type and size
 * @param discriminator the discriminator's type and size
 * @param started when this session started (ISO-8601)
 * @param resumedFromStep the checkpoint step this session resumed from, or null
 * @param finished when the final files were written, or null
 * @param epochs epochs completed, or null before the end
 * @param steps steps completed, or null before the end
 * @param wallSeconds training time of this session, or null before the end
 * @param imagesPerSecond training speed of this session, or null before the end
 * @param rollbacks divergences rolled back from, or null for none
 * @param status how the run ended ({@link RunStatus#word()}), or null while it runs
 * @param reason why it ended, or null while it runs
 * @param earlierSessions the records of the run's earlier sessions, oldest first (each as its
 *     {@code provenance.json} held it, without environment, config and earlier sessions), or null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"seed", "config_sha256", "config", "data", "generator", "discriminator", "started",
        "resumed_from_step", "finished", "epochs", "steps", "wall_seconds", "images_per_second", "rollbacks", "status", "reason",
        "earlier_sessions"})
public record RunProvenance(
        @JsonUnwrapped Environment environment,
        @JsonProperty("seed") long seed,
        @JsonProperty("config_sha256") String configSha256,
        @JsonProperty("config") JsonNode config,
        @JsonProperty("data") Data data,
        @JsonProperty("generator") NetworkInfo generator,
        @JsonProperty("discriminator") NetworkInfo discriminator,
        @JsonProperty("started") String started,
        @JsonProperty("resumed_from_step") Long resumedFromStep,
        @JsonProperty("finished") String finished,
        @JsonProperty("epochs") Integer epochs,
        @JsonProperty("steps") Long steps,
        @JsonProperty("wall_seconds") Double wallSeconds,
        @JsonProperty("images_per_second") Long imagesPerSecond,
        @JsonProperty("rollbacks") List<Rollback> rollbacks,
        @JsonProperty("status") String status,
        @JsonProperty("reason") String reason,
        @JsonProperty("earlier_sessions") List<JsonNode> earlierSessions) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where and with what the run trained.
     *
     * @param library this library's name and version
     * @param dl4j DL4J's version
     * @param nd4jBackend ND4J's backend class
     * @param java the Java runtime
     * @param os the operating system
     * @param cpus available processors
     * @param ompNumThreads {@code OMP_NUM_THREADS}, or "unset"
     */
    @JsonPropertyOrder({"library", "dl4j", "nd4j_backend", "java", "os", "cpus", "omp_num_threads"})
    public record Environment(
            @JsonProperty("library") String library,
            @JsonProperty("dl4j") String dl4j,
            @JsonProperty("nd4j_backend") String nd4jBackend,
            @JsonProperty("java") String java,
            @JsonProperty("os") String os,
            @JsonProperty("cpus") int cpus,
            @JsonProperty("omp_num_threads") String ompNumThreads) {}

    /**
     * The training images.
     *
     * @param source where they came from
     * @param images how many
     * @param shape the shape of one image
     * @param labels what a conditional network's classes are: {@code data} (the data's labels) or {@code clusters}
     *     (k-means clusters of the images); null for an unconditional one
     * @param origin {@code config} when the config's {@code data} section named the images (so {@code jgan train
     *     --resume} can reopen them), {@code java} when a program gave them ({@code GanRun.withData}); null if unknown
     * @param fingerprint {@code sha256:...} of the image count, shape, classes and a fixed sample of the images and
     *     labels; a resume refuses other data; null if unknown
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"source", "images", "shape", "labels", "origin", "fingerprint"})
    public record Data(@JsonProperty("source") String source, @JsonProperty("images") int images,
                       @JsonProperty("shape") String shape, @JsonProperty("labels") String labels,
                       @JsonProperty("origin") String origin, @JsonProperty("fingerprint") String fingerprint) {

        /** The data without origin or fingerprint. */
        public Data(String source, int images, String shape, String labels) {
            this(source, images, shape, labels, null, null);
        }

        /** An unconditional run's data. */
        public Data(String source, int images, String shape) {
            this(source, images, shape, null);
        }

        /** Whether these are the same images as {@code other} (both fingerprinted and equal). */
        public boolean sameImages(Data other) {
            return fingerprint != null && fingerprint.equals(other.fingerprint);
        }

        /** One line for messages. */
        public String describe() {
            return "\"" + source + "\", " + images + " images of " + shape + (origin == null ? "" : ", given by "
                    + ("java".equals(origin) ? "a program (GanRun.withData)" : "the config's data section"))
                    + ", " + fingerprint;
        }
    }

    /**
     * A network's type and size.
     *
     * @param type registered type name
     * @param parameters number of parameters
     */
    public record NetworkInfo(@JsonProperty("type") String type, @JsonProperty("parameters") long parameters) {}

    /**
     * One divergence rolled back from.
     *
     * @param divergedAtStep the step whose loss was not finite
     * @param rolledBackToStep the checkpoint step training went on from
     * @param learningRateFactor the factor on both learning rates from then on
     */
    public record Rollback(@JsonProperty("diverged_at_step") long divergedAtStep,
                           @JsonProperty("rolled_back_to_step") long rolledBackToStep,
                           @JsonProperty("learning_rate_factor") double learningRateFactor) {}

    /** The record of a session starting now, with {@code configJson} as the run's {@code config.json} holds it. */
    public static RunProvenance start(long seed, String configJson, Data data, NetworkInfo generator,
                                      NetworkInfo discriminator, Long resumedFromStep) {
        JsonNode config;
        try {
            config = JSON.readTree(configJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("configJson: not JSON", e);
        }
        return new RunProvenance(Provenance.environment(), seed, Provenance.sha256(configJson), config, data,
                generator, discriminator, Instant.now().toString(), resumedFromStep, null, null, null, null, null, null,
                null, null, null);
    }

    /**
     * The first {@code count} rollbacks that the run's earlier {@code provenance.json} records (those a resumed
     * checkpoint was trained after); none if the file is missing or unreadable.
     */
    public static List<Rollback> earlierRollbacks(Path provenanceFile, int count) {
        if (count == 0 || !Files.isRegularFile(provenanceFile)) {
            return List.of();
        }
        try {
            JsonNode list = JSON.readTree(provenanceFile.toFile()).path("rollbacks");
            List<Rollback> all = new ArrayList<>();
            for (int i = 0; i < Math.min(count, list.size()); i++) {
                all.add(JSON.treeToValue(list.get(i), Rollback.class));
            }
            return List.copyOf(all);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** This record with one more rollback. */
    public RunProvenance withRollback(Rollback r) {
        List<Rollback> all = new ArrayList<>(rollbacks == null ? List.of() : rollbacks);
        all.add(r);
        return new RunProvenance(environment, seed, configSha256, config, data, generator, discriminator, started,
                resumedFromStep, finished, epochs, steps, wallSeconds, imagesPerSecond, List.copyOf(all), status,
                reason, earlierSessions);
    }

    /** This record with the training's figures, finished now. */
    public RunProvenance finished(int epochsDone, long stepsDone, double seconds, long speed) {
        return new RunProvenance(environment, seed, configSha256, config, data, generator, discriminator, started,
                resumedFromStep, Instant.now().toString(), epochsDone, stepsDone, seconds, speed, rollbacks, status,
                reason, earlierSessions);
    }

    /** This record with how the run ended. */
    public RunProvenance ended(RunStatus how, String why) {
        return new RunProvenance(environment, seed, configSha256, config, data, generator, discriminator, started,
                resumedFromStep, finished, epochs, steps, wallSeconds, imagesPerSecond, rollbacks, how.word(), why,
                earlierSessions);
    }

    /**
     * This record with the sessions that {@code earlier} (the run's previous {@code provenance.json}) records: its
     * own earlier sessions, then itself without environment, config and earlier sessions.
     */
    public RunProvenance withEarlierSessions(JsonNode earlier) {
        List<JsonNode> all = new ArrayList<>();
        earlier.path("earlier_sessions").forEach(all::add);
        ObjectNode last = JSON.createObjectNode();
        for (String field : List.of("started", "resumed_from_step", "data", "finished", "epochs", "steps",
                "wall_seconds", "images_per_second", "status", "reason")) {
            if (earlier.has(field)) {
                last.set(field, earlier.get(field));
            }
        }
        all.add(last);
        return new RunProvenance(environment, seed, configSha256, config, data, generator, discriminator, started,
                resumedFromStep, finished, epochs, steps, wallSeconds, imagesPerSecond, rollbacks, status, reason,
                List.copyOf(all));
    }

    /** The same fields as a JSON-like map (the form model-file metadata carries). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return JSON.convertValue(this, Map.class);
    }
}
