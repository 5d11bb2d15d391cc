package dev.jgan.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.dl4j.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;

/**
 * {@code jgan publish}: a generator file for others to use: without the optimizer state, with its measured quality
 * (from {@code jgan evaluate --json}) in the card.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Write a generator for inference only (no optimizer state, about a third of the size) with "
                + "its measured quality from `jgan evaluate --json` in its card."})
final class PublishCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "generator.zip of a run.")
    Path model;

    @Option(names = "--evaluation", paramLabel = "FILE", description = "JSON written by `jgan evaluate --json`.")
    Path evaluation;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        var md = ModelFiles.readMetadata(model);
        if (!md.role().equals(ModelFiles.GENERATOR)) {
            throw new IllegalArgumentException("--model: " + model + " is a " + md.role() + ", expected a generator");
        }
        if (evaluation != null) {
            md = md.withQuality(quality(evaluation));
        }
        ModelFiles.publish(model, out, md);
        System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
        return 0;
    }

    /** The generated images' scores of an evaluation, with what they were measured against. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> quality(Path evaluation) throws IOException {
        Map<String, Object> doc;
        try {
            doc = new ObjectMapper().readValue(evaluation.toFile(), Map.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("--evaluation: " + evaluation + " is not JSON: "
                    + e.getOriginalMessage());
        }
        if (!(doc.get("results") instanceof Map<?, ?> results) || results.size() != 1
                || !(results.values().iterator().next() instanceof Map<?, ?> generated)) {
            throw new IllegalArgumentException("--evaluation: " + evaluation + " has no \"results\" object with one "
                    + "model's scores; expected the JSON of `jgan evaluate --model ... --json`");
        }
        Map<String, Object> q = new LinkedHashMap<>();
        for (String k : new String[] {"samples", "frechet_distance", "kernel_distance", "classifier_score",
                "modes_covered", "precision", "recall"}) {
            if (generated.get(k) != null) {
                q.put(k, generated.get(k));
            }
        }
        if (doc.get("class_accuracy") instanceof Map<?, ?> acc && acc.get("overall") != null) {
            q.put("class_accuracy", acc.get("overall"));
        }
        if (doc.get("reference") != null) {
            q.put("reference", doc.get("reference"));
        }
        if (doc.get("classifier") instanceof Map<?, ?> c && c.get("test_accuracy") != null) {
            q.put("feature_network_test_accuracy", c.get("test_accuracy"));
        }
        return q;
    }
}
