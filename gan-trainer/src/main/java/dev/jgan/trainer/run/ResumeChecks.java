package dev.jgan.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jgan.trainer.config.ConfigException;
import dev.jgan.trainer.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a resume checks before it changes anything: the config and the data are the ones the run trained with. */
public final class ResumeChecks {

    private static final Logger LOG = LoggerFactory.getLogger(GanRun.class);

    private ResumeChecks() {}

    /**
     * Refuses a run whose config.json was edited since the run wrote it (its SHA-256 is in provenance.json): a
     * resumed run continues with the settings its checkpoints were trained with. The message names the changed
     * fields where provenance.json holds the config the run wrote.
     */
    public static void configUnchanged(Path runDirectory, Path configFile, Verification verification)
            throws ConfigException {
        try {
            Path provenanceFile = runDirectory.resolve("provenance.json");
            if (!Files.isRegularFile(provenanceFile)) {
                unverified(verification, provenanceFile, "is missing, so config.json cannot be checked against the "
                        + "settings the run was trained with");
                return;
            }
            ObjectMapper json = new ObjectMapper();
            JsonNode provenance = json.readTree(provenanceFile.toFile());
            String recorded = provenance.path("config_sha256").asText("");
            String text = Files.readString(configFile, StandardCharsets.UTF_8);
            if (recorded.isEmpty()) {
                unverified(verification, provenanceFile, "records no config_sha256, so config.json cannot be "
                        + "checked against the settings the run was trained with");
                return;
            }
            if (recorded.equals(Provenance.sha256(text))) {
                return;
            }
            String what = "changed since the run wrote it (its SHA-256 differs from provenance.json)";
            if (provenance.has("config")) {
                List<String> changed = new ArrayList<>();
                JsonDifference.collect("", provenance.get("config"), readOrNull(json, text), changed);
                if (!changed.isEmpty()) {
                    what = (changed.size() == 1 ? changed.get(0) + " was" : String.join(", ", changed) + " were")
                            + " changed since the run wrote it";
                }
            }
            throw new ConfigException(configFile.toString(), "", what + "; a resumed run keeps the settings it "
                    + "was trained with, and only --epochs, --max-steps and --max-seconds may change. Restore the "
                    + "file, or start a new run", null);
        } catch (IOException e) {
            throw new ConfigException(configFile.toString(), "", "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static JsonNode readOrNull(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** Refuses what cannot be verified, unless {@code verification} waives it (then warns). */
    private static void unverified(Verification verification, Path file, String problem) throws ConfigException {
        if (verification == Verification.REQUIRED) {
            throw new ConfigException(file.toString(), "", problem + "; nothing was changed. If you accept that "
                    + "the resumed run may not continue the same training, resume with --accept-unverified "
                    + "(Java: GanRun.resume(dir, reader, change, Verification.WAIVED_WHERE_MISSING))", null);
        }
        LOG.warn("{} {}; resuming unverified, as asked", file, problem);
    }

    /** The run's provenance.json, or null when it is missing or unreadable. */
    public static JsonNode readProvenance(Path file, ObjectMapper mapper) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            LOG.warn("{}: unreadable ({}); the run's earlier sessions are not carried over", file, e.getMessage());
            return null;
        }
    }

    /**
     * Refuses to resume on other images than the run's (its provenance.json records their fingerprint): a resumed
     * run must see the data its checkpoints were trained on, or it silently becomes another run.
     */
    static void sameData(Path dir, JsonNode provenance, RunProvenance.Data dataRecord, ObjectMapper mapper,
                         Verification verification) throws DataException {
        JsonNode recorded = provenance == null ? null : provenance.get("data");
        if (recorded == null || !recorded.hasNonNull("fingerprint")) {
            try {
                unverified(verification, dir.resolve("provenance.json"), "records no fingerprint of the training "
                        + "data, so the data cannot be checked against the run's");
            } catch (ConfigException e) {
                throw new DataException(e.getMessage());
            }
            return;
        }
        RunProvenance.Data was;
        try {
            was = mapper.treeToValue(recorded, RunProvenance.Data.class);
        } catch (IOException e) {
            throw new DataException(dir.resolve("provenance.json") + ": data: unreadable (" + e.getMessage() + ")");
        }
        if (was.sameImages(dataRecord)) {
            return;
        }
        String how = "java".equals(was.origin()) && !"java".equals(dataRecord.origin())
                ? " The run was trained on images a program gave it: resume it from that program, "
                        + "GanRun.resume(runDirectory, new ConfigReader(), c -> c).withData(sameSource).run()."
                : " Resume with the data the run was trained on, or start a new run.";
        throw new DataException(dir + ": the training data differs from the run's, so it cannot be resumed; "
                + "nothing was changed. The run trained on " + was.describe() + "; this resume would train on "
                + dataRecord.describe() + "." + how);
    }
}
